"""What editors show on clips: a strip of pictures along each video and the waveform of each
sound, both made once at ingest; the latest render's report on the blocks it concerns."""

from __future__ import annotations

import io
import json
import logging
import math
import struct
from collections.abc import Iterator
from pathlib import Path

import av
import httpx
import pytest
from playwright.sync_api import Page, ViewportSize, expect

from draftsmith.blobs.local import LocalBlobStore
from draftsmith.errors import SaveFailed
from draftsmith.media.fetch import FetchLimits
from draftsmith.media.library import MediaLibrary
from draftsmith.media.strip import (
    STRIP_FRAMES,
    STRIP_HEIGHT,
    StripError,
    make_strip,
    strip_frame_size,
    strip_times,
)
from draftsmith.media.thumbnail import JPEG_MAGIC
from draftsmith.media.waveform import (
    SAMPLE_RATE,
    WaveformError,
    bucket_count,
    make_waveform,
    peaks_of,
    read_waveform,
)
from draftsmith.store.codec import media_from_json, media_to_json
from draftsmith.store.sqlite import SqliteDraftStore
from draftsmith.store.upkeep import blob_names
from draftsmith.timeline.model import MediaKind
from support.api import SECOND, Api
from support.downloads import draft_id_of
from support.media import StandardMedia, make_video, run_ffmpeg
from support.media_server import MediaServer
from support.server import ServerProcess
from ui.browser import DESKTOP, PHONE, Screenshot

LIMITS = FetchLimits(max_bytes=10_000_000, total_seconds=10, connect_seconds=5, allow_private=True)
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])


def picture_size(jpeg: bytes) -> tuple[int, int]:
    with av.open(io.BytesIO(jpeg), mode="r") as container:
        frame = next(container.decode(video=0))
        return frame.width, frame.height


def test_strip_pictures_are_spread_over_the_video_at_one_height() -> None:
    assert strip_frame_size(320, 240) == (72, STRIP_HEIGHT)
    assert strip_frame_size(1920, 1080) == (96, STRIP_HEIGHT)
    assert strip_frame_size(10, 10_000)[0] == 24
    with pytest.raises(StripError):
        strip_frame_size(0, 10)
    times = strip_times(10 * SECOND)
    assert times == [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5]
    assert max(strip_times(SECOND // 2)) <= 0.4


def test_a_strip_is_one_jpeg_of_all_its_pictures(standard_media: StandardMedia) -> None:
    strip = make_strip(standard_media.bars, 3 * SECOND, 320, 240)
    assert strip.startswith(JPEG_MAGIC)
    assert picture_size(strip) == (STRIP_FRAMES * 72, STRIP_HEIGHT)
    with pytest.raises(StripError):
        make_strip(standard_media.fake, 3 * SECOND, 320, 240)


def pcm(levels: list[int], seconds_each: float) -> bytes:
    """Mono 16-bit PCM at SAMPLE_RATE: a square wave of each level in turn."""
    samples: list[int] = []
    for level in levels:
        count = int(SAMPLE_RATE * seconds_each)
        samples += [level if n % 2 else -level for n in range(count)]
    return struct.pack(f"<{len(samples)}h", *samples)


def test_peaks_follow_the_level_of_each_stretch() -> None:
    data = pcm([16384, 0, 32767, 8192], 0.5)
    peaks = peaks_of(io.BytesIO(data), 2 * SECOND, 4)
    assert peaks == [128, 0, 255, 64]
    # More buckets than stretches: each stretch spans its share of buckets.
    fine = peaks_of(io.BytesIO(data), 2 * SECOND, 200)
    assert fine[:50] == [128] * 50 and fine[50:100] == [0] * 50 and fine[150:] == [64] * 50
    # Samples past the stated length count in the last bucket.
    assert peaks_of(io.BytesIO(data), SECOND, 2) == [128, 255]
    assert bucket_count(SECOND) == 200
    assert bucket_count(30 * SECOND) == 600
    assert bucket_count(3600 * SECOND) == 1000


def test_a_waveform_is_computed_from_the_sound(
    standard_media: StandardMedia, tmp_path: Path
) -> None:
    document = read_waveform(make_waveform(standard_media.tone, 3 * SECOND))
    assert document is not None and document["duration_us"] == 3 * SECOND
    peaks = document["peaks"]
    assert len(peaks) == 200 and min(peaks) > 0
    silent = tmp_path / "silent.wav"
    run_ffmpeg("-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "1", str(silent))
    quiet = read_waveform(make_waveform(silent, SECOND))
    assert quiet is not None and max(quiet["peaks"]) == 0
    for soundless in (
        make_video(tmp_path / "mute.mp4", 1.0, with_audio=False),
        standard_media.fake,
    ):
        with pytest.raises(WaveformError):
            make_waveform(soundless, SECOND)
    assert read_waveform(b'{"format":"other"}') is None
    assert read_waveform(b"\xff\xd8\xff") is None


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteDraftStore]:
    store = SqliteDraftStore(tmp_path / "store.sqlite3")
    yield store
    store.close()


def test_ingest_keeps_strips_and_waveforms_referenced_from_the_media(
    tmp_path: Path, store: SqliteDraftStore, media_server: MediaServer
) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    library = MediaLibrary(store, blobs, LIMITS)
    video = library.get("f", media_server.url("bars.mp4"), MediaKind.VIDEO)
    assert video.strip_sha256 is not None and video.strip_frames == STRIP_FRAMES
    assert b"".join(blobs.open_chunks(video.strip_sha256)).startswith(JPEG_MAGIC)
    assert video.waveform_sha256 is not None  # bars.mp4 has sound
    audio = library.get("f", media_server.url("tone.mp3"), MediaKind.AUDIO)
    assert audio.strip_sha256 is None and audio.waveform_sha256 is not None
    assert read_waveform(b"".join(blobs.open_chunks(audio.waveform_sha256))) is not None
    image = library.get("f", media_server.url("still.png"), MediaKind.IMAGE)
    assert (image.strip_sha256, image.waveform_sha256) == (None, None)
    assert store.media_for_url(media_server.url("bars.mp4")) == video
    # Garbage collection sees them as used.
    stored = media_to_json(video)
    assert {video.sha256, video.strip_sha256, video.waveform_sha256} <= set(blob_names(stored))


def test_media_stored_before_strips_and_waveforms_still_decode(
    standard_media: StandardMedia,
) -> None:
    old = {
        "sha256": "a" * 64,
        "kind": "video",
        "extension": "mp4",
        "size": 10,
        "duration_us": SECOND,
        "width": 320,
        "height": 240,
        "has_audio": True,
        "thumbnail_sha256": "b" * 64,
    }
    media = media_from_json(json.dumps(old))
    assert (media.strip_sha256, media.strip_frames, media.waveform_sha256) == (None, 0, None)
    # Media without them keep their stored form.
    assert json.loads(media_to_json(media)) == old


class PictureRefusingBlobs(LocalBlobStore):
    """Stores media files but fails every small write, as a full disk might."""

    def put_bytes(self, data: bytes) -> str:
        raise SaveFailed()


def test_a_strip_or_waveform_failure_never_fails_the_ingest(
    tmp_path: Path,
    store: SqliteDraftStore,
    media_server: MediaServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blobs = PictureRefusingBlobs(tmp_path / "blobs")
    library = MediaLibrary(store, blobs, LIMITS)
    with caplog.at_level(logging.WARNING, logger="draftsmith.media"):
        media = library.get("f", media_server.url("bars.mp4"), MediaKind.VIDEO)
    assert blobs.has(media.sha256)
    assert (media.strip_sha256, media.strip_frames, media.waveform_sha256) == (None, 0, None)
    assert store.media_for_url(media_server.url("bars.mp4")) == media
    assert "no strip" in caplog.text and "no waveform" in caplog.text


def test_the_timeline_view_links_strips_and_waveforms(
    shared_server: ServerProcess, api: Api, media_server: MediaServer, http: httpx.Client
) -> None:
    url = api.create_draft()
    api.add_video(url, media_server.url("bars.mp4"), 0, 2 * SECOND)
    api.add_audio(url, media_server.url("tone.mp3"), 0, 2 * SECOND)
    view = http.get(f"{shared_server.base_url}/ui/api/drafts/{draft_id_of(url)}/timeline").json()
    segments = {lane["type"]: lane["segments"][0] for lane in view["tracks"]}
    strip = segments["video"]["strip"]
    assert strip["frames"] == STRIP_FRAMES
    image = http.get(f"{shared_server.base_url}/{strip['url']}")
    assert image.status_code == 200 and image.content.startswith(JPEG_MAGIC)
    assert "strip" not in segments["audio"]
    for segment in segments.values():
        answer = http.get(f"{shared_server.base_url}/{segment['waveform_url']}")
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/json"
        assert "immutable" in answer.headers["cache-control"]
        assert len(answer.json()["peaks"]) == 200
    # Only waveform documents are served there, not other blobs.
    media_sha = strip["url"].rsplit("/", 1)[1]
    for name in (media_sha, "0" * 64, "../x"):
        refused = http.get(f"{shared_server.base_url}/ui/waveforms/{name}")
        assert refused.status_code == 404, name


@SIZES
def test_clips_show_strips_waveforms_and_the_render_report(
    page: Page,
    shared_server: ServerProcess,
    api: Api,
    media_server: MediaServer,
    size: ViewportSize,
    screenshot: Screenshot,
) -> None:
    url = api.create_draft(320, 240)
    api.add_video(url, media_server.url("bars.mp4"), 0, 3 * SECOND)
    api.add_audio(url, media_server.url("tone.mp3"), 0, 3 * SECOND)
    sticker = api.ok(
        "add_sticker",
        {"draft_url": url, "sticker_id": "7326810673609018675", "start": 0, "end": SECOND},
    )["segment_id"]
    api.save(url)
    api.gen_video(url)
    done, _ = api.wait(url)
    assert done["status"] == "completed", done
    page.set_viewport_size(size)
    page.goto(f"{shared_server.base_url}/#/drafts/{draft_id_of(url)}")
    expect(page.locator("section.render")).to_have_attribute("data-state", "completed")

    # A strip of pictures along the clip, in time order, filling it.
    video = page.locator(".lane-video .block")
    tiles = video.locator(".strip-tile")
    expect(tiles.first).to_be_attached()
    frames = [int(f) for f in tiles.evaluate_all("ts => ts.map(t => t.dataset.frame)")]
    assert frames == sorted(frames) and frames[0] <= 1 and frames[-1] >= STRIP_FRAMES - 2
    box = video.bounding_box()
    widths = tiles.evaluate_all("ts => ts.map(t => t.getBoundingClientRect().width)")
    assert box is not None and sum(widths) >= box["width"] - 2
    # The waveform is drawn on the audio block and under the video (it has sound).
    for lane in ("audio", "video"):
        expect(page.locator(f".lane-{lane} canvas.waveform")).to_have_attribute(
            "data-drawn", "true"
        )
    lit = page.locator(".lane-audio canvas.waveform").evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data"
        ".filter((v, i) => i % 4 === 3 && v > 0).length"
    )
    assert lit > 0

    # The render report marks the block it concerns, and says why in its details.
    marked = page.locator(f'.block[data-segment-id="{sticker}"]')
    expect(marked).to_have_class("block kind-sticker reported not_drawn")
    assert "not drawn in the render" in (marked.get_attribute("aria-label") or "")
    marked.focus()
    expect(page.locator("#tooltip")).to_contain_text("Render v1")
    expect(page.locator("#tooltip")).to_contain_text("Not drawn: sticker")
    expect(video).not_to_have_class("reported")
    page.evaluate("document.activeElement.blur()")
    if size == DESKTOP:
        screenshot(page, "strips-waveforms-report")


def test_square_wave_peaks_match_their_level() -> None:
    level = 12000
    data = pcm([level], 1.0)
    [peak] = peaks_of(io.BytesIO(data), SECOND, 1)
    assert peak == math.floor(level * 256 / 32768)
