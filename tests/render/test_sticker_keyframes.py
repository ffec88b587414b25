"""Keyframes of stickers drawn on their picture: position, scale, rotation and opacity over time,
planned per frame and reported per property, and real renders (PyAV) where the sticker moves,
grows, turns and fades as its keys say."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from draftsmith.render import render_draft
from draftsmith.render.planner import plan_render
from draftsmith.render.report import Drawn, Feature, RenderReport
from draftsmith.timeline.model import Draft, Keyframe, KeyframeList, StickerSegment, Track
from render.drafts import fake_paths
from render.features import SMALL, STICKER_ID, stickered
from render.probe import Picture, frames_at
from support.media import make_image

OUTPUT = Path("/nonexistent/out/render.mp4")
W, H = SMALL.width, SMALL.height
LIME = (0, 255, 0)
SECOND = 1_000_000


def _keys(prop: str, *values: tuple[int, float]) -> KeyframeList:
    return KeyframeList(
        f"kf-{prop}", prop, tuple(Keyframe(f"k-{prop}-{t}", t, v) for t, v in values)
    )


def _keyed(*lists: KeyframeList) -> tuple[Draft, StickerSegment]:
    """features.stickered() (a 1 s sticker, 40 px right of the centre, three times its pixels
    at 1080p) with `lists` as the sticker's keyframes."""
    draft = stickered()
    [track] = draft.tracks
    [sticker] = track.segments
    assert isinstance(sticker, StickerSegment)
    keyed = replace(sticker, keyframes=lists)
    return replace(draft, tracks=(Track(track.id, track.kind, track.name, (keyed,)),)), keyed


def _graph(args: tuple[str, ...]) -> str:
    return args[args.index("-filter_complex") + 1]


def _keyframe_notes(report: RenderReport) -> list[tuple[str, Drawn, tuple[str, ...]]]:
    return [(e.name, e.drawn, e.segment_ids) for e in report.about(Feature.KEYFRAME)]


MOVE_AND_GROW = (
    _keys("KFTypePositionX", (0, -0.5), (SECOND, 0.5)),
    _keys("KFTypeScaleX", (0, 2.0), (SECOND, 4.0)),
    _keys("KFTypeScaleY", (0, 2.0), (SECOND, 4.0)),
)
TURN_AND_FADE = (
    _keys("KFTypeRotation", (0, 0.0), (SECOND, 90.0)),
    _keys("KFTypeAlpha", (0, 1.0), (SECOND, 0.2)),
)


def test_keyed_position_and_scale_are_planned_per_frame_and_reported(tmp_path: Path) -> None:
    draft, sticker = _keyed(*MOVE_AND_GROW)
    picture = tmp_path / f"{STICKER_ID}.png"
    plan = plan_render(draft, fake_paths(), OUTPUT, stickers={STICKER_ID: picture})

    graph = _graph(plan.args)
    # The scale changes per frame from the picture's pixels (1/12 at 90 px high), and the
    # centre moves from 40 px left of the canvas centre to 40 px right of it.
    assert "scale=w='max(2,iw*(" in graph and ")*90/1080)':h='max(2,ih*(" in graph
    assert ":eval=frame" in graph
    assert "overlay=x='80+(" in graph and "':y='45-overlay_h/2'" in graph
    assert "rotate=" not in graph and "geq=" not in graph
    assert _keyframe_notes(plan.report) == [
        (prop, Drawn.EXACT, (sticker.id,))
        for prop in ("KFTypePositionX", "KFTypeScaleX", "KFTypeScaleY")
    ]


def test_turns_fades_and_properties_stickers_lack_are_reported(tmp_path: Path) -> None:
    uneven = _keys("KFTypeScaleX", (0, 2.0), (SECOND, 3.0))
    brightness = _keys("KFTypeBrightness", (0, 0.0), (SECOND, 0.5))
    draft, sticker = _keyed(*TURN_AND_FADE, uneven, brightness)
    picture = tmp_path / f"{STICKER_ID}.png"
    plan = plan_render(draft, fake_paths(), OUTPUT, stickers={STICKER_ID: picture})

    graph = _graph(plan.args)
    assert "rotate=a='(" in graph and "ow='hypot(iw,ih)':oh=ow" in graph
    assert "geq=lum='p(X,Y)'" in graph
    notes = _keyframe_notes(plan.report)
    assert notes == [
        ("KFTypeRotation", Drawn.APPROXIMATED, (sticker.id,)),
        ("KFTypeAlpha", Drawn.EXACT, (sticker.id,)),
        ("KFTypeScaleX", Drawn.EXACT, (sticker.id,)),
        ("KFTypeBrightness", Drawn.NOT_DRAWN, (sticker.id,)),
    ]
    [approximated] = [
        e for e in plan.report.about(Feature.KEYFRAME) if e.drawn is Drawn.APPROXIMATED
    ]
    assert "unevenly" in approximated.how


def test_a_sticker_without_keyframes_is_planned_as_before(tmp_path: Path) -> None:
    draft, _ = _keyed()
    picture = tmp_path / f"{STICKER_ID}.png"
    plan = plan_render(draft, fake_paths(), OUTPUT, stickers={STICKER_ID: picture})
    graph = _graph(plan.args)
    assert "scale=w='max(1,iw*0.25)':h='max(1,ih*0.25)',format=yuva420p" in graph
    assert "overlay=x='120-overlay_w/2':y='45-overlay_h/2'" in graph
    assert "eval=frame" not in graph and plan.report.about(Feature.KEYFRAME) == ()


@pytest.fixture(scope="module")
def lime_picture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_image(tmp_path_factory.mktemp("sticker-keys") / "lime.png", 120, 120, color="lime")


def _rendered(
    keys: tuple[KeyframeList, ...], picture: Path, paths: dict[str, Path], output: Path
) -> dict[float, Picture]:
    draft, _ = _keyed(*keys)
    render_draft(draft, paths, output, stickers={STICKER_ID: picture})
    return frames_at(output, [0.0, 0.5, 0.9])


def test_a_sticker_moves_and_grows_as_its_keyframes_say(
    lime_picture: Path, feature_paths: dict[str, Path], tmp_path: Path
) -> None:
    frames = _rendered(MOVE_AND_GROW, lime_picture, feature_paths, tmp_path / "moving.mp4")
    # Scale 2 -> 4 of 120 px at 1080p on a 90 px canvas: 20 px -> 40 px; the centre from
    # 40 px left of the canvas centre to 40 px right of it, over 1 s. (Times fall on frames,
    # 30 a second, as for the pictures of test_drawing.)
    for t, (side, dx) in {0.0: (20, -40), 0.5: (30, 0), 0.9: (38, 32)}.items():
        box = frames[t].box_of(LIME)
        assert box is not None, t
        assert box[2] - box[0] == pytest.approx(side, abs=2), t
        assert box[3] - box[1] == pytest.approx(side, abs=2), t
        centre = frames[t].centroid(LIME)
        assert centre is not None, t
        assert centre[0] == pytest.approx(W / 2 + dx, abs=2.5), (t, centre)
        assert centre[1] == pytest.approx(H / 2, abs=1.5), (t, centre)


def test_a_sticker_turns_and_fades_as_its_keyframes_say(
    lime_picture: Path, feature_paths: dict[str, Path], tmp_path: Path
) -> None:
    frames = _rendered(TURN_AND_FADE, lime_picture, feature_paths, tmp_path / "turning.mp4")
    # A 30 px square 40 px right of the centre: straight at first, at 45 degrees (its diagonal
    # across, 42 px) at 0.5 s; opacity 1 -> 0.2 over 1 s, so 0.6 at 0.5 s, over black.
    cx, cy = W // 2 + 40, H // 2
    middle = (cx - 3, cy - 3, cx + 3, cy + 3)
    widths, greens = {}, {}
    for t, tolerance in ((0.0, 60), (0.5, 140)):
        box = frames[t].box_of(LIME, tolerance)
        assert box is not None, t
        widths[t] = box[2] - box[0]
        greens[t] = frames[t].mean(middle)[1]
    assert widths[0.0] == pytest.approx(30, abs=2)
    assert widths[0.5] == pytest.approx(30 * math.sqrt(2), abs=3)
    assert greens[0.0] > 230
    assert greens[0.5] == pytest.approx(0.6 * greens[0.0], abs=20)
