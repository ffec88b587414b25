"""Real renders of keyframes, masks, animations, filters and effects (render/features.py),
checked frame by frame with PyAV: where the red square is and how big, what the mask keeps,
which way a filter moves the colours."""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

import pytest

from draftsmith.render import render_draft
from render.features import (
    FIELD_COLOUR,
    SMALL,
    STICKER_ID,
    animated,
    everything,
    looked,
    masked,
    moving,
    stickered,
)
from render.probe import (
    BLACK,
    RED,
    Colour,
    Picture,
    close,
    frames_at,
    mono_samples,
    probe,
    rms,
)
from support.media import make_image

W, H = SMALL.width, SMALL.height
SQUARE_PX = 18


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("drawing")


def _render(directory: Path, paths: dict[str, Path], name: str) -> Path:
    drafts = {"moving": moving, "masked": masked, "animated": animated, "looked": looked}
    output = directory / f"{name}.mp4"
    if not output.exists():
        render_draft(drafts[name](), paths, output)
    return output


@pytest.fixture(scope="module")
def moving_mp4(renders: Path, feature_paths: dict[str, Path]) -> Path:
    return _render(renders, feature_paths, "moving")


@pytest.fixture(scope="module")
def masked_mp4(renders: Path, feature_paths: dict[str, Path]) -> Path:
    return _render(renders, feature_paths, "masked")


@pytest.fixture(scope="module")
def animated_mp4(renders: Path, feature_paths: dict[str, Path]) -> Path:
    return _render(renders, feature_paths, "animated")


@pytest.fixture(scope="module")
def looked_mp4(renders: Path, feature_paths: dict[str, Path]) -> Path:
    return _render(renders, feature_paths, "looked")


def _width(frame: Picture, tolerance: int = 60) -> int:
    box = frame.box_of(RED, tolerance)
    assert box is not None, "the square is on the canvas"
    return box[2] - box[0]


@pytest.mark.parametrize(
    ("t", "x"),
    [(0.0, 40.0), (0.3, 64.0), (0.5, 80.0), (1.0, 120.0), (1.4, 120.0)],
)
def test_position_keyframes_move_the_square_along_its_path(
    moving_mp4: Path, t: float, x: float
) -> None:
    centre = frames_at(moving_mp4, [t])[t].centroid(RED)
    assert centre is not None
    # Keys at -0.5 and 0.5 half widths: 40 px left of the centre to 40 px right, then held.
    # (Times fall on frames, 30 a second.)
    assert centre[0] == pytest.approx(x, abs=2.5), f"at {t}s the square is at {centre}"
    assert centre[1] == pytest.approx(H / 2, abs=1.5)


@pytest.mark.parametrize(("t", "side"), [(1.5, 18), (2.0, 27), (2.5, 36), (2.9, 36)])
def test_scale_keyframes_grow_the_square(moving_mp4: Path, t: float, side: int) -> None:
    frame = frames_at(moving_mp4, [t])[t]
    assert _width(frame) == pytest.approx(side, abs=2)
    centre = frame.centroid(RED)
    assert centre is not None and close((*centre, 0), (W / 2, H / 2, 0), tolerance=1.5)


def test_rotation_keyframes_turn_the_square(moving_mp4: Path) -> None:
    frames = frames_at(moving_mp4, [3.0, 4.2])
    side = 0.3 * 4.5 * 20
    assert _width(frames[3.0]) == pytest.approx(side, abs=2)
    # At 45 degrees its corners point up, down and sideways: its box is its diagonal (the
    # tips, blended with the black around them, are paler).
    assert _width(frames[4.2], tolerance=160) == pytest.approx(side * math.sqrt(2), abs=3)


FIELD: Colour = (float(FIELD_COLOUR[0]), float(FIELD_COLOUR[1]), float(FIELD_COLOUR[2]))


def test_circle_mask_keeps_the_inside_and_blacks_out_the_rest(masked_mp4: Path) -> None:
    frame = frames_at(masked_mp4, [0.5])[0.5]
    assert close(frame.mean((75, 40, 85, 50)), FIELD, tolerance=20)
    assert close(frame.mean((0, 0, 20, 20)), BLACK, tolerance=8)
    assert close(frame.mean((140, 70, 160, 90)), BLACK, tolerance=8)
    inside = frame.box_of(FIELD, tolerance=40)
    assert inside is not None
    assert inside[2] - inside[0] == pytest.approx(45, abs=3), "45 px across"
    assert inside[3] - inside[1] == pytest.approx(45, abs=3)


def test_inverted_mask_swaps_inside_and_outside(masked_mp4: Path) -> None:
    frame = frames_at(masked_mp4, [1.5])[1.5]
    assert close(frame.mean((75, 40, 85, 50)), BLACK, tolerance=8)
    assert close(frame.mean((0, 0, 20, 20)), FIELD, tolerance=20)


def test_feathered_mask_fades_across_its_edge(masked_mp4: Path) -> None:
    hard, soft = (frames_at(masked_mp4, [t])[t] for t in (0.5, 2.5))

    def reds(frame: Picture) -> list[float]:
        return [frame.mean((x, 44, x + 1, 46))[0] for x in range(80, 112)]

    between = [r for r in reds(soft) if 40 < r < FIELD[0] - 40]
    hard_between = [r for r in reds(hard) if 40 < r < FIELD[0] - 40]
    assert len(between) >= 6, f"a gradient from the field to black: {reds(soft)}"
    assert len(between) > 2 * len(hard_between)
    assert _mostly_falling(reds(soft))


def _mostly_falling(values: list[float]) -> bool:
    """Never rising by more than what encoding blurs."""
    return not any(b > a + 6 for a, b in pairwise(values))


def test_slide_in_starts_off_the_canvas_and_comes_to_rest(animated_mp4: Path) -> None:
    frames = frames_at(animated_mp4, [0.0, 0.25, 0.6])
    assert frames[0.0].centroid(RED) is None, "nothing of the square shows at first"
    moving_in = frames[0.25].centroid(RED)
    assert moving_in is not None and moving_in[0] > W / 2 + 10, "it comes from the right"
    at_rest = frames[0.6].centroid(RED)
    assert at_rest is not None and at_rest[0] == pytest.approx(W / 2, abs=1.5)


def test_zoom_in_grows_the_square(animated_mp4: Path) -> None:
    frames = frames_at(animated_mp4, [1.1, 1.4, 1.7, 1.95])
    widths = [_width(frames[t]) for t in (1.1, 1.4, 1.7)]
    assert widths == sorted(widths) and widths[0] < widths[-1] - 5
    assert _width(frames[1.95]) == pytest.approx(SQUARE_PX, abs=2)


def _warmth(frame: Picture) -> float:
    red, _, blue = frame.mean()
    return red - blue


def test_filters_move_the_colours_their_way(looked_mp4: Path) -> None:
    frames = frames_at(looked_mp4, [0.25, 1.0, 2.0, 2.75])
    plain, warm, cool = (_warmth(frames[t]) for t in (0.25, 1.0, 2.0))
    assert warm > plain + 10, f"a warm filter warms: {warm} after {plain}"
    assert cool < plain - 10, f"a cool filter cools: {cool} after {plain}"


def test_black_and_white_effect_takes_the_colour_out(looked_mp4: Path) -> None:
    frames = frames_at(looked_mp4, [0.25, 2.75])
    assert frames[0.25].saturation() > 100
    assert frames[2.75].saturation() < 10


def test_volume_keyframes_fade_the_sound_out(looked_mp4: Path) -> None:
    samples = mono_samples(looked_mp4)
    # Full at 0 s, silent from 1 s: about 0.9 of the tone, then 0.2, then nothing.
    early, middle, late = (rms(samples, t, t + 0.1) for t in (0.05, 0.75, 1.5))
    assert early * 0.1 < middle < early * 0.4
    assert late < early / 20


def test_a_sticker_whose_picture_is_supplied_is_drawn(
    renders: Path, feature_paths: dict[str, Path]
) -> None:
    picture = make_image(renders / "sticker.png", 120, 120, color="lime")
    output = render_draft(
        stickered(), feature_paths, renders / "stickered.mp4", stickers={STICKER_ID: picture}
    )
    frame = frames_at(output, [0.5])[0.5]
    box = frame.box_of((0, 255, 0))
    assert box is not None
    assert (box[2] - box[0], box[3] - box[1]) == (30, 30)
    centre = frame.centroid((0, 255, 0))
    assert centre is not None and close((*centre, 0), (W / 2 + 40, H / 2, 0), tolerance=1)


def test_every_shape_effect_filter_and_movement_renders(
    renders: Path, feature_paths: dict[str, Path]
) -> None:
    output = render_draft(everything(), feature_paths, renders / "everything.mp4")
    assert probe(output).duration_s == pytest.approx(4.0, abs=1 / SMALL.fps)
    frames = frames_at(output, [0.7, 0.9])
    heart, star = frames[0.7], frames[0.9]
    # The heart keeps its middle; the star is inverted: its middle goes, its corners stay.
    assert heart.mean((76, 41, 84, 49))[0] > heart.mean((0, 0, 10, 10))[0] + 60
    assert star.mean((0, 0, 10, 10))[0] > star.mean((76, 41, 84, 49))[0] + 60
