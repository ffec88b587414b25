"""Sticker tracks are not rendered unless the operator supplies a picture of the sticker: the
server has no picture of a library sticker, so the plan is the draft's plan without them, and
the report says so (docs/render.md)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from draftsmith.render.graph import seconds
from draftsmith.render.planner import plan_render
from draftsmith.render.report import Drawn, Feature
from draftsmith.render.runner import sticker_pictures
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
    plan = plan_render(with_sticker, fake_paths(), OUTPUT)
    plain = plan_render(draft, fake_paths(), OUTPUT)
    assert (plan.args, plan.files) == (plain.args, plain.files)
    [sticker] = plan.report.about(Feature.STICKER)
    assert (sticker.drawn, sticker.segment_ids) == (Drawn.NOT_DRAWN, ("sticker-1",))


def test_a_sticker_past_the_end_only_lengthens_the_render() -> None:
    draft = showcase()
    later = Timerange(draft.duration, 2_000_000)
    plan = plan_render(
        replace(draft, tracks=(_sticker_track(later), *draft.tracks)), fake_paths(), OUTPUT
    )
    assert plan.duration_us == draft.duration + 2_000_000
    assert plan.args[-5:-3] == ("-t", seconds(draft.duration + 2_000_000))


def test_a_sticker_with_a_picture_is_drawn_and_reported(tmp_path: Path) -> None:
    draft = showcase()
    picture = tmp_path / "7326810673609018675.webp"
    picture.write_bytes(b"not read while planning")
    with_sticker = replace(draft, tracks=(*draft.tracks, _sticker_track(Timerange(0, 1_000_000))))

    stickers = sticker_pictures(with_sticker, tmp_path)
    plan = plan_render(with_sticker, fake_paths(), OUTPUT, stickers=stickers)

    assert stickers == {"7326810673609018675": picture}
    assert str(picture) in plan.args
    graph = plan.args[plan.args.index("-filter_complex") + 1]
    # Twice its pixels at 1080p on a 240 px high canvas; 300 px right of the centre.
    assert "scale=w='max(1,iw*0.444444)':h='max(1,ih*0.444444)'" in graph
    assert "overlay=x='460-overlay_w/2':y='120-overlay_h/2'" in graph
    [entry] = plan.report.about(Feature.STICKER)
    assert (entry.drawn, entry.segment_ids) == (Drawn.APPROXIMATED, ("sticker-1",))


def test_sticker_pictures_are_found_by_id_and_missing_ones_are_not(tmp_path: Path) -> None:
    draft = replace(showcase(), tracks=(_sticker_track(Timerange(0, 1_000_000)),))
    assert sticker_pictures(draft, None) == {}
    assert sticker_pictures(draft, tmp_path) == {}
    (tmp_path / "7326810673609018675.gif").write_bytes(b"GIF89a")
    (tmp_path / "7326810673609018675.png").write_bytes(b"\x89PNG")
    assert sticker_pictures(draft, tmp_path) == {
        "7326810673609018675": tmp_path / "7326810673609018675.png"
    }
