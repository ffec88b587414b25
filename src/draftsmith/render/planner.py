"""Draft -> ffmpeg arguments: the render plan, pure and deterministic.

One ffmpeg run with one `-filter_complex` graph renders the whole draft: the picture (see
`video.py`) and the sound. Sound from audio segments and from video segments that have it is
cut to its source range, delayed to its timeline start, set to its volume and mixed (summed,
not normalised, as the editor does) over silence that lasts the whole draft, so gaps are
silent. The output is H.264/AAC in MP4 at the canvas size and frame rate, for as long as the
draft lasts; ffmpeg reports progress on stdout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from draftsmith.errors import InvalidInput
from draftsmith.render.graph import FilterGraph, number, seconds
from draftsmith.render.motion import volume_ramp
from draftsmith.render.report import Feature, RenderReport, ReportBuilder
from draftsmith.render.video import Picture
from draftsmith.timeline.model import Canvas, Draft, MediaKind, MediaSegment, TrackKind

AUDIO_RATE = 48_000


@dataclass(frozen=True)
class EncoderSettings:
    """How the MP4 is encoded; the benchmark's floor encodes with the very same arguments."""

    preset: str = "faster"
    crf: int = 23
    audio_bitrate_kbps: int = 128

    def encoder_args(self, canvas: Canvas) -> list[str]:
        return [
            *("-c:v", "libx264", "-preset", self.preset, "-crf", str(self.crf)),
            *("-pix_fmt", "yuv420p", "-r", str(canvas.fps)),
            *("-s", f"{canvas.width}x{canvas.height}"),
            *("-c:a", "aac", "-b:a", f"{self.audio_bitrate_kbps}k"),
            *("-ar", str(AUDIO_RATE), "-ac", "2", "-movflags", "+faststart"),
        ]


@dataclass(frozen=True)
class RenderPlan:
    """What to run: ffmpeg's arguments (without the executable) and the files they name.

    `files` maps a bare file name to its text; the runner writes them into the working
    directory ffmpeg runs in. `duration_us` is the output's length, for progress. `report`
    says what of the draft the video draws (report.py).
    """

    args: tuple[str, ...]
    duration_us: int
    files: Mapping[str, str] = field(default_factory=dict)
    report: RenderReport = field(default_factory=RenderReport)


def _atempo(speed: float) -> list[str]:
    """atempo takes factors in [0.5, 100]; slower speeds are a chain of halvings."""
    steps = []
    while speed < 0.5:
        steps.append("atempo=0.5")
        speed /= 0.5
    if abs(speed - 1.0) > 1e-9:
        steps.append(f"atempo={number(speed)}")
    return steps


def _sounding(draft: Draft, report: ReportBuilder) -> list[MediaSegment]:
    segments = []
    for track in draft.tracks:
        for segment in track.segments:
            if not isinstance(segment, MediaSegment):
                continue
            kind = segment.media.kind
            is_sound = kind is MediaKind.AUDIO or track.kind is TrackKind.AUDIO
            if kind is MediaKind.IMAGE or not (is_sound or segment.media.has_audio):
                continue
            if kind is MediaKind.AUDIO:
                report.exact(Feature.AUDIO, "", segment.id)
            if segment.audio_effect is not None:
                why = "the audio plays without it: the render applies no audio effects"
                report.not_drawn(Feature.AUDIO_EFFECT, segment.audio_effect.name, segment.id, why)
            keyed = volume_ramp(segment.keyframes, 0)
            if keyed is not None:
                report.exact(Feature.KEYFRAME, "KFTypeVolume", segment.id)
            loudest = segment.volume if keyed is None else keyed.bounds()[1]
            if loudest > 0:
                segments.append(segment)
    return segments


def _volume(segment: MediaSegment) -> list[str]:
    """The segment's volume: its keyframes (which replace it) over its own time, or its level."""
    keyed = volume_ramp(segment.keyframes, 0)
    if keyed is not None:
        return [f"volume='{keyed.expression()}':eval=frame"]
    return [f"volume={number(segment.volume)}"] if segment.volume != 1 else []


def _sound(graph: FilterGraph, draft: Draft, report: ReportBuilder) -> str:
    mixed = []
    for segment in _sounding(draft, report):
        filters = [
            "asetpts=PTS-STARTPTS",
            f"aformat=sample_fmts=fltp:sample_rates={AUDIO_RATE}:channel_layouts=stereo",
            *_atempo(segment.source.duration / segment.target.duration),
            *_volume(segment),
        ]
        delay = segment.target.start * AUDIO_RATE // 1_000_000
        if delay:
            filters.append(f"adelay=delays={delay}S:all=1")
        mixed.append(graph.chain([f"{graph.cut(segment)}:a"], filters, "a"))
    silence = f"anullsrc=r={AUDIO_RATE}:cl=stereo:d={seconds(draft.duration)}"
    base = graph.chain([], [silence, "aformat=sample_fmts=fltp"], "a")
    if not mixed:
        return base
    mix = f"amix=inputs={len(mixed) + 1}:duration=first:normalize=0"
    return graph.chain([base, *mixed], [mix], "a")


def plan_render(
    draft: Draft,
    media_paths: Mapping[str, Path],
    output: Path,
    settings: EncoderSettings | None = None,
    stickers: Mapping[str, Path] | None = None,
) -> RenderPlan:
    """The ffmpeg run that renders `draft` to `output` (an MP4), reading media from `media_paths`.

    `media_paths` maps each media's SHA-256 to a local file, `stickers` a sticker's resource id
    to a picture of it (stickers without one are not drawn). Raises InvalidInput for a draft
    with nothing on its timeline and RenderFailed when a media file is not in `media_paths`.
    """
    if draft.duration <= 0:
        raise InvalidInput("Draft content is empty")
    settings = settings or EncoderSettings()
    graph = FilterGraph(media_paths)
    files: dict[str, str] = {}
    report = ReportBuilder()
    video = Picture(draft, graph, files, report, stickers).build()
    audio = _sound(graph, draft, report)
    args = [
        *("-hide_banner", "-nostdin", "-y", "-loglevel", "error"),
        *("-progress", "pipe:1", "-nostats"),
        *graph.args(),
        *("-map", f"[{video}]", "-map", f"[{audio}]"),
        *settings.encoder_args(draft.canvas),
        *("-t", seconds(draft.duration), "-f", "mp4", str(output)),
    ]
    return RenderPlan(tuple(args), draft.duration, files, report.build())
