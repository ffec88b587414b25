"""Render a draft to MP4 with ffmpeg: a pure planner and a runner (see DESIGN.md, render/)."""

from draftsmith.render.planner import EncoderSettings, RenderPlan, plan_render
from draftsmith.render.runner import Cancellation, render_draft

__all__ = [
    "Cancellation",
    "EncoderSettings",
    "RenderPlan",
    "plan_render",
    "render_draft",
]
