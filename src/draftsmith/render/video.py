"""The picture: video, image and caption tracks stacked on the canvas, as filter chains (pure).

Tracks stack in draft order, the first at the bottom. A segment is fitted inside the canvas as
the editor does at scale 1.0, then scaled by its clip, centred, moved by the clip's transform
(canvas pixels, y down) and faded by the clip's alpha; keyframes, animations and masks change
it over time (pictures.py). Wherever nothing plays the picture is black. A run of caption
tracks is burnt in by libass at its place in the stack; filter and effect tracks act on all
that is below them (looks.py). Adjacent bottom segments joined by a transition are
cross-faded (transitions.py). What is drawn of each segment, and what is not, goes to the
render report (report.py).

Most of the cost of a render is per frame, so the plan avoids per-frame work: the bottom video
track, whose segments follow one another, is joined in time (`interleave`) rather than laid
over a black canvas frame by frame, a clip that fills the canvas is passed through untouched,
and a still image is scaled and converted once and then repeated. Segments of the tracks above
are laid over what is below (`overlay`) only while they play.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from draftsmith.render.captions import ass_document
from draftsmith.render.graph import FilterGraph, seconds
from draftsmith.render.looks import effect_filters, effect_kind, filter_family, look_filters
from draftsmith.render.pictures import Pictures, Placement, Shown, placement, show
from draftsmith.render.report import Feature, ReportBuilder
from draftsmith.render.sticker_motion import sticker_motion
from draftsmith.render.transitions import cuts, joined_runs
from draftsmith.timeline.model import (
    Draft,
    EffectSegment,
    MediaKind,
    MediaSegment,
    StickerSegment,
    Timerange,
    Track,
    TrackKind,
)

__all__ = ["Picture", "Placement", "placement"]


@dataclass(frozen=True)
class _StickerPicture:
    """A picture a sticker is drawn from, and whose it is (for the report)."""

    path: Path
    whose: str
    gif: bool


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
    """Builds the video half of a render plan into `graph`; caption and command scripts go to
    `files`, and what is drawn of each segment to `report`."""

    def __init__(
        self,
        draft: Draft,
        graph: FilterGraph,
        files: dict[str, str],
        report: ReportBuilder,
        stickers: Mapping[str, Path] | None = None,
    ) -> None:
        self.draft = draft
        self.stickers = stickers or {}
        self.canvas = draft.canvas
        self.graph = graph
        self.files = files
        self.report = report
        self.pictures = Pictures(self.canvas, graph, files)

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
                self._unjoined(segments)
                layer = self.burn(layer or self.black(Timerange(0, self.draft.duration)), captions)
                captions = []
                for segment in segments:
                    layer = self.overlay(layer, segment)
            elif track.kind in (TrackKind.FILTER, TrackKind.EFFECT):
                layer = self.burn(layer or self.black(Timerange(0, self.draft.duration)), captions)
                captions = []
                layer = self.looks(layer, track)
            elif track.kind is TrackKind.STICKER:
                stickers = [s for s in track.segments if isinstance(s, StickerSegment)]
                pictures = [(s, self._sticker_picture(s)) for s in stickers]
                if any(isinstance(found, _StickerPicture) for _, found in pictures):
                    base = layer or self.black(Timerange(0, self.draft.duration))
                    layer = self.burn(base, captions)
                    captions = []
                for sticker, found in pictures:
                    layer = self.sticker(layer, sticker, found)
        return self.burn(layer or self.black(Timerange(0, self.draft.duration)), captions)

    def _sticker_picture(self, sticker: StickerSegment) -> _StickerPicture | str:
        """The picture a sticker is drawn from: the one its draft carries (fetched from its
        `image_url` when it was added), else the operator's; or why there is none."""
        image = sticker.image
        own = None if image is None else self.graph.local_file(image.sha256)
        if image is not None and own is not None:
            return _StickerPicture(own, "the picture from its image_url", image.extension == "gif")
        operator = self.stickers.get(sticker.resource_id)
        if operator is not None:
            gif = operator.suffix.lower() == ".gif"
            return _StickerPicture(operator, "the operator's picture", gif)
        if image is not None:
            return "its picture from image_url is missing from the blob store"
        if sticker.image_url is not None:
            why = next(
                (a.message for a in sticker.adjustments if a.field.endswith("image_url")), ""
            )
            # The message goes on to say what the edit did instead: the reason is its start.
            reason = why.partition("; ")[0] or "no picture was kept"
            return f"its image_url could not be used when it was added ({reason})"
        return "the server has no picture of this library sticker"

    def sticker(
        self, layer: str | None, sticker: StickerSegment, found: _StickerPicture | str
    ) -> str | None:
        """`sticker` laid over `layer` while it shows, from the picture `found` of it (or not
        drawn, `found` saying why)."""
        if isinstance(found, str):
            self.report.not_drawn(Feature.STICKER, sticker.resource_id, sticker.id, found)
            return layer
        assert layer is not None, "build() lays a black canvas below a sticker it draws"
        self.report.approximated(
            Feature.STICKER,
            sticker.resource_id,
            sticker.id,
            f"{found.whose}, its pixels taken at 1080p, times the sticker's scale "
            "(an animated one's first frame)",
        )
        drawn = sticker_motion(sticker, self.canvas, found.gif, self.report)
        index = self.graph.picture(f"sticker:{sticker.id}", found.path, found.gif)
        picture = self.pictures.repeat(
            self.graph.chain([f"{index}:v"], list(drawn.once), "s"), sticker.target
        )
        if drawn.per_frame:
            picture = self.graph.chain([picture], list(drawn.per_frame), "s")
        target = sticker.target
        during = f"gte(t,{seconds(target.start)})*lt(t,{seconds(target.end)})"
        place = f"overlay=x='{drawn.x}':y='{drawn.y}':eof_action=pass:enable='{during}'"
        return self.graph.chain([layer, picture], [place])

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
        self.files[name] = ass_document(self.canvas, captions, self.report)
        return self.graph.chain([layer], [f"ass=filename={name}"])

    def looks(self, layer: str, track: Track) -> str:
        """Filters and scene effects of a filter or effect track over everything below it."""
        filters: list[str] = []
        for segment in track.segments:
            if isinstance(segment, EffectSegment):
                filters += self._look(segment)
        return self.graph.chain([layer], filters) if filters else layer

    def _look(self, segment: EffectSegment) -> list[str]:
        start = segment.target.start / 1_000_000
        end = segment.target.end / 1_000_000
        report = self.report
        if segment.effect_type == "filter":
            family, look, named = filter_family(segment.name)
            how = f"the {family} colour transform at intensity {segment.value:g}"
            if not named:
                how += " (no family's word in its name)"
            report.approximated(Feature.FILTER, segment.name, segment.id, how)
            return look_filters(look, segment.value, start, end)
        if segment.effect_type == "face_effect":
            report.not_drawn(
                Feature.EFFECT, segment.name, segment.id, "character effects follow faces"
            )
            return []
        kind = effect_kind(segment.name)
        if kind is None:
            report.not_drawn(
                Feature.EFFECT, segment.name, segment.id, "not one of the kinds the render draws"
            )
            return []
        report.approximated(
            Feature.EFFECT, segment.name, segment.id, f"as {kind.name}: the picture {kind.how}"
        )
        return effect_filters(kind, self.canvas, start, end)

    def _noted(self, segment: MediaSegment) -> Shown:
        kind = Feature.IMAGE if segment.media.kind is MediaKind.IMAGE else Feature.VIDEO
        self.report.exact(kind, "", segment.id)
        clip = segment.clip
        if clip is not None and clip != type(clip)():
            self.report.exact(Feature.PLACEMENT, "scale, position, opacity", segment.id)
        return show(self.canvas, segment, self.report)

    def _unjoined(self, segments: Sequence[MediaSegment]) -> None:
        for segment in segments:
            if segment.transition is not None:
                self.report.not_drawn(
                    Feature.TRANSITION,
                    segment.transition.name,
                    segment.id,
                    "transitions are drawn on the bottom video track only",
                )

    def bottom(self, segments: Sequence[MediaSegment]) -> str:
        """The lowest track, its segments and the black between them joined in time."""
        pieces = []
        cursor = 0
        shown = [self._noted(s) for s in sorted(segments, key=lambda s: s.target.start)]
        for hidden in (s.segment for s in shown if not s.visible):
            if hidden.transition is not None:
                self.report.not_drawn(
                    Feature.TRANSITION, hidden.transition.name, hidden.id, "its segment is unseen"
                )
        for run in joined_runs([s.segment for s in shown if s.visible]):
            start = run[0].target.start
            if start > cursor:
                pieces.append(self.black(Timerange(cursor, start - cursor)))
            looks = {s.segment.id: s for s in shown}
            if len(run) == 1:
                pieces.append(self._piece(looks[run[0].id]))
            else:
                pieces.append(self._joined([looks[s.id] for s in run]))
            cursor = run[-1].target.end
            last = run[-1]
            if last.transition is not None:
                self.report.not_drawn(
                    Feature.TRANSITION,
                    last.transition.name,
                    last.id,
                    "no segment follows right where it ends",
                )
        if cursor < self.draft.duration:
            pieces.append(self.black(Timerange(cursor, self.draft.duration - cursor)))
        join = [f"interleave=nb_inputs={len(pieces)}"] if len(pieces) > 1 else []
        # interleave ends at the start of its last frame: fps would drop that frame otherwise.
        rate = f"fps={self.canvas.fps}:eof_action=pass"
        # The last piece may end a frame short of its span: hold its last frame to the end.
        hold = ["tpad=stop=-1:stop_mode=clone", f"trim=end={seconds(self.draft.duration)}"]
        return self.graph.chain(pieces, [*join, rate, *hold, "setsar=1"])

    def _joined(self, run: Sequence[Shown]) -> str:
        """Segments that follow one another with transitions between them (transitions.py):
        each held past its ends by half the transitions around it, then cross-faded."""
        fps = self.canvas.fps
        between = cuts([s.segment for s in run])
        start = run[0].segment.target.start
        joined = ""
        for index, shown in enumerate(run):
            segment = shown.segment
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
            piece = self.graph.chain([self._piece(shown)], filters)
            if index < len(between):
                self._note_cut(segment, between[index].xfade)
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

    def _note_cut(self, segment: MediaSegment, xfade: str) -> None:
        transition = segment.transition
        assert transition is not None
        if transition.name in ("叠化", "叠加"):
            self.report.exact(Feature.TRANSITION, transition.name, segment.id)
        else:
            self.report.approximated(
                Feature.TRANSITION, transition.name, segment.id, f"ffmpeg's xfade {xfade}"
            )

    def _piece(self, shown: Shown) -> str:
        """One bottom segment as whole canvas frames: on black wherever it does not cover."""
        segment = shown.segment
        pictures = self.pictures
        place = f"overlay={pictures.position(shown)}:eof_action=pass"
        if segment.media.kind is MediaKind.IMAGE and not shown.changing:
            frame = self.graph.chain([], [self._blank(), "trim=end_frame=1"])
            still = self.graph.chain([frame, pictures.image(shown)], [place])
            return pictures.repeat(still, segment.target)
        picture = pictures.picture(shown)
        opaque = shown.opacity is not None and shown.opacity >= 1
        if (
            segment.media.kind is not MediaKind.IMAGE
            and shown.where.covers(self.canvas)
            and opaque
            and not shown.changing
            and shown.mask is None
        ):
            # One format for every piece, so that joining them converts nothing.
            return self.graph.chain([picture], ["format=pix_fmts=yuv420p:color_ranges=tv"])
        return self.graph.chain([self.black(segment.target), picture], [place])

    def overlay(self, layer: str, segment: MediaSegment) -> str:
        """`segment` laid over `layer` while it plays."""
        shown = self._noted(segment)
        if not shown.visible:
            return layer
        picture = self.pictures.picture(shown)
        target = segment.target
        during = f"gte(t,{seconds(target.start)})*lt(t,{seconds(target.end)})"
        place = f"overlay={self.pictures.position(shown)}:eof_action=pass:enable='{during}'"
        return self.graph.chain([layer, picture], [place])
