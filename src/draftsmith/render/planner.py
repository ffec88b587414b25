"""Draft -> ffmpeg arguments: the render plan, pure and deterministic.

One `-filter_complex` graph does the whole render. A black `color` source of the canvas size,
rate and duration is the bottom layer (so gaps are black); every video and image segment is cut
to its source range on input (`-ss`/`-t`, or a looped still), shifted to its timeline start,
fitted inside the canvas as the editor does at scale 1.0, scaled by the clip, faded by its
alpha and overlaid at the canvas centre plus the clip's transform, only while it plays. Tracks
are stacked in draft order, first track at the bottom; a run of caption tracks is burnt in by
libass at its place in that stack. Sound from audio segments and from video segments is cut,
delayed to its start, set to its volume and mixed (without normalising) over silence that
lasts the whole draft.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from draftsmith.errors import InvalidInput, RenderFailed
from draftsmith.render.captions import ass_document
from draftsmith.timeline.model import (
    Canvas,
    Clip,
    Draft,
    MediaKind,
    MediaSegment,
    Timerange,
    Track,
    TrackKind,
)

AUDIO_RATE = 48_000
_US = 1_000_000


@dataclass(frozen=True)
class EncoderSettings:
    """How the MP4 is encoded; the benchmark's floor encodes with the very same arguments."""

    preset: str = "veryfast"
    crf: int = 23
    audio_bitrate_kbps: int = 128

    def encoder_args(self, canvas: Canvas) -> list[str]:
        return [
            *("-c:v", "libx264", "-preset", self.preset, "-crf", str(self.crf)),
            *("-pix_fmt", "yuv420p", "-r", str(canvas.fps), "-s", _size(canvas)),
            *("-c:a", "aac", "-b:a", f"{self.audio_bitrate_kbps}k"),
            *("-ar", str(AUDIO_RATE), "-ac", "2", "-movflags", "+faststart"),
        ]


@dataclass(frozen=True)
class RenderPlan:
    """What to run: ffmpeg's arguments (without the executable) and the files they name.

    `files` maps a bare file name to its text; the runner writes them into the working
    directory ffmpeg runs in. `duration_us` is the output's length, for progress.
    """

    args: tuple[str, ...]
    duration_us: int
    files: Mapping[str, str] = field(default_factory=dict)


def seconds(us: int) -> str:
    """Microseconds as exact decimal seconds, as ffmpeg options and expressions take them."""
    sign = "-" if us < 0 else ""
    whole, fraction = divmod(abs(us), _US)
    return f"{sign}{whole}.{fraction:06d}"


def _size(canvas: Canvas) -> str:
    return f"{canvas.width}x{canvas.height}"


def _round(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Placement:
    """Where a visual segment lands on the canvas, in whole pixels."""

    width: int
    height: int
    x: int
    y: int


def placement(canvas: Canvas, segment: MediaSegment) -> Placement:
    """Fit the media inside the canvas (scale 1.0), apply the clip's scale, centre, then move."""
    clip = segment.clip or Clip()
    media = segment.media
    source_w = media.width or canvas.width
    source_h = media.height or canvas.height
    fit = min(canvas.width / source_w, canvas.height / source_h)
    width = max(1, _round(source_w * fit * abs(clip.scale_x)))
    height = max(1, _round(source_h * fit * abs(clip.scale_y)))
    x = _round((canvas.width - width) / 2 + clip.transform_x)
    y = _round((canvas.height - height) / 2 + clip.transform_y)
    return Placement(width, height, x, y)


def _atempo(speed: float) -> list[str]:
    """atempo takes factors in [0.5, 100]; slower speeds are a chain of halvings."""
    steps = []
    while speed < 0.5:
        steps.append("atempo=0.5")
        speed /= 0.5
    if abs(speed - 1.0) > 1e-9:
        steps.append(f"atempo={_number(speed)}")
    return steps


class _Graph:
    """Inputs and filter chains of one ffmpeg run, labelled in the order they are added."""

    def __init__(self) -> None:
        self.inputs: list[list[str]] = []
        self.chains: list[str] = []
        self._labels = itertools.count()

    def add_input(self, args: Sequence[str]) -> int:
        self.inputs.append(list(args))
        return len(self.inputs) - 1

    def chain(self, sources: Sequence[str], filters: Sequence[str], prefix: str) -> str:
        label = f"{prefix}{next(self._labels)}"
        heads = "".join(f"[{source}]" for source in sources)
        self.chains.append(f"{heads}{','.join(filters)}[{label}]")
        return label


class _Planner:
    def __init__(self, draft: Draft, media_paths: Mapping[str, Path]) -> None:
        self.draft = draft
        self.canvas = draft.canvas
        self.paths = media_paths
        self.graph = _Graph()
        self.sounds: list[str] = []
        self.files: dict[str, str] = {}

    def path(self, segment: MediaSegment) -> str:
        path = self.paths.get(segment.media.sha256)
        if path is None:
            raise RenderFailed(f"media {segment.media.file_name} is not available for rendering")
        return str(path)

    def video(self) -> str:
        canvas = self.canvas
        base = (
            f"color=c=black:s={_size(canvas)}:r={canvas.fps}:d={seconds(self.draft.duration)}"
        )
        layer = self.graph.chain([], [base, "format=yuv420p"], "v")
        captions: list[tuple[int, Track]] = []
        for index, track in enumerate(self.draft.tracks):
            if track.kind is TrackKind.TEXT:
                captions.append((index, track))
                continue
            layer = self.burn(layer, captions)
            captions = []
            for segment in track.segments:
                if isinstance(segment, MediaSegment):
                    layer = self.segment(layer, track.kind, segment)
        return self.burn(layer, captions)

    def burn(self, layer: str, captions: list[tuple[int, Track]]) -> str:
        if not captions:
            return layer
        name = f"captions-{len(self.files) + 1}.ass"
        self.files[name] = ass_document(self.canvas, captions)
        return self.graph.chain([layer], [f"ass=filename={name}"], "v")

    def segment(self, layer: str, kind: TrackKind, segment: MediaSegment) -> str:
        media = segment.media
        if kind is TrackKind.AUDIO or media.kind is MediaKind.AUDIO:
            if media.kind is not MediaKind.IMAGE:
                self.sound(self.cut_input(segment), segment)
            return layer
        if media.kind is MediaKind.IMAGE:
            still = ["-loop", "1", "-framerate", str(self.canvas.fps)]
            duration = ["-t", seconds(segment.target.duration)]
            index = self.graph.add_input([*still, *duration, "-i", self.path(segment)])
        else:
            index = self.cut_input(segment)
            if media.has_audio:
                self.sound(index, segment)
        return self.overlay(layer, f"{index}:v", segment)

    def cut_input(self, segment: MediaSegment) -> int:
        source = segment.source
        cut = ["-ss", seconds(source.start), "-t", seconds(source.duration)]
        return self.graph.add_input([*cut, "-i", self.path(segment)])

    def overlay(self, layer: str, stream: str, segment: MediaSegment) -> str:
        clip = segment.clip or Clip()
        if clip.alpha <= 0:
            return layer
        target = segment.target
        where = placement(self.canvas, segment)
        filters = [f"setpts={_pts(target, segment.source)}"]
        media = segment.media
        if (where.width, where.height) != (media.width, media.height):
            filters.append(f"scale={where.width}:{where.height}")
        if clip.alpha < 1:
            filters += ["format=rgba", f"colorchannelmixer=aa={_number(clip.alpha)}"]
        picture = self.graph.chain([stream], filters, "s")
        during = f"gte(t,{seconds(target.start)})*lt(t,{seconds(target.end)})"
        place = f"overlay=x={where.x}:y={where.y}:eof_action=pass:enable='{during}'"
        return self.graph.chain([layer, picture], [place], "v")

    def sound(self, index: int, segment: MediaSegment) -> None:
        if segment.volume <= 0:
            return
        filters = [
            "asetpts=PTS-STARTPTS",
            f"aformat=sample_fmts=fltp:sample_rates={AUDIO_RATE}:channel_layouts=stereo",
            *_atempo(segment.source.duration / segment.target.duration),
        ]
        if segment.volume != 1:
            filters.append(f"volume={_number(segment.volume)}")
        delay = segment.target.start * AUDIO_RATE // _US
        if delay:
            filters.append(f"adelay=delays={delay}S:all=1")
        self.sounds.append(self.graph.chain([f"{index}:a"], filters, "a"))

    def audio(self) -> str:
        silence = (
            f"anullsrc=r={AUDIO_RATE}:cl=stereo:d={seconds(self.draft.duration)}",
            "aformat=sample_fmts=fltp",
        )
        base = self.graph.chain([], silence, "a")
        if not self.sounds:
            return base
        mix = f"amix=inputs={len(self.sounds) + 1}:duration=first:normalize=0"
        return self.graph.chain([base, *self.sounds], [mix], "a")


def _pts(target: Timerange, source: Timerange) -> str:
    start = f"{seconds(target.start)}/TB"
    if target.duration == source.duration:
        return f"PTS-STARTPTS+{start}"
    return f"(PTS-STARTPTS)*{target.duration}/{source.duration}+{start}"


def plan_render(
    draft: Draft,
    media_paths: Mapping[str, Path],
    output: Path,
    settings: EncoderSettings | None = None,
) -> RenderPlan:
    """The ffmpeg run that renders `draft` to `output` (an MP4), reading media from `media_paths`.

    `media_paths` maps each media's SHA-256 to a local file. Raises InvalidInput for a draft
    with nothing on its timeline and RenderFailed when a media file is not in `media_paths`.
    """
    if draft.duration <= 0:
        raise InvalidInput("Draft content is empty")
    settings = settings or EncoderSettings()
    planner = _Planner(draft, media_paths)
    video = planner.video()
    audio = planner.audio()
    graph = planner.graph
    args = [
        *("-hide_banner", "-nostdin", "-y", "-loglevel", "error"),
        *("-progress", "pipe:1", "-nostats"),
        *itertools.chain.from_iterable(graph.inputs),
        *("-filter_complex", ";\n".join(graph.chains)),
        *("-map", f"[{video}]", "-map", f"[{audio}]"),
        *settings.encoder_args(draft.canvas),
        *("-t", seconds(draft.duration), "-f", "mp4", str(output)),
    ]
    return RenderPlan(tuple(args), draft.duration, dict(planner.files))
