"""Real media for the render tests, and the showcase draft rendered once per worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from draftsmith.render import render_draft
from render.drafts import BLUE, GREEN, TONE, TWO_COLOUR, WHITE, showcase
from render.features import FIELD, FIELD_COLOUR, SQUARE
from support.media import make_audio, make_image, make_video, run_ffmpeg


def make_two_colour_video(path: Path) -> Path:
    """Two seconds at 320x240: red, then yellow, over a 440 Hz tone."""
    run_ffmpeg(
        *("-f", "lavfi", "-i", "color=c=red:size=320x240:rate=30:duration=1"),
        *("-f", "lavfi", "-i", "color=c=yellow:size=320x240:rate=30:duration=1"),
        *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2"),
        *("-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]", "-map", "2:a"),
        *("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
        *("-c:a", "aac", "-b:a", "64k", str(path)),
    )
    return path


@pytest.fixture(scope="session")
def media_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Files for the media of `render.drafts`, by SHA-256 (names, not contents, give the hash)."""
    directory = tmp_path_factory.mktemp("render-media")
    return {
        TWO_COLOUR.sha256: make_two_colour_video(directory / "two-colour.mp4"),
        GREEN.sha256: make_video(directory / "green.mp4", 1.0, color="green", with_audio=False),
        BLUE.sha256: make_image(directory / "blue.png", color="blue"),
        WHITE.sha256: make_image(directory / "white.png", 64, 48, color="white"),
        TONE.sha256: make_audio(directory / "tone.mp3", 3.0),
    }


@pytest.fixture(scope="session")
def feature_paths(
    tmp_path_factory: pytest.TempPathFactory, media_paths: dict[str, Path]
) -> dict[str, Path]:
    """`media_paths` and the pictures of `render.features`: a red square and an orange field."""
    directory = tmp_path_factory.mktemp("feature-media")
    colour = "0x{:02X}{:02X}{:02X}".format(*FIELD_COLOUR)
    return {
        **media_paths,
        SQUARE.sha256: make_image(directory / "square.png", 20, 20, color="red"),
        FIELD.sha256: make_image(directory / "field.png", 160, 90, color=colour),
    }


@pytest.fixture(scope="session")
def showcase_mp4(tmp_path_factory: pytest.TempPathFactory, media_paths: dict[str, Path]) -> Path:
    return render_draft(showcase(), media_paths, tmp_path_factory.mktemp("render") / "out.mp4")
