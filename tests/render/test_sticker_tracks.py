"""Sticker tracks are not rendered: the server has no picture of a library sticker, so the
plan is the draft's plan without them (docs/render.md)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from draftsmith.render.graph import seconds
from draftsmith.render.planner import plan_render
from draftsmith.timeline.model import Clip, StickerSegment, Timerange, Track, TrackKind
from render.drafts import fake_paths, showcase

OUTPUT = Path("/nonexistent/out/render.mp4")


def _sticker_track(target: Timerange) -> Track:
    sticker = StickerSegment("sticker-1", "sticker-material-1", "7326810673609018675", target)
    sticker = replace(sticker, clip=Clip(scale_x=2.0, scale_y=2.0, transform_x=300.0))
    return Track("track-sticker", TrackKind.STICKER, "sticker_1", (sticker,))


def test_a_sticker_inside_the_draft_changes_nothing() -> None:
    draft = showcase()
    inside = Timerange(0, draft.duration // 2)
    with_sticker = replace(draft, tracks=(*draft.tracks, _sticker_track(inside)))
    assert plan_render(with_sticker, fake_paths(), OUTPUT) == plan_render(
        draft, fake_paths(), OUTPUT
    )


def test_a_sticker_past_the_end_only_lengthens_the_render() -> None:
    draft = showcase()
    later = Timerange(draft.duration, 2_000_000)
    plan = plan_render(
        replace(draft, tracks=(_sticker_track(later), *draft.tracks)), fake_paths(), OUTPUT
    )
    assert plan.duration_us == draft.duration + 2_000_000
    assert plan.args[-5:-3] == ("-t", seconds(draft.duration + 2_000_000))
