"""The picture: video, image and caption tracks stacked on the canvas, as filter chains (pure).

Tracks stack in draft order, the first at the bottom. A segment is fitted inside the canvas as
the editor does at scale 1.0, then scaled by its clip, centred, moved by the clip's transform
(canvas pixels, y down) and faded by the clip's alpha. Wherever nothing plays the picture is
black. A run of caption tracks is burnt in by libass at its place in the stack.
Segments that change over time (in/out animations, opacity keyframes: motion.py) are laid
over black or what is below; adjacent bottom segments joined by a transition are cross-faded
(transitions.py).

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
from draftsmith.render.motion import alpha_keys, fades, keyed_opacity
from draftsmith.render.transitions import cuts, joined_runs
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


def _opacity(segment: MediaSegment) -> float:
    """The clip's static opacity; opacity keyframes replace it."""
    return 1.0 if alpha_keys(segment.keyframes) else (segment.clip or Clip()).alpha


def _shown(segment: MediaSegment) -> bool:
    return _opacity(segment) > 0 or bool(alpha_keys(segment.keyframes))


def _changing(segment: MediaSegment) -> list[str]:
    """Filters that change the segment's opacity over time (see motion.py)."""
    return [
        *fades(segment.animations, segment.target, alpha=True),
        *keyed_opacity(alpha_keys(segment.keyframes), segment.target),
    ]


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

    def _fade(self, segment: MediaSegment) -> list[str]:
        alpha = _opacity(segment)
        return [] if alpha >= 1 else [f"lut=a=val*{number(alpha)}"]

    def _scale(self, segment: MediaSegment, where: Placement) -> list[str]:
        media = segment.media
        if (where.width, where.height) == (media.width, media.height):
            return []
        return [f"scale={where.width}:{where.height}"]

    def _image(self, segment: MediaSegment, where: Placement) -> str:
        """The picture once: scaled, with an alpha plane, faded by the clip."""
        index = self.graph.still(segment)
        filters = [*self._scale(segment, where), "format=yuva420p", *self._fade(segment)]
        return self.graph.chain([f"{index}:v"], filters, "s")

    def _repeat(self, label: str, target: Timerange) -> str:
        """A single frame shown for all of `target`, at the canvas rate."""
        fps = self.canvas.fps
        frames = max(1, -(-target.duration * fps // 1_000_000))
        repeat = f"loop=loop={frames - 1}:size=1:start=0"
        return self.graph.chain([label], [repeat, f"setpts=N/{fps}/TB+{seconds(target.start)}/TB"])

    def _moving(self, segment: MediaSegment, where: Placement) -> str:
        """A clip's frames at their timeline times, scaled and faded by the clip and its
        animations and keyframes."""
        index = self.graph.cut(segment)
        timed = _timed(segment.target, segment.source)
        changing = _changing(segment)
        faded = [*self._fade(segment), *changing]
        fade = ["format=yuva420p", *faded] if faded else []
        filters = [timed, *self._scale(segment, where), *fade]
        return self.graph.chain([f"{index}:v"], filters, "s")

    def _still(self, segment: MediaSegment, where: Placement) -> str:
        """An image shown for all of its segment, faded by its animations and keyframes."""
        picture = self._repeat(self._image(segment, where), segment.target)
        changing = _changing(segment)
        return self.graph.chain([picture], changing, "s") if changing else picture

    def bottom(self, segments: Sequence[MediaSegment]) -> str:
        """The lowest track, its segments and the black between them joined in time."""
        pieces = []
        cursor = 0
        shown = [s for s in sorted(segments, key=lambda s: s.target.start) if _shown(s)]
        for run in joined_runs(shown):
            start = run[0].target.start
            if start > cursor:
                pieces.append(self.black(Timerange(cursor, start - cursor)))
            pieces.append(self._piece(run[0]) if len(run) == 1 else self._joined(run))
            cursor = run[-1].target.end
        if cursor < self.draft.duration:
            pieces.append(self.black(Timerange(cursor, self.draft.duration - cursor)))
        join = [f"interleave=nb_inputs={len(pieces)}"] if len(pieces) > 1 else []
        # interleave ends at the start of its last frame: fps would drop that frame otherwise.
        rate = f"fps={self.canvas.fps}:eof_action=pass"
        # The last piece may end a frame short of its span: hold its last frame to the end.
        hold = ["tpad=stop=-1:stop_mode=clone", f"trim=end={seconds(self.draft.duration)}"]
        return self.graph.chain(pieces, [*join, rate, *hold, "setsar=1"])

    def _joined(self, run: Sequence[MediaSegment]) -> str:
        """Segments that follow one another with transitions between them (transitions.py):
        each held past its ends by half the transitions around it, then cross-faded."""
        fps = self.canvas.fps
        between = cuts(run)
        start = run[0].target.start
        joined = ""
        for index, segment in enumerate(run):
            head = between[index - 1].after if index > 0 else 0
            tail = between[index].before if index < len(between) else 0
            filters = [f"setpts=PTS-{seconds(segment.target.start)}/TB", f"fps={fps}"]
            if head:
                filters.append(f"tpad=start_duration={seconds(head)}:start_mode=clone")
            length = head + segment.target.duration + tail
            filters += [
                "tpad=stop=-1:stop_mode=clone",
                f"trim=duration={seconds(length)}",
                "setpts=PTS-STARTPTS",
                "setsar=1",
            ]
            piece = self.graph.chain([self._piece(segment)], filters)
            if not joined:
                joined = piece
                continue
            cut = between[index - 1]
            offset = segment.target.start - start - cut.before
            blend = (
                f"xfade=transition={cut.xfade}:duration={seconds(cut.duration)}"
                f":offset={seconds(offset)}"
                if cut.duration > 0
                else f"concat=n=2:v=1:a=0,settb=1/{fps}"
            )
            joined = self.graph.chain([joined, piece], [blend])
        return self.graph.chain([joined], [f"setpts=PTS+{seconds(start)}/TB"])

    def _piece(self, segment: MediaSegment) -> str:
        """One bottom segment as whole canvas frames: on black wherever it does not cover."""
        where = placement(self.canvas, segment)
        place = f"overlay=x={where.x}:y={where.y}:eof_action=pass"
        changing = bool(_changing(segment))
        if segment.media.kind is MediaKind.IMAGE and not changing:
            frame = self.graph.chain([], [self._blank(), "trim=end_frame=1"])
            still = self.graph.chain([frame, self._image(segment, where)], [place])
            return self._repeat(still, segment.target)
        if segment.media.kind is MediaKind.IMAGE:
            return self.graph.chain(
                [self.black(segment.target), self._still(segment, where)], [place]
            )
        moving = self._moving(segment, where)
        if where.covers(self.canvas) and _opacity(segment) >= 1 and not changing:
            # One format for every piece, so that joining them converts nothing.
            return self.graph.chain([moving], ["format=pix_fmts=yuv420p:color_ranges=tv"])
        return self.graph.chain([self.black(segment.target), moving], [place])

    def overlay(self, layer: str, segment: MediaSegment) -> str:
        """`segment` laid over `layer` while it plays."""
        if not _shown(segment):
            return layer
        where = placement(self.canvas, segment)
        if segment.media.kind is MediaKind.IMAGE:
            picture = self._still(segment, where)
        else:
            picture = self._moving(segment, where)
        target = segment.target
        during = f"gte(t,{seconds(target.start)})*lt(t,{seconds(target.end)})"
        place = f"overlay=x={where.x}:y={where.y}:eof_action=pass:enable='{during}'"
        return self.graph.chain([layer, picture], [place])
