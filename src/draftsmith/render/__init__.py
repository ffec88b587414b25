"""Render a draft to MP4 with ffmpeg: a pure planner and a runner (see DESIGN.md, render/)."""

from draftsmith.render.planner import EncoderSettings, RenderPlan, plan_render
from draftsmith.render.runner import Cancellation, local_media, render_draft

__all__ = [
    "Cancellation",
    "EncoderSettings",
    "RenderPlan",
    "local_media",
    "plan_render",
    "render_draft",
]
