"""What PyAV reads from a rendered MP4: picture size, duration and whether it has sound."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av

from support.api import SECOND


@dataclass(frozen=True)
class Probed:
    width: int
    height: int
    duration_us: int
    has_audio: bool


def probe(path: Path) -> Probed:
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
