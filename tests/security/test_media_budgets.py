"""Media budgets: a picture's size is read from its header and refused over the limit before
anything decodes it, FFmpeg's decoders (probe and thumbnail) stop at the same limit, a file
that claims to last longer than a draft may is refused, and one media library fetches and
probes only so many files at once.

The bombs are made here with zlib: a 16000x16000 PNG of one colour is well under a megabyte,
and a PNG header alone can claim a million pixels a side. They are served from 127.0.0.1 to
servers that may reach it through the first-hop allowlist, as any public host could serve
them to a server with default settings.
"""

from __future__ import annotations

import struct
import uuid
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from draftsmith.errors import MediaRejected
from draftsmith.media.budget import MediaBudget
from draftsmith.media.dimensions import picture_size
from draftsmith.media.probe import probe
from draftsmith.media.thumbnail import ThumbnailError, make_thumbnail
from support.api import SECOND, Api
from support.media import StandardMedia, make_image, make_video, run_ffmpeg
from support.media_server import MediaServer
from support.server import ServerProcess
from support.waiting import wait_for

pytestmark = pytest.mark.slow

DEFAULT_MAX_PIXELS = 8192 * 8192
MiB = 1024 * 1024
RSS_GROWTH_LIMIT = 100 * MiB
BOMBS_AT_ONCE = 8
SLOW_SECONDS = 3
SHA = "0" * 64
TIMEOUT = 60.0


# --- files -----------------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def black_png(width: int, height: int, *, pixels: bool = True) -> bytes:
    """An RGB PNG of black pixels, or with `pixels=False` only the header that claims them.

    Rows are deflated 64 at a time with a full flush after each block, so every block
    compresses to the same bytes, which are repeated: a huge picture is made in a moment.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = b""
    if pixels:
        row = bytes(1 + 3 * width)  # filter type 0, then black RGB
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)

        def block(rows: int) -> bytes:
            return deflate.compress(row * rows) + deflate.flush(zlib.Z_FULL_FLUSH)

        full, rest = divmod(height, 64)
        body = block(64) * full + (block(rest) if rest else b"") + deflate.flush()
        adler = (len(row) * height % 65521) << 16 | 1  # Adler-32 of all zero bytes
        idat = _png_chunk(b"IDAT", b"\x78\xda" + body + struct.pack(">I", adler))
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + _png_chunk(b"IHDR", header) + idat + _png_chunk(b"IEND", b"")


def claimed_picture(kind: str, width: int, height: int) -> bytes:
    """A header of the given format that declares a `width` x `height` picture."""
    if kind == "png":
        return black_png(width, height, pixels=False)
    if kind == "gif":
        return b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0) + b";"
    if kind == "bmp":
        info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 0, 0, 0, 0)
        return b"BM" + struct.pack("<IHHI", 54, 0, 0, 54) + info
    if kind == "webp":
        canvas = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
        vp8x = b"VP8X" + struct.pack("<I", 10) + bytes(4) + canvas
        return b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x
    if kind == "jpeg":
        app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + bytes(9)
        sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
        return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"
    if kind == "tiff":
        entries = struct.pack("<HHII", 256, 4, 1, width) + struct.pack("<HHII", 257, 4, 1, height)
        return b"II*\x00" + struct.pack("<IH", 8, 2) + entries + struct.pack("<I", 0)
    raise ValueError(kind)


def make_flv_bomb(path: Path) -> Path:
    """One black 8200x8200 frame (over 8192x8192) in FLV, a container whose streams FFmpeg
    finds only while it reads packets, so its decoders get no pixel limit there."""
    source = "color=c=black:s=8200x8200:r=25"
    codec = ["-c:v", "libx264", "-preset", "ultrafast", "-threads", "1", "-pix_fmt", "yuv420p"]
    run_ffmpeg("-f", "lavfi", "-i", source, "-frames:v", "1", *codec, str(path))
    return path


def make_long_video(path: Path) -> Path:
    """Two tiny frames 25 hours apart: a real 1.5 KB MP4 that lasts 50 hours."""
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        "color=c=red:s=16x16:r=1/90000:d=180000",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        str(path),
    )
    return path


# --- servers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MediaServer]:
    """Serves the bombs, an image at the default limit, small real media and a long video."""
    directory = tmp_path_factory.mktemp("budget-media")
    (directory / "bomb.png").write_bytes(black_png(16000, 16000))
    (directory / "claims-a-million.png").write_bytes(black_png(1_000_000, 1_000_000, pixels=False))
    (directory / "at-the-limit.png").write_bytes(black_png(8192, 8192))
    make_image(directory / "still.png")
    make_video(directory / "small.mp4", seconds=2.0, width=320, height=240, with_audio=False)
    make_video(directory / "wide.mp4", seconds=2.0, width=400, height=300, with_audio=False)
    make_long_video(directory / "fifty-hours.mp4")
    make_flv_bomb(directory / "bomb.flv")
    with MediaServer(directory) as server:
        yield server


def first_hop_env(media: MediaServer) -> dict[str, str]:
    return {"DRAFTSMITH_PRIVATE_URL_ALLOWLIST": f"127.0.0.1:{urlsplit(media.base).port}"}


@pytest.fixture(scope="module")
def defaults(tmp_path_factory: pytest.TempPathFactory, bombs: MediaServer) -> Iterator[Api]:
    """A server with the default media budget."""
    with (
        ServerProcess(tmp_path_factory.mktemp("defaults"), env=first_hop_env(bombs)) as server,
        Api(server.base_url, timeout=TIMEOUT) as api,
    ):
        yield api


@pytest.fixture(scope="module")
def small_budget(tmp_path_factory: pytest.TempPathFactory, bombs: MediaServer) -> Iterator[Api]:
    """A server allowed 100,000 pixels per picture, 1000 a side, one media file at a time."""
    env = {
        **first_hop_env(bombs),
        "DRAFTSMITH_MEDIA_MAX_PIXELS": "100000",
        "DRAFTSMITH_MEDIA_MAX_SIDE": "1000",
        "DRAFTSMITH_MEDIA_CONCURRENCY": "1",
    }
    with (
        ServerProcess(tmp_path_factory.mktemp("small-budget"), env=env) as server,
        Api(server.base_url, timeout=TIMEOUT) as api,
    ):
        yield api


def add_image(api: Api, url: str) -> httpx.Response:
    infos = [{"image_url": url, "start": 0, "end": SECOND}]
    return api.post("add_images", {"draft_url": api.create_draft(), "image_infos": infos})


def add_video(api: Api, url: str) -> httpx.Response:
    infos = [{"video_url": url, "start": 0, "end": SECOND}]
    return api.post("add_videos", {"draft_url": api.create_draft(), "video_infos": infos})


def assert_rejected(response: httpx.Response, *words: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "media_rejected", body
    for word in words:
        assert word in body["detail"], body


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


# --- over HTTP, through the real server ------------------------------------------------------


def test_a_png_bomb_is_refused_from_its_header(defaults: Api, bombs: MediaServer) -> None:
    response = add_image(defaults, bombs.url("bomb.png"))
    assert_rejected(response, "16000x16000", str(DEFAULT_MAX_PIXELS))


def test_a_header_claiming_a_million_pixels_a_side_is_refused(
    defaults: Api, bombs: MediaServer
) -> None:
    response = add_image(defaults, bombs.url("claims-a-million.png"))
    assert_rejected(response, "1000000x1000000", str(DEFAULT_MAX_PIXELS))


def test_an_image_at_the_limit_is_accepted(defaults: Api, bombs: MediaServer) -> None:
    response = add_image(defaults, bombs.url("at-the-limit.png"))
    assert response.status_code == 200, response.text


def test_a_video_bomb_is_refused(defaults: Api, bombs: MediaServer) -> None:
    response = add_video(defaults, bombs.url("bomb.flv"))
    assert_rejected(response, "8200x8200", str(DEFAULT_MAX_PIXELS))


def test_a_video_claiming_to_last_longer_than_a_draft_is_refused(
    defaults: Api, bombs: MediaServer
) -> None:
    response = add_video(defaults, bombs.url("fifty-hours.mp4"))
    assert_rejected(response, "50.0 h", "24.0 h")


def test_eight_bombs_at_once_leave_the_server_small(tmp_path: Path, bombs: MediaServer) -> None:
    with (
        ServerProcess(tmp_path / "data", env=first_hop_env(bombs)) as server,
        Api(server.base_url, timeout=TIMEOUT) as api,
    ):
        # Warm up: the first image loads and runs everything a refused bomb would.
        assert add_image(api, bombs.url("still.png")).status_code == 200
        assert add_video(api, bombs.url("small.mp4")).status_code == 200
        before = memory_kib(server.pid)
        names = ["bomb.png", "claims-a-million.png", "bomb.flv"]
        calls = [
            (add_video if name.endswith(".flv") else add_image, bombs.url(f"{name}?copy={index}"))
            for index in range(BOMBS_AT_ONCE)
            for name in [names[index % len(names)]]
        ]
        with ThreadPoolExecutor(BOMBS_AT_ONCE) as pool:
            responses = list(pool.map(lambda call: call[0](api, call[1]), calls))
        after = memory_kib(server.pid)
    for response in responses:
        assert_rejected(response, str(DEFAULT_MAX_PIXELS))
    peak_growth = (after["VmHWM"] - before["VmHWM"]) * 1024
    assert peak_growth < RSS_GROWTH_LIMIT, (before, after)
    assert (after["VmRSS"] - before["VmRSS"]) * 1024 < RSS_GROWTH_LIMIT, (before, after)


def test_the_limits_are_settings(small_budget: Api, bombs: MediaServer) -> None:
    assert add_video(small_budget, bombs.url("small.mp4")).status_code == 200
    assert_rejected(add_video(small_budget, bombs.url("wide.mp4")), "400x300", "100000")
    assert add_image(small_budget, bombs.url("still.png")).status_code == 200
    wide = bombs.url("claims-a-million.png")
    assert_rejected(add_image(small_budget, wide), "1000 pixels a side")


def _finishing_order(api: Api, bombs: MediaServer) -> list[str]:
    """Start a download that stalls, then a quick one; the names in the order they end."""
    tag = uuid.uuid4().hex
    finished: list[str] = []

    def fetch(name: str, url: str) -> httpx.Response:
        response = add_image(api, url)
        finished.append(name)
        return response

    with ThreadPoolExecutor(2) as pool:
        stalled = pool.submit(fetch, "stalled", bombs.url(f"slow?seconds={SLOW_SECONDS}&t={tag}"))
        wait_for(
            lambda: any(tag in path for path in bombs.requested_paths()),
            "the server never started the stalled download",
        )
        quick = pool.submit(fetch, "quick", bombs.url(f"still.png?t={tag}"))
        assert_rejected(stalled.result())  # what /slow serves is not an image
        assert quick.result().status_code == 200, quick.result().text
    return finished


def test_media_files_wait_for_a_turn(small_budget: Api, bombs: MediaServer) -> None:
    assert _finishing_order(small_budget, bombs) == ["stalled", "quick"]


def test_with_turns_free_a_quick_file_does_not_wait(defaults: Api, bombs: MediaServer) -> None:
    assert _finishing_order(defaults, bombs) == ["quick", "stalled"]


# --- the header readers and the probe, on real files -------------------------------------------


@pytest.mark.parametrize("extension", ["png", "jpg", "gif", "webp", "bmp", "tiff"])
def test_header_sizes_match_what_ffmpeg_wrote(tmp_path: Path, extension: str) -> None:
    path = tmp_path / f"picture.{extension}"
    source = "testsrc=size=301x203"
    run_ffmpeg("-f", "lavfi", "-i", source, "-frames:v", "1", "-update", "1", str(path))
    size = picture_size(path)
    assert size is not None
    assert size[1:] == (301, 203)


@pytest.mark.parametrize("kind", ["png", "jpeg", "gif", "webp", "bmp", "tiff"])
def test_a_claimed_size_over_the_limit_is_refused_before_decoding(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "claims"
    path.write_bytes(claimed_picture(kind, 20000, 20000))
    assert picture_size(path) == (kind, 20000, 20000)
    with pytest.raises(MediaRejected, match="20000x20000") as raised:
        probe("image_url", path, SHA, path.stat().st_size)
    assert str(DEFAULT_MAX_PIXELS) in raised.value.detail


def test_decoders_stop_at_the_pixel_limit(standard_media: StandardMedia) -> None:
    """Probe and thumbnail of files whose size no header reader looks at (MP4) are held to the
    budget by FFmpeg itself."""
    bars = standard_media.bars  # 320x240
    exact = MediaBudget(max_pixels=320 * 240)
    smaller = MediaBudget(max_pixels=320 * 240 - 1)
    assert probe("f", bars, SHA, 1, exact).width == 320
    assert make_thumbnail(bars, exact)
    with pytest.raises(MediaRejected, match="320x240"):
        probe("f", bars, SHA, 1, smaller)
    with pytest.raises(ThumbnailError):
        make_thumbnail(bars, smaller)
    with pytest.raises(ThumbnailError):
        make_thumbnail(standard_media.still, smaller)


def test_audio_and_video_longer_than_the_budget_are_refused(
    standard_media: StandardMedia,
) -> None:
    roomy = MediaBudget(max_duration_us=4 * SECOND)
    short = MediaBudget(max_duration_us=2 * SECOND)
    for path in (standard_media.bars, standard_media.tone):  # 3 s each
        assert probe("f", path, SHA, 1, roomy).duration_us is not None
        with pytest.raises(MediaRejected, match=r"the longest this server accepts is 2\.0 s"):
            probe("f", path, SHA, 1, short)
