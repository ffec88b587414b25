"""The test support code does what it claims: real media, a misbehaving media server, a server."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import httpx
import pytest

from support.media import (
    StandardMedia,
    ffmpeg_encoders,
    make_audio,
    make_image,
    make_video,
)
from support.media_server import MediaServer
from support.server import ServerProcess, ServerStartError


@dataclass(frozen=True)
class Probe:
    seconds: float | None
    size: tuple[int, int] | None
    video_codec: str | None
    pix_fmt: str | None
    fps: Fraction | None
    audio_codec: str | None


def probe(path: Path) -> Probe:
    with av.open(str(path)) as container:
        seconds = None if container.duration is None else container.duration / 1_000_000
        streams = container.streams
        video = streams.video[0] if streams.video else None
        audio = streams.audio[0].codec_context if streams.audio else None
        return Probe(
            seconds=seconds,
            size=None if video is None else (video.codec_context.width, video.codec_context.height),
            video_codec=None if video is None else video.codec_context.name,
            pix_fmt=None if video is None else video.codec_context.pix_fmt,
            fps=None if video is None else video.average_rate,
            audio_codec=None if audio is None else audio.name,
        )


def first_pixel(path: Path) -> tuple[int, int, int]:
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        rgb = bytes(frame.reformat(format="rgb24").planes[0])
        return rgb[0], rgb[1], rgb[2]


def assert_color(pixel: tuple[int, int, int], expected: tuple[int, int, int]) -> None:
    assert all(abs(a - b) <= 8 for a, b in zip(pixel, expected, strict=True)), pixel


def test_standard_video_is_three_seconds_of_h264_with_aac(standard_media: StandardMedia) -> None:
    info = probe(standard_media.bars)
    assert info.seconds == pytest.approx(3.0, abs=0.05)
    assert info.size == (320, 240)
    assert info.video_codec == "h264"
    assert info.pix_fmt == "yuv420p"
    assert info.fps == 30
    assert info.audio_codec == "aac"


def test_red_video_is_two_seconds_of_solid_red(standard_media: StandardMedia) -> None:
    assert probe(standard_media.red).seconds == pytest.approx(2.0, abs=0.05)
    assert_color(first_pixel(standard_media.red), (255, 0, 0))


def test_tone_is_three_seconds_of_audio_only(standard_media: StandardMedia) -> None:
    info = probe(standard_media.tone)
    assert info.seconds == pytest.approx(3.0, abs=0.1)
    assert info.size is None
    expected = "mp3" if "libmp3lame" in ffmpeg_encoders() else "aac"
    assert str(info.audio_codec).startswith(expected)


def test_still_is_a_blue_png(standard_media: StandardMedia) -> None:
    assert standard_media.still.read_bytes().startswith(b"\x89PNG")
    assert probe(standard_media.still).size == (320, 240)
    assert_color(first_pixel(standard_media.still), (0, 0, 255))


def test_fake_video_is_not_media(standard_media: StandardMedia) -> None:
    assert standard_media.fake.suffix == ".mp4"
    with pytest.raises(av.error.InvalidDataError):
        av.open(str(standard_media.fake))


def test_video_options_are_honoured(tmp_path: Path) -> None:
    path = make_video(
        tmp_path / "v.mp4", seconds=1.0, width=64, height=48, with_audio=False, fps=25
    )
    info = probe(path)
    assert info.seconds == pytest.approx(1.0, abs=0.05)
    assert info.size == (64, 48)
    assert info.fps == 25
    assert info.audio_codec is None


def test_media_is_deterministic(tmp_path: Path) -> None:
    makers: dict[str, Callable[[Path], Path]] = {
        "v.mp4": make_video,
        "a.mp3": make_audio,
        "i.png": make_image,
    }
    for name, make in makers.items():
        first = make(tmp_path / "first" / name)
        second = make(tmp_path / "second" / name)
        assert first.read_bytes() == second.read_bytes(), name


def test_media_server_serves_files(
    media_server: MediaServer, standard_media: StandardMedia, http: httpx.Client
) -> None:
    response = http.get(media_server.url("bars.mp4"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "video/mp4"
    assert response.content == standard_media.bars.read_bytes()
    assert "/bars.mp4" in media_server.requested_paths()
    assert http.get(media_server.url("missing.mp4")).status_code == 404


def test_media_server_redirects(media_server: MediaServer, http: httpx.Client) -> None:
    response = http.get(media_server.redirect_url("still.png"))
    assert response.status_code == 302
    assert response.headers["location"] == media_server.url("still.png")
    followed = http.get(
        media_server.redirect_url(media_server.url("still.png")), follow_redirects=True
    )
    assert followed.status_code == 200
    assert followed.headers["content-type"] == "image/png"


def test_media_server_answers_any_status(media_server: MediaServer, http: httpx.Client) -> None:
    assert http.get(media_server.url("status/404")).status_code == 404
    assert http.head(media_server.url("status/503")).status_code == 503


def test_big_streams_until_the_client_stops(media_server: MediaServer, http: httpx.Client) -> None:
    limit = 8 * 1024 * 1024
    received = 0
    with http.stream("GET", media_server.url("big")) as response:
        assert "content-length" not in response.headers
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > limit:
                break
    assert received > limit


def test_big_with_a_size_announces_it(media_server: MediaServer, http: httpx.Client) -> None:
    response = http.get(media_server.url("big?bytes=100000"))
    assert response.headers["content-length"] == "100000"
    assert len(response.content) == 100000


def test_slow_sends_headers_then_stalls(media_server: MediaServer) -> None:
    timeout = httpx.Timeout(5.0, read=0.3)
    with (
        httpx.Client(timeout=timeout) as client,
        client.stream("GET", media_server.url("slow")) as response,
    ):
        assert response.status_code == 200
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            response.read()
        assert time.monotonic() - started < 2


def test_slow_with_seconds_finishes(media_server: MediaServer, http: httpx.Client) -> None:
    started = time.monotonic()
    response = http.get(media_server.url("slow?seconds=0.2"))
    assert time.monotonic() - started >= 0.2
    assert len(response.content) == int(response.headers["content-length"])


def test_closing_the_media_server_releases_stalled_requests(tmp_path: Path) -> None:
    media = MediaServer(tmp_path)
    port = int(media.base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET /slow HTTP/1.0\r\n\r\n")
        assert sock.recv(1024).startswith(b"HTTP/1.0 200")
        started = time.monotonic()
        media.close()
        assert time.monotonic() - started < 2
        while sock.recv(1024):
            pass


def test_server_process_restarts_on_its_port_and_can_be_killed(
    server: ServerProcess, http: httpx.Client
) -> None:
    assert http.get(f"{server.base_url}/healthz").status_code == 200
    assert server.api("create_draft") == f"{server.base_url}/openapi/capcut-mate/v1/create_draft"
    port, first_pid = server.port, server.pid
    server.restart()
    assert (server.port, server.running) == (port, True)
    assert server.pid != first_pid
    assert http.get(f"{server.base_url}/healthz").status_code == 200
    assert server.kill() == -9
    assert not server.running
    assert server.log_path.is_file()


@pytest.mark.slow
def test_server_that_cannot_start_reports_its_log(tmp_path: Path) -> None:
    with pytest.raises(ServerStartError, match="exited with code") as info:
        ServerProcess(tmp_path, args=["--no-such-option"])
    assert "no-such-option" in info.value.output


def test_shared_server_is_healthy(shared_server: ServerProcess, http: httpx.Client) -> None:
    assert shared_server.running
    assert http.get(f"{shared_server.base_url}/healthz").status_code == 200
