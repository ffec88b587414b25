"""The picture: video, image and caption tracks stacked on the canvas, as filter chains (pure).

Tracks stack in draft order, the first at the bottom. A segment is fitted inside the canvas as
the editor does at scale 1.0, then scaled by its clip, centred, moved by the clip's transform
(canvas pixels, y down) and faded by the clip's alpha. Wherever nothing plays the picture is
black. A run of caption tracks is burnt in by libass at its place in the stack.

Most of the cost of a render is per frame, so the plan avoids per-frame work: the bottom video
track, whose segments follow one another, is joined in time (`interleave`) rather than laid
over a black canvas frame by frame, a clip that fills the canvas is passed through untouched,
and a still image is scaled and converted once and then repeated. Segments of the tracks above
are laid over what is below (`overlay`) only while they play.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from draftsmith.render.captions import ass_document
from draftsmith.render.graph import FilterGraph, number, seconds
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


def _round(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


@dataclass(frozen=True)
class Placement:
    """Where a visual segment lands on the canvas, in whole pixels."""

    width: int
    height: int
    x: int
    y: int

    def covers(self, canvas: Canvas) -> bool:
        return (self.x, self.y, self.width, self.height) == (0, 0, canvas.width, canvas.height)


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


def _timed(target: Timerange, source: Timerange) -> str:
    start = f"{seconds(target.start)}/TB"
    if target.duration == source.duration:
        return f"setpts=PTS-STARTPTS+{start}"
    return f"setpts=(PTS-STARTPTS)*{target.duration}/{source.duration}+{start}"


def _in_sequence(segments: Sequence[MediaSegment]) -> bool:
    ordered = sorted(segments, key=lambda s: s.target.start)
    return all(a.target.end <= b.target.start for a, b in pairwise(ordered))


def _visual(track: Track) -> list[MediaSegment]:
    return [
        s
        for s in track.segments
        if isinstance(s, MediaSegment) and s.media.kind is not MediaKind.AUDIO
    ]


class Picture:
    """Builds the video half of a render plan into `graph`; caption scripts go to `files`."""

    def __init__(self, draft: Draft, graph: FilterGraph, files: dict[str, str]) -> None:
        self.draft = draft
        self.canvas = draft.canvas
        self.graph = graph
        self.files = files

    def build(self) -> str:
        """Add the whole picture to the graph; returns its output label."""
        layer: str | None = None
        captions: list[tuple[int, Track]] = []
        for index, track in enumerate(self.draft.tracks):
            if track.kind is TrackKind.TEXT:
                captions.append((index, track))
            elif track.kind is TrackKind.VIDEO:
                segments = _visual(track)
                if layer is None and not captions and _in_sequence(segments):
                    layer = self.bottom(segments)
                    continue
                layer = self.burn(layer or self.black(Timerange(0, self.draft.duration)), captions)
                captions = []
                for segment in segments:
                    layer = self.overlay(layer, segment)
        return self.burn(layer or self.black(Timerange(0, self.draft.duration)), captions)

    def _blank(self) -> str:
        canvas = self.canvas
        return f"color=c=black:s={canvas.width}x{canvas.height}:r={canvas.fps}"

    def black(self, span: Timerange) -> str:
        filters = [f"{self._blank()}:d={seconds(span.duration)}"]
        if span.start:
            filters.append(f"setpts=PTS+{seconds(span.start)}/TB")
        return self.graph.chain([], [*filters, "format=yuv420p"])

    def burn(self, layer: str, captions: list[tuple[int, Track]]) -> str:
        if not captions:
            return layer
        name = f"captions-{len(self.files) + 1}.ass"
        self.files[name] = ass_document(self.canvas, captions)
        return self.graph.chain([layer], [f"ass=filename={name}"])

    def _fade(self, clip: Clip) -> list[str]:
        return [] if clip.alpha >= 1 else [f"lut=a=val*{number(clip.alpha)}"]

    def _scale(self, segment: MediaSegment, where: Placement) -> list[str]:
        media = segment.media
        if (where.width, where.height) == (media.width, media.height):
            return []
        return [f"scale={where.width}:{where.height}"]

    def _image(self, segment: MediaSegment, where: Placement) -> str:
        """The picture once: scaled, with an alpha plane, faded by the clip."""
        clip = segment.clip or Clip()
        index = self.graph.still(segment)
        filters = [*self._scale(segment, where), "format=yuva420p", *self._fade(clip)]
        return self.graph.chain([f"{index}:v"], filters, "s")

    def _repeat(self, label: str, target: Timerange) -> str:
        """A single frame shown for all of `target`, at the canvas rate."""
        fps = self.canvas.fps
        frames = max(1, -(-target.duration * fps // 1_000_000))
        repeat = f"loop=loop={frames - 1}:size=1:start=0"
        return self.graph.chain([label], [repeat, f"setpts=N/{fps}/TB+{seconds(target.start)}/TB"])

    def _moving(self, segment: MediaSegment, where: Placement) -> str:
        """A clip's frames at their timeline times, scaled and faded by the clip."""
        clip = segment.clip or Clip()
        index = self.graph.cut(segment)
        timed = _timed(segment.target, segment.source)
        fade = ["format=yuva420p", *self._fade(clip)] if clip.alpha < 1 else []
        filters = [timed, *self._scale(segment, where), *fade]
        return self.graph.chain([f"{index}:v"], filters, "s")

    def bottom(self, segments: Sequence[MediaSegment]) -> str:
        """The lowest track, its segments and the black between them joined in time."""
        pieces = []
        cursor = 0
        for segment in sorted(segments, key=lambda s: s.target.start):
            if (segment.clip or Clip()).alpha <= 0:
                continue
            if segment.target.start > cursor:
                pieces.append(self.black(Timerange(cursor, segment.target.start - cursor)))
            pieces.append(self._piece(segment))
            cursor = segment.target.end
        if cursor < self.draft.duration:
            pieces.append(self.black(Timerange(cursor, self.draft.duration - cursor)))
        join = [f"interleave=nb_inputs={len(pieces)}"] if len(pieces) > 1 else []
        # interleave ends at the start of its last frame: fps would drop that frame otherwise.
        rate = f"fps={self.canvas.fps}:eof_action=pass"
        # The last piece may end a frame short of its span: hold its last frame to the end.
        hold = ["tpad=stop=-1:stop_mode=clone", f"trim=end={seconds(self.draft.duration)}"]
        return self.graph.chain(pieces, [*join, rate, *hold, "setsar=1"])

    def _piece(self, segment: MediaSegment) -> str:
        """One bottom segment as whole canvas frames: on black wherever it does not cover."""
        where = placement(self.canvas, segment)
        place = f"overlay=x={where.x}:y={where.y}:eof_action=pass"
        if segment.media.kind is MediaKind.IMAGE:
            frame = self.graph.chain([], [self._blank(), "trim=end_frame=1"])
            still = self.graph.chain([frame, self._image(segment, where)], [place])
            return self._repeat(still, segment.target)
        moving = self._moving(segment, where)
        if where.covers(self.canvas) and (segment.clip or Clip()).alpha >= 1:
            # One format for every piece, so that joining them converts nothing.
            return self.graph.chain([moving], ["format=pix_fmts=yuv420p:color_ranges=tv"])
        return self.graph.chain([self.black(segment.target), moving], [place])

    def overlay(self, layer: str, segment: MediaSegment) -> str:
        """`segment` laid over `layer` while it plays."""
        if (segment.clip or Clip()).alpha <= 0:
            return layer
        where = placement(self.canvas, segment)
        if segment.media.kind is MediaKind.IMAGE:
            picture = self._repeat(self._image(segment, where), segment.target)
        else:
            picture = self._moving(segment, where)
        target = segment.target
        during = f"gte(t,{seconds(target.start)})*lt(t,{seconds(target.end)})"
        place = f"overlay=x={where.x}:y={where.y}:eof_action=pass:enable='{during}'"
        return self.graph.chain([layer, picture], [place])
