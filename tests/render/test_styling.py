"""Real renders of the styling the renderer draws (render/drafts.py `styled`): keyword colours,
a transition, a faded-in clip and opacity keyframes, checked by decoding the MP4."""

from __future__ import annotations

from pathlib import Path

import pytest

from draftsmith.render import render_draft
from render.drafts import CANVAS, styled
from render.probe import BLUE, RED, WHITE, YELLOW, close, frames_at, probe

W, H = CANVAS.width, CANVAS.height
CAPTION_BAND = (0, H // 2 - 20, W, H // 2 + 20)


@pytest.fixture(scope="module")
def styled_mp4(tmp_path_factory: pytest.TempPathFactory, media_paths: dict[str, Path]) -> Path:
    return render_draft(styled(), media_paths, tmp_path_factory.mktemp("styled") / "styled.mp4")


def test_render_lasts_as_long_as_the_draft(styled_mp4: Path) -> None:
    assert abs(probe(styled_mp4).duration_s - 4.0) <= 1 / CANVAS.fps


def test_keyword_is_drawn_in_its_own_colour_between_the_plain_words(styled_mp4: Path) -> None:
    frame = frames_at(styled_mp4, [1.5])[1.5]
    keyword = frame.pixels_near(YELLOW, CAPTION_BAND)
    plain = frame.pixels_near(WHITE, CAPTION_BAND)
    assert len(keyword) > 100, "the keyword KEY is yellow"
    assert len(plain) > 100, "the rest of the caption stays white"
    left = min(x for x, _ in keyword)
    right = max(x for x, _ in keyword)
    assert sum(x < left for x, _ in plain) > 50, "'ab' is white, left of the keyword"
    assert sum(x > right for x, _ in plain) > 50, "'cd' is white, right of the keyword"
    # Chroma subsampling pales a few yellow edge pixels; the keyword is still mostly yellow.
    assert sum(left <= x <= right for x, _ in plain) * 5 < len(keyword)


@pytest.mark.parametrize(
    ("t", "expected", "why"),
    [
        (0.7, RED, "before the transition: the first segment alone"),
        (1.0, (127.5, 0, 127.5), "at the cut, half way through the 0.4 s cross-fade"),
        (1.3, BLUE, "after the transition: the second segment alone"),
    ],
)
def test_transition_cross_fades_across_the_cut(
    styled_mp4: Path, t: float, expected: tuple[float, float, float], why: str
) -> None:
    colour = frames_at(styled_mp4, [t])[t].mean()
    assert close(colour, expected, tolerance=20), f"at {t}s ({why}) the frame is {colour}"


def test_transition_moves_from_the_first_segment_to_the_second(styled_mp4: Path) -> None:
    frames = frames_at(styled_mp4, [0.9, 1.1])
    early, late = frames[0.9].mean(), frames[1.1].mean()
    assert early[0] > early[2] + 60, f"a quarter in, mostly red: {early}"
    assert late[2] > late[0] + 60, f"three quarters in, mostly blue: {late}"


def test_faded_in_clip_is_darker_at_its_start(styled_mp4: Path) -> None:
    frames = frames_at(styled_mp4, [2.1, 2.3, 2.8])
    greens = [frames[t].mean()[1] for t in (2.1, 2.3, 2.8)]
    # A 0.5 s fade in from black: 20 % and 60 % of the way, then the clip's own green (128).
    assert greens[0] == pytest.approx(0.2 * 128, abs=12)
    assert greens[1] == pytest.approx(0.6 * 128, abs=12)
    assert greens[2] == pytest.approx(128, abs=12)


@pytest.mark.parametrize(("t", "opacity"), [(3.3, 0.3), (3.6, 0.6), (3.9, 0.9)])
def test_opacity_keyframes_fade_the_image_in_over_black(
    styled_mp4: Path, t: float, opacity: float
) -> None:
    colour = frames_at(styled_mp4, [t])[t].mean()
    assert close(colour, (255 * opacity,) * 3, tolerance=16), f"at {t}s the frame is {colour}"
