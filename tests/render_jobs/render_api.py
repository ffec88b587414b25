"""The render verbs over HTTP, for tests: queue, poll until a condition holds, download, probe."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av

from api.draft_api import SECOND, DraftApi

Status = dict[str, Any]


@dataclass(frozen=True)
class Probed:
    width: int
    height: int
    duration_us: int
    has_audio: bool


def probe(path: Path) -> Probed:
    """What PyAV reads from an MP4: picture size, duration and whether it has sound."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        duration = container.duration
        assert duration is not None
        return Probed(
            width=video.codec_context.width,
            height=video.codec_context.height,
            duration_us=int(duration * SECOND // av.time_base),
            has_audio=bool(container.streams.audio),
        )


class RenderApi(DraftApi):
    def add_media(self, draft_url: str, kind: str, url: str, start: int, end: int) -> None:
        infos = [{f"{kind}_url": url, "start": start, "end": end}]
        self.ok(f"add_{kind}s", {"draft_url": draft_url, f"{kind}_infos": infos})

    def video_draft(
        self, video_url: str, seconds: float, width: int = 320, height: int = 240
    ) -> str:
        """A saved draft that shows `video_url` for `seconds`, with a caption over it."""
        draft_url = self.create_draft(width, height)
        end = int(seconds * SECOND)
        self.add_media(draft_url, "video", video_url, 0, end)
        self.add_caption(draft_url, "rendering", 0, end)
        self.save(draft_url)
        return draft_url

    def gen_video(self, draft_url: str, **extra: Any) -> Status:
        return self.ok("gen_video", {"draft_url": draft_url, **extra})

    def status(self, draft_url: str) -> Status:
        return self.ok("gen_video_status", {"draft_url": draft_url})

    def wait(
        self,
        draft_url: str,
        until: Callable[[Status], bool] = lambda s: s["status"] in ("completed", "failed"),
        timeout: float = 60.0,
    ) -> tuple[Status, list[int]]:
        """Poll gen_video_status until `until` holds; returns that answer and every progress
        seen on the way."""
        deadline = time.monotonic() + timeout
        seen: list[int] = []
        while True:
            status = self.status(draft_url)
            seen.append(status["progress"])
            if until(status):
                return status, seen
            assert time.monotonic() < deadline, f"gave up waiting; last answer: {status}"
            time.sleep(0.05)

    def download(self, url: str, target: Path, **headers: str) -> Path:
        response = self.http.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        assert response.headers["content-type"] == "video/mp4"
        target.write_bytes(response.content)
        return target


def processing(status: Status) -> bool:
    return bool(status["status"] == "processing")
