"""compose benchmark: one 200-item compose against the equivalent chain of add_* calls.

A spec of 200 items over seven tracks (50 videos, 30 images, 40 audios, 50 captions, 10
effects, 10 filters, 10 stickers) is applied to a new draft, once by compose and once by the
chain a workflow makes today (create_draft, one add_* per track, one add_sticker per sticker:
17 calls), round after round, interleaved, against one `draftsmith serve` on SQLite. The
media are served from this machine and are already in the server's media library (a warm-up
round fetches them), as in a workflow that reuses its clips. Reports p50/p95 end to end and
the ratio. Run: python bench/compose_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import functools
import subprocess
import tempfile
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import imageio_ffmpeg

from harness import BenchServer, Connection, machine_line, measure_rounds

S = 1_000_000


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


def _ffmpeg(*args: str) -> None:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", *args]
    subprocess.run(command, check=True)


def make_media(directory: Path) -> None:
    """bars.mp4 (3 s), tone.m4a (3 s) and still.png."""
    _ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=3",
            "-pix_fmt", "yuv420p", str(directory / "bars.mp4"))  # fmt: skip
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "aac",
            str(directory / "tone.m4a"))  # fmt: skip
    _ffmpeg("-f", "lavfi", "-i", "color=c=blue:size=320x240", "-frames:v", "1",
            str(directory / "still.png"))  # fmt: skip


def tracks(media: str) -> list[dict[str, Any]]:
    """The 200-item spec's tracks (the same as tests/api/test_compose.py's)."""

    def span(i: int, gap: int = 1) -> dict[str, int]:
        return {"start": i * gap * S, "end": (i * gap + 1) * S}

    return [
        {"type": "video", "alpha": 0.9, "items": [
            {"video_url": f"{media}/bars.mp4", **span(i), "transition": "叠化" if i % 2 else None}
            for i in range(50)]},
        {"type": "image", "items": [
            {"image_url": f"{media}/still.png", **span(i), "in_animation": "渐显"}
            for i in range(30)]},
        {"type": "audio", "items": [
            {"audio_url": f"{media}/tone.m4a", **span(i)} for i in range(40)]},
        {"type": "caption", "font_size": 12, "items": [
            {"text": f"line {i}", **span(i)} for i in range(50)]},
        {"type": "effect", "items": [
            {"effect_title": "简约边框", **span(i, 2)} for i in range(10)]},
        {"type": "filter", "items": [
            {"filter_title": "1980", **span(i, 2)} for i in range(10)]},
        {"type": "sticker", "items": [
            {"sticker_id": "7326810673609018675", **span(i)} for i in range(10)]},
    ]  # fmt: skip


_VERBS = {
    "video": ("add_videos", "video_infos"),
    "image": ("add_images", "image_infos"),
    "audio": ("add_audios", "audio_infos"),
    "caption": ("add_captions", "captions"),
    "effect": ("add_effects", "effect_infos"),
    "filter": ("add_filters", "filter_infos"),
}


def chain(client: Connection, spec: list[dict[str, Any]]) -> None:
    draft_url = client.post("create_draft", {"width": 1280, "height": 720})["draft_url"]
    for track in spec:
        rest = {k: v for k, v in track.items() if k not in ("type", "items")}
        if track["type"] == "sticker":
            for item in track["items"]:
                client.post("add_sticker", {"draft_url": draft_url, **item})
            continue
        verb, field = _VERBS[track["type"]]
        client.post(verb, {"draft_url": draft_url, **rest, field: track["items"]})


def compose(client: Connection, spec: list[dict[str, Any]]) -> None:
    client.post("compose", {"width": 1280, "height": 720, "tracks": spec})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    repeats = 5 if args.quick else 30
    print(f"machine: {machine_line()}")
    with tempfile.TemporaryDirectory(dir=".") as scratch:
        media_dir = Path(scratch) / "media"
        media_dir.mkdir()
        make_media(media_dir)
        handler = functools.partial(_Quiet, directory=str(media_dir))
        media = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=media.serve_forever, daemon=True).start()
        env = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1", "DRAFTSMITH_MAX_DRAFTS_PER_KEY": "0"}
        try:
            with BenchServer(Path(scratch) / "data", env) as server, server.connect() as client:
                spec = tracks(f"http://127.0.0.1:{media.server_address[1]}")
                compose(client, spec)  # warm-up: the media enter the library
                chain(client, spec)
                actions: dict[str, Callable[[], object]] = {
                    "chain": lambda: chain(client, spec),
                    "compose": lambda: compose(client, spec),
                }
                timings = measure_rounds(actions, repeats)
        finally:
            media.shutdown()
    for name, figure in timings.items():
        print(f"  {name:8} {figure}")
    print(f"  chain / compose p50   {timings['chain'].p50_ms / timings['compose'].p50_ms:.1f}x")


if __name__ == "__main__":
    main()
