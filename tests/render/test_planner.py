"""The planner is pure: a draft and media paths in, ffmpeg arguments and caption scripts out.

Golden files live in tests/render/golden/<case>/. Regenerate them after an intended change with
DRAFTSMITH_REGEN_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from draftsmith.errors import InvalidInput, RenderFailed
from draftsmith.render.graph import seconds
from draftsmith.render.planner import EncoderSettings, RenderPlan, plan_render
from draftsmith.render.report import Drawn, Feature
from draftsmith.render.video import placement
from draftsmith.timeline.model import (
    AudioEffect,
    Canvas,
    Clip,
    Draft,
    MediaSegment,
    Timerange,
    TrackKind,
)
from render import features
from render.drafts import (
    CANVAS,
    GREEN,
    TONE,
    TWO_COLOUR,
    WHITE,
    fake_paths,
    framed,
    media_segment,
    showcase,
    span,
    styled,
    track,
)

GOLDEN = Path(__file__).parent / "golden"
OUTPUT = Path("/nonexistent/out/render.mp4")
REGENERATE = os.environ.get("DRAFTSMITH_REGEN_GOLDEN") == "1"


def golden_files(plan: RenderPlan) -> dict[str, str]:
    """The plan as text files: one argument per line (the filter graph spans several), its
    scripts, and its report."""
    report = json.dumps(plan.report.as_json(), ensure_ascii=False, indent=1) + "\n"
    return {"args.txt": "\n".join(plan.args) + "\n", **plan.files, "report.json": report}


def check_golden(case: str, plan: RenderPlan) -> None:
    directory = GOLDEN / case
    files = golden_files(plan)
    if REGENERATE:
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.iterdir():
            stale.unlink()
        for name, text in files.items():
            (directory / name).write_text(text, encoding="utf-8")
    stored = {path.name: path.read_text(encoding="utf-8") for path in directory.iterdir()}
    assert sorted(stored) == sorted(files), f"golden files of {case} differ in name"
    for name, text in files.items():
        assert text == stored[name], f"{case}/{name} differs from its golden file"


def audio_only() -> Draft:
    music = track("music", TrackKind.AUDIO, media_segment("tone", TONE, span(0, 1500)))
    return replace(showcase(), tracks=(music,))


def speed_change() -> Draft:
    # Two seconds of source played in one: double speed, audio through atempo.
    fast = media_segment("fast", TWO_COLOUR, span(500, 1500), span(0, 2000))
    slow = media_segment("slow", TONE, span(0, 3000), span(0, 750))
    tracks = (track("v", TrackKind.VIDEO, fast), track("a", TrackKind.AUDIO, slow))
    return replace(showcase(), tracks=tracks)


@pytest.mark.parametrize(
    ("case", "draft"),
    [
        ("showcase", showcase()),
        ("framed", framed()),
        ("audio_only", audio_only()),
        ("speed_change", speed_change()),
        ("styled", styled()),
        ("moving", features.moving()),
        ("masked", features.masked()),
        ("animated", features.animated()),
        ("looked", features.looked()),
        ("captioned", features.captioned()),
        ("everything", features.everything()),
    ],
)
def test_plan_matches_golden_files(case: str, draft: Draft) -> None:
    check_golden(case, plan_render(draft, {**fake_paths(), **features.fake_paths()}, OUTPUT))


def test_plan_is_deterministic() -> None:
    first = plan_render(showcase(), fake_paths(), OUTPUT)
    second = plan_render(showcase(), dict(reversed(fake_paths().items())), OUTPUT)
    assert first == second


def test_plan_names_output_canvas_and_encoder_settings() -> None:
    settings = EncoderSettings(preset="medium", crf=30, audio_bitrate_kbps=96)
    args = plan_render(showcase(), fake_paths(), OUTPUT, settings).args
    assert args[-3:] == ("-f", "mp4", str(OUTPUT))
    assert [
        args[args.index(flag) + offset] for flag in ("-preset", "-crf", "-b:a") for offset in (0, 1)
    ] == ["-preset", "medium", "-crf", "30", "-b:a", "96k"]
    assert args[args.index("-s") + 1] == "320x240"
    assert args[args.index("-r") + 1] == "30"
    assert args[args.index("-t", args.index("-filter_complex")) + 1] == "5.000000"
    assert args[args.index("-progress") + 1] == "pipe:1"


def test_plan_duration_is_the_drafts() -> None:
    assert plan_render(showcase(), fake_paths(), OUTPUT).duration_us == 5_000_000


def test_empty_draft_is_refused() -> None:
    with pytest.raises(InvalidInput, match="empty"):
        plan_render(replace(showcase(), tracks=()), fake_paths(), OUTPUT)


def test_missing_media_is_named() -> None:
    paths = fake_paths()
    del paths[GREEN.sha256]
    with pytest.raises(RenderFailed, match=GREEN.sha256):
        plan_render(showcase(), paths, OUTPUT)


def test_invisible_and_silent_segments_are_left_out() -> None:
    hidden = media_segment("hidden", TWO_COLOUR, span(0, 1000), clip=Clip(alpha=0.0), volume=0.0)
    draft = replace(showcase(), tracks=(track("v", TrackKind.VIDEO, hidden),))
    graph = plan_render(draft, fake_paths(), OUTPUT).args
    filters = graph[graph.index("-filter_complex") + 1]
    assert "overlay" not in filters
    assert "amix" not in filters


def test_audio_effects_are_reported_as_not_drawn() -> None:
    """The render plays the audio as it is; the report says its effect was left out."""
    voice = AudioEffect("fx", "大叔", "tone", "7255565276819755576")
    music = replace(media_segment("tone", TONE, span(0, 1500)), audio_effect=voice)
    draft = replace(showcase(), tracks=(track("music", TrackKind.AUDIO, music),))
    plan = plan_render(draft, fake_paths(), OUTPUT)
    [entry] = plan.report.about(Feature.AUDIO_EFFECT)
    assert (entry.name, entry.drawn, entry.segment_ids) == ("大叔", Drawn.NOT_DRAWN, (music.id,))
    assert "without" in entry.how
    # The sound itself is still drawn, as it is without the effect.
    [sound] = plan.report.about(Feature.AUDIO)
    assert sound.segment_ids == (music.id,)
    plain = replace(
        draft, tracks=(track("music", TrackKind.AUDIO, replace(music, audio_effect=None)),)
    )
    assert plan_render(plain, fake_paths(), OUTPUT).args == plan.args


@pytest.mark.parametrize(
    ("segment", "canvas", "expected"),
    [
        # A 4:3 picture on a 16:9 canvas fits the height; centred.
        (media_segment("w", WHITE, span(0, 1)), Canvas(1920, 1080), (1440, 1080, 240, 0)),
        # Fit, then the clip's scale, then the clip's move from the centre (y down).
        (
            media_segment(
                "w",
                WHITE,
                span(0, 1),
                clip=Clip(scale_x=0.5, scale_y=0.25, transform_x=-100, transform_y=50),
            ),
            Canvas(1920, 1080),
            (720, 270, 500, 455),
        ),
        # A tall picture on a wide canvas: pillarboxed.
        (
            media_segment("t", replace(GREEN, width=1080, height=1920), span(0, 1)),
            Canvas(1920, 1080),
            (608, 1080, 656, 0),
        ),
        (media_segment("g", GREEN, span(0, 1)), CANVAS, (320, 240, 0, 0)),
    ],
)
def test_placement_fits_scales_and_moves(
    segment: MediaSegment, canvas: Canvas, expected: tuple[int, int, int, int]
) -> None:
    where = placement(canvas, segment)
    assert (where.width, where.height, where.x, where.y) == expected


@pytest.mark.parametrize(
    ("us", "text"),
    [(0, "0.000000"), (1, "0.000001"), (1_500_000, "1.500000"), (-250_000, "-0.250000")],
)
def test_seconds_are_exact(us: int, text: str) -> None:
    assert seconds(us) == text


def test_media_without_probe_size_is_fitted_to_canvas() -> None:
    unknown = media_segment("u", replace(GREEN, width=None, height=None), Timerange(0, 1))
    assert placement(CANVAS, unknown).width == CANVAS.width
