"""Preview encoding: the same render plan, written small and fast.

A preview is the draft as the planner renders it, scaled at the encoder to PREVIEW_SHORT_SIDE
pixels on its shorter side (never up), at most PREVIEW_MAX_FPS frames a second, with x264's
fastest preset and a low bitrate: a look at the current state in seconds, not a deliverable.
"""

from __future__ import annotations

from dataclasses import dataclass

from draftsmith.render.planner import EncoderSettings
from draftsmith.timeline.model import Canvas

PREVIEW_SHORT_SIDE = 360
PREVIEW_MAX_FPS = 30


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def preview_canvas(canvas: Canvas, short_side: int = PREVIEW_SHORT_SIDE) -> Canvas:
    """The size a preview of `canvas` is written at: `short_side` pixels on its shorter side
    (a smaller canvas keeps its size), even sides, the aspect ratio kept."""
    factor = min(1.0, short_side / min(canvas.width, canvas.height))
    return Canvas(
        _even(canvas.width * factor),
        _even(canvas.height * factor),
        min(canvas.fps, PREVIEW_MAX_FPS),
    )


@dataclass(frozen=True)
class PreviewEncoder(EncoderSettings):
    """Encoder settings of previews: the planner's arguments at the preview's size."""

    preset: str = "ultrafast"
    crf: int = 30
    audio_bitrate_kbps: int = 64

    def encoder_args(self, canvas: Canvas) -> list[str]:
        return super().encoder_args(preview_canvas(canvas))
