"""Real renders of the showcase draft (see render/drafts.py), checked by decoding the MP4."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from draftsmith.render import render_draft
from render.drafts import CANVAS, framed, showcase
from render.probe import (
    BLACK,
    BLUE,
    GREEN,
    PINK,
    RED,
    WHITE,
    YELLOW,
    Colour,
    close,
    frames_at,
    mono_samples,
    probe,
    rms,
)

W, H = CANVAS.width, CANVAS.height
TOP_LEFT = (0, 0, W // 2 - 8, H // 2 - 8)
CENTRE = (W // 4 + 8, H // 4 + 8, 3 * W // 4 - 8, 3 * H // 4 - 8)
CORNER = (0, 0, W // 4 - 8, H // 4 - 8)
BOTTOM_RIGHT = (W // 2 + 8, H // 2 + 8, W, H)
CAPTION_BOX = (W // 4, H // 2 - 12, 3 * W // 4, H // 2 + 12)
TOP_STRIP = (0, 0, W, H // 4)
TITLE_BOX = (W // 4, H // 2 - 95, 3 * W // 4, H // 2 - 65)
BOTTOM_HALF = (0, H // 2, W, H)


def test_streams_match_the_canvas_and_duration(showcase_mp4: Path) -> None:
    info = probe(showcase_mp4)
    assert abs(info.duration_s - showcase().duration / 1e6) <= 1 / CANVAS.fps
    assert (info.width, info.height) == (W, H)
    assert info.fps == Fraction(CANVAS.fps)
    assert (info.codec, info.pixel_format) == ("h264", "yuv420p")
    assert info.audio_codec == "aac"
    assert info.audio_channels == 2


@pytest.mark.parametrize(
    ("t", "expected", "why"),
    [
        (0.10, RED, "first second of the clip"),
        (0.40, PINK, "white image at alpha 0.5 over red"),
        (0.85, RED, "the white image is gone"),
        (1.10, YELLOW, "second segment plays source 1-2 s: the yellow half"),
        (1.85, YELLOW, "the green overlay is gone"),
        (2.25, BLACK, "gap between segments"),
        (2.75, BLUE, "the image"),
        (4.25, BLUE, "the image, after the caption"),
    ],
)
def test_frame_colour_follows_the_timeline(
    showcase_mp4: Path, t: float, expected: Colour, why: str
) -> None:
    colour = frames_at(showcase_mp4, [t])[t].mean()
    assert close(colour, expected), f"at {t}s ({why}) the frame is {colour}, not {expected}"


def test_overlay_is_scaled_and_moved_over_the_lower_track(showcase_mp4: Path) -> None:
    frame = frames_at(showcase_mp4, [1.45])[1.45]
    # Half size, moved 80 right and 60 down from the centre: the bottom right quarter.
    assert close(frame.mean(BOTTOM_RIGHT), GREEN)
    assert close(frame.mean(TOP_LEFT), YELLOW)


def test_caption_is_drawn_while_shown(showcase_mp4: Path) -> None:
    frames = frames_at(showcase_mp4, [2.75, 3.5, 4.25])
    before, during, after = frames[2.75], frames[3.5], frames[4.25]
    assert during.differs(before, CAPTION_BOX) > 20
    assert close(during.mean(TOP_STRIP), BLUE)
    assert after.differs(before, CAPTION_BOX) < 3


def test_gap_after_the_image_is_black_under_the_title(showcase_mp4: Path) -> None:
    frames = frames_at(showcase_mp4, [4.75])
    assert close(frames[4.75].mean(BOTTOM_HALF), BLACK)
    assert not close(frames[4.75].mean(TITLE_BOX), BLACK, tolerance=8)


def test_sound_follows_segments_and_volumes(showcase_mp4: Path) -> None:
    samples = mono_samples(showcase_mp4)
    clip = rms(samples, 0.1, 0.9)
    muted = rms(samples, 1.1, 1.9)
    gap = rms(samples, 2.1, 2.9)
    music = rms(samples, 3.1, 4.9)
    assert clip > 1000, "the clip's own sound plays at volume 1"
    assert muted < 30, "the second segment of the clip is muted"
    assert gap < 30, "gaps are silent"
    assert music / clip == pytest.approx(0.5, abs=0.08), "the tone plays at volume 0.5"


@pytest.fixture(scope="module")
def framed_mp4(tmp_path_factory: pytest.TempPathFactory, media_paths: dict[str, Path]) -> Path:
    return render_draft(framed(), media_paths, tmp_path_factory.mktemp("framed") / "framed.mp4")


def test_bottom_track_segments_sit_on_black(framed_mp4: Path) -> None:
    frames = frames_at(framed_mp4, [0.5, 1.5, 2.5])
    assert close(frames[0.5].mean(CENTRE), GREEN), "half size clip in the middle"
    assert close(frames[0.5].mean(CORNER), BLACK), "black around it"
    assert close(frames[1.5].mean(), (128, 0, 0), tolerance=20), "red at alpha 0.5 over black"
    assert close(frames[2.5].mean(CORNER), WHITE), "half size image moved up and left"
    assert close(frames[2.5].mean(BOTTOM_RIGHT), BLACK)
    assert abs(probe(framed_mp4).duration_s - 3.0) <= 1 / CANVAS.fps
