"""Keyframes and animations as channels over the timeline, and the animation name table."""

from __future__ import annotations

import pytest

from draftsmith.catalogue import Kind, entries
from draftsmith.render.curves import Channel, Cycle, Ramp, ramp
from draftsmith.render.motion import Box, Motion, alpha_keys, fade_terms, motion, volume_ramp
from draftsmith.render.movements import MOVES, Move, movement
from draftsmith.render.report import Drawn, Feature, ReportBuilder
from draftsmith.timeline.model import (
    Animation,
    Animations,
    Canvas,
    Clip,
    Keyframe,
    KeyframeList,
)

CANVAS = Canvas(160, 90, 30)
BOX = Box(CANVAS, 40, 30)
START_US = 2_000_000


def keys(prop: str, *points: tuple[int, float]) -> KeyframeList:
    return KeyframeList(f"k-{prop}", prop, tuple(Keyframe(f"{prop}-{t}", t, v) for t, v in points))


def moved(
    keyframes: tuple[KeyframeList, ...] = (),
    animations: tuple[Animation, ...] = (),
    clip: Clip | None = None,
    *,
    text: bool = False,
    report: ReportBuilder | None = None,
) -> Motion:
    held = Animations("a", not text, animations) if animations else None
    return motion(
        "seg",
        clip or Clip(),
        keyframes,
        held,
        START_US,
        BOX,
        report or ReportBuilder(),
        text=text,
    )


def test_ramp_holds_outside_its_keys_and_is_linear_between() -> None:
    r = ramp([(2.0, 10.0), (1.0, 0.0), (3.0, 10.0)])
    assert [r.at(t) for t in (0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 9.0)] == [0, 0, 5, 10, 10, 10, 10]
    assert r.expression() == ("if(lt(t,1),0,if(lt(t,3),if(lt(t,2),0+(10)*(t-1),10),10))")
    assert Ramp.constant(4.0).expression() == "4"


def test_many_keys_make_a_balanced_expression() -> None:
    r = ramp([(float(n), float(n % 2)) for n in range(64)])
    assert r.expression().count("if(") == 64
    # A chain of 64 nested ifs would nest 64 deep; the tree nests about log2(64) + 2.
    depth = most = 0
    for c in r.expression():
        depth += c == "("
        depth -= c == ")"
        most = max(most, depth)
    assert most < 20


def test_cycle_repeats_over_its_span_and_rests_outside() -> None:
    c = Cycle(ramp([(0.0, 0.0), (0.5, 1.0), (1.0, 0.0)]), 1.0, 2.0, 4.0, 7.0)
    assert [c.at(t) for t in (1.0, 2.0, 2.5, 3.25, 3.5, 4.0)] == [7, 0, 1, 0.5, 1, 7]
    assert "mod(t-2,1)" in c.expression()


def test_channels_add_or_multiply_their_terms() -> None:
    added = Channel((Ramp.constant(3.0), ramp([(0.0, 0.0), (1.0, 2.0)])))
    assert added.at(0.5) == 4.0
    assert added.bounds() == (3.0, 5.0)
    multiplied = Channel((Ramp.constant(2.0), ramp([(0.0, 0.5), (1.0, 1.0)])), product=True)
    assert multiplied.at(0.0) == 1.0
    assert multiplied.constant_value is None
    assert Channel.of(2.0).constant_value == 2.0


def test_position_keyframes_replace_the_clip_in_canvas_pixels() -> None:
    m = moved(
        (keys("KFTypePositionX", (0, -0.5), (1_000_000, 0.5)), keys("KFTypePositionY", (0, 1.0))),
        clip=Clip(transform_x=33, transform_y=-7),
    )
    # Half canvas widths, held before the first key; y is up in the editor, down on screen.
    assert m.x.at(1.0) == -40 and m.x.at(2.5) == 0 and m.x.at(3.5) == 40
    assert m.y.at(2.5) == -45
    assert m.moves and not m.scales and not m.rotates


def test_scale_rotation_and_opacity_keyframes() -> None:
    m = moved(
        (
            keys("KFTypeScaleX", (0, 1.0), (1_000_000, 2.0)),
            keys("KFTypeRotation", (500_000, 90.0)),
            keys("KFTypeAlpha", (0, 1.5), (1_000_000, -1.0)),
        ),
        clip=Clip(alpha=0.5, scale_y=0.5),
    )
    assert m.scale_x.at(2.5) == 1.5 and m.scale_y.at(2.5) == 0.5
    assert m.rotation.constant_value == 90.0 and m.rotates
    assert (m.alpha.at(2.0), m.alpha.at(3.0)) == (1.0, 0.0), "opacity keys are clamped to 0-1"


def test_opacity_keys_are_found_and_sorted() -> None:
    found = alpha_keys([keys("KFTypeScaleX"), keys("KFTypeAlpha", (500_000, 0.2), (100, 1.0))])
    assert [k.time_offset for k in found] == [100, 500_000]


def test_volume_keyframes_are_a_ramp_from_the_segment_start() -> None:
    ramp_ = volume_ramp([keys("KFTypeVolume", (0, 1.0), (1_000_000, 0.0))], 0)
    assert ramp_ is not None and ramp_.at(0.5) == 0.5
    assert volume_ramp([], 0) is None


def test_slide_in_starts_off_the_canvas_and_ends_at_rest() -> None:
    m = moved(animations=(Animation("in", "向左滑动", "1", "2", 0, 500_000),))
    start, end = 2.0, 2.5
    assert m.x.at(start) - BOX.width / 2 >= CANVAS.width / 2, "left edge past the right edge"
    assert m.x.at(end) == 0.0
    out = moved(animations=(Animation("out", "向下滑动", "1", "2", 500_000, 500_000),))
    assert out.y.at(2.5) == 0.0
    assert out.y.at(3.0) - BOX.height / 2 >= CANVAS.height / 2, "top edge past the bottom"


def test_zoom_in_grows_and_rotate_turns_and_fades() -> None:
    zoom = moved(animations=(Animation("in", "放大", "1", "2", 0, 500_000),))
    assert zoom.scale_x.at(2.0) < zoom.scale_x.at(2.25) < zoom.scale_x.at(2.5) == 1.0
    spin = moved(animations=(Animation("in", "旋转", "1", "2", 0, 500_000),))
    assert spin.rotation.at(2.0) == -360 and spin.rotation.at(2.5) == 0
    fades, rest = fade_terms(spin.alpha)
    assert fades == [("in", 2.0, 0.5)]
    assert rest.constant_value == 1.0


def test_group_animation_goes_in_then_out() -> None:
    m = moved(animations=(Animation("group", "缩放", "1", "2", 0, 1_000_000),))
    assert m.scale_x.at(2.0) < 1 and m.scale_x.at(2.5) == 1.0 and m.scale_x.at(3.0) > 1


def test_loops_repeat_the_catalogue_cycle() -> None:
    m = moved(animations=(Animation("loop", "晃动", "1", "2", 0, 2_000_000),), text=True)
    values = {round(m.x.at(2.0 + n * 0.05), 3) for n in range(40)}
    assert len(values) > 3, "the caption shakes"
    assert m.x.at(4.5) == 0.0


def test_per_character_animations_of_captions_are_kept_for_the_captions() -> None:
    m = moved(animations=(Animation("in", "打字机 I", "1", "2", 0, 1_000_000),), text=True)
    assert m.per_character == ((Move.TYPEWRITER, "in", 2.0, 3.0),)


def test_animations_are_reported_by_how_they_are_drawn() -> None:
    report = ReportBuilder()
    moved(
        animations=(
            Animation("in", "渐显", "1", "2", 0, 300_000),
            Animation("out", "向左滑动", "1", "2", 700_000, 300_000),
            Animation("group", "不存在的名字", "1", "2", 0, 1_000_000),
        ),
        report=report,
    )
    drawn = {(e.name, e.drawn) for e in report.build().about(Feature.ANIMATION)}
    assert drawn == {
        ("in: 渐显", Drawn.EXACT),
        ("out: 向左滑动", Drawn.APPROXIMATED),
        ("group: 不存在的名字", Drawn.NOT_DRAWN),
    }


@pytest.mark.parametrize("kind", list(MOVES))
def test_the_table_names_at_least_30_catalogue_animations_of_each_kind(kind: Kind) -> None:
    names = {entry.name for entry in entries(kind)}
    assert len(MOVES[kind]) >= 30
    assert set(MOVES[kind]) <= names


def test_unlisted_names_move_as_their_words_say() -> None:
    assert movement(Kind.VIDEO_INTRO, "向右下甩入", text=False).move is Move.SLIDE_RIGHT
    unlisted = movement(Kind.VIDEO_INTRO, "冰块", text=False)
    assert (unlisted.move, unlisted.listed) == (Move.FADE, False)
    assert movement(Kind.TEXT_LOOP, "彩虹", text=True).move is None
    assert movement(Kind.VIDEO_GROUP, "逐字放大", text=False).move is Move.ZOOM_IN
