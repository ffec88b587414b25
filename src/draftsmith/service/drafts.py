"""`Drafts`, the one object the HTTP API, the CLI and the tests drive, and its core use cases:
create, read, list and delete drafts, and edit them by stacking tracks."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from draftsmith.catalogue import Kind
from draftsmith.catalogue.data import Entry
from draftsmith.catalogue.names import lookup_or_skip
from draftsmith.errors import InvalidInput, LimitExceeded, MediaRejected, UnknownName
from draftsmith.media.fetch import source_name
from draftsmith.security.caller import Caller
from draftsmith.service.animations import resolve_animations
from draftsmith.service.audio_effects import audio_effect
from draftsmith.service.idempotency import IdempotencyUseCases
from draftsmith.service.importing import ImportUseCases
from draftsmith.service.keyframes import keyframe_placements, keyframe_property
from draftsmith.service.masks import centred_mask, mask_entry, shaped_mask
from draftsmith.service.media_files import MediaFileUseCases
from draftsmith.service.policy import editor_profile
from draftsmith.service.previews import PreviewUseCases
from draftsmith.service.rendering import RenderUseCases
from draftsmith.service.requests import (
    CaptionRequest,
    EditResult,
    EffectRequest,
    KeyframeRequest,
    KeyframeResult,
    MaskRequest,
    MaskResult,
    MediaRequest,
    StickerRequest,
)
from draftsmith.service.saving import SaveUseCases
from draftsmith.service.templates import TemplateUseCases
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.records import DraftHeader
from draftsmith.timeline import edits
from draftsmith.timeline.adjustments import (
    LEFT_OUT,
    UNKNOWN_NAME_SKIPPED,
    Adjustment,
    Adjustments,
    within,
)
from draftsmith.timeline.ids import new_draft_id
from draftsmith.timeline.limits import (
    DEFAULT_TRANSITION_US,
    MAX_TRANSITION_US,
    MIN_TRANSITION_US,
)
from draftsmith.timeline.model import (
    DEFAULT_PROFILE_NAME,
    Canvas,
    Clip,
    Draft,
    EffectParam,
    Mask,
    Media,
    MediaKind,
    MediaSegment,
    Segment,
    Track,
    TrackKind,
    Transition,
)


class Drafts(
    PreviewUseCases,
    SaveUseCases,
    RenderUseCases,
    MediaFileUseCases,
    IdempotencyUseCases,
    TemplateUseCases,
    ImportUseCases,
):
    """One short method per thing a caller can do with drafts.

    It holds no draft state of its own: every call reads and writes through the DraftStore, so
    any number of server processes can serve the same drafts. Saving and rendering use cases
    live in saving.py and rendering.py, reads of media files in media_files.py; the checks
    they share in policy.py.
    """

    def create(
        self,
        caller: Caller,
        width: int,
        height: int,
        name: str | None = None,
        profile: str = DEFAULT_PROFILE_NAME,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        """A new, empty draft whose saved folders are written for the editors of `profile`."""
        self._writable()
        draft = self.new_draft(width, height, name, profile)
        return self._store.create_draft(
            draft,
            draft.created_at_us,
            owner=caller.key_id,
            max_owned=self._policy.max_drafts_per_key,
            once=once,
        )

    def new_draft(
        self, width: int, height: int, name: str | None = None, profile: str = DEFAULT_PROFILE_NAME
    ) -> Draft:
        """A new, empty draft as `create` stores it; nothing is written."""
        editor_profile(profile)
        draft_id = new_draft_id()
        return Draft(
            id=draft_id,
            name=name or draft_id,
            canvas=Canvas(width=width, height=height),
            created_at_us=self._clock(),
            profile=profile,
        )

    def stack_tracks(
        self,
        caller: Caller,
        draft_id: str,
        tracks: Sequence[Track],
        *,
        new: Draft | None = None,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        """Stack `tracks` (built by media_track, caption_track... ) on the draft in one write,
        all or nothing; with `new` (`new_draft`) the draft is created in that same write."""
        self._writable()
        adding = sum(len(t.segments) for t in tracks)
        if new is None:
            self._check_room("tracks", self._owned(caller, draft_id), adding)
        elif adding > self._policy.max_segments:
            raise LimitExceeded(
                f"tracks: {adding} segments pass the limit of {self._policy.max_segments} "
                "segments per draft"
            )
        header = self._store.append_tracks(
            draft_id,
            tracks,
            self._clock(),
            new=new,
            owner=caller.key_id,
            max_owned=self._policy.max_drafts_per_key,
            once=once,
        )
        self._metrics.edits.labels("stacked").inc()
        return header

    def header(self, caller: Caller, draft_id: str) -> DraftHeader:
        return self._owned(caller, draft_id)

    def load(self, caller: Caller, draft_id: str) -> tuple[DraftHeader, Draft]:
        header, draft = self._store.load(draft_id)
        return self._visible(caller, header), draft

    def list_drafts(
        self, caller: Caller, *, limit: int, offset: int, query: str | None
    ) -> list[DraftHeader]:
        """The caller's drafts (every draft while API keys are off)."""
        return self._store.list_drafts(limit=limit, offset=offset, query=query, owner=caller.key_id)

    def delete(self, caller: Caller, draft_id: str, once: Idempotency[None] | None = None) -> None:
        self._writable()
        self._owned(caller, draft_id)
        self._store.delete_draft(draft_id, once=once)

    def add_media(
        self,
        caller: Caller,
        draft_id: str,
        field: str,
        accept: MediaKind,
        items: Sequence[MediaRequest],
        clip: Clip | None,
        notes: Adjustments | None = None,
        once: Idempotency[EditResult] | None = None,
    ) -> EditResult:
        """Fetch each item's media and stack them on a new track of the draft; what had to be
        adjusted is noted in `notes` and kept with the segments."""
        notes = Adjustments() if notes is None else notes
        self._writable()
        self._check_count(field, len(items))
        for item in items:
            edits.timerange(item.field, item.start, item.end)
        self._check_room(field, self._owned(caller, draft_id), len(items))
        track = self.media_track(field, accept, items, clip, notes)
        return self._stacked(draft_id, track, notes, once)

    def media_track(
        self,
        field: str,
        accept: MediaKind,
        items: Sequence[MediaRequest],
        clip: Clip | None,
        notes: Adjustments,
        fetched: Mapping[str, Media] | None = None,
    ) -> Track:
        """The track add_media stacks, built without writing anything (compose). `fetched`
        holds media already fetched (as `accept`) for this request, by URL."""
        self._check_count(field, len(items))
        for item in items:
            edits.timerange(item.field, item.start, item.end)
        placements = []
        for item in items:
            known = None if fetched is None else fetched.get(item.url)
            media = known or self._media.get(f"{item.field}", item.url, accept)
            duration = min(item.end - item.start, edits.media_length(media))
            placements.append(
                edits.MediaPlacement(
                    media=media,
                    source_name=source_name(item.url),
                    start=item.start,
                    end=item.end,
                    volume=item.volume,
                    transition=self._transition(item, notes),
                    animations=resolve_animations(
                        item.field,
                        item.animations,
                        max(duration, 1),
                        video=True,
                        new_id=self._new_id,
                        notes=notes,
                    ),
                    scene=item.scene,
                )
            )
        masks = [_item_mask(item, notes) for item in items]
        sounds = [audio_effect(i.field, i.audio_effect, self._new_id, notes) for i in items]
        kind = TrackKind.AUDIO if accept is MediaKind.AUDIO else TrackKind.VIDEO
        track = edits.media_track(field, kind, placements, clip, self._new_id, notes)
        if any(sounds):
            track = replace(
                track,
                segments=tuple(
                    replace(segment, audio_effect=sound)
                    if sound is not None and isinstance(segment, MediaSegment)
                    else segment
                    for sound, segment in zip(sounds, track.segments, strict=True)
                ),
            )
        if any(masks):
            track = replace(
                track,
                segments=tuple(
                    replace(segment, mask=centred_mask(entry, segment, self._new_id))
                    if entry is not None and isinstance(segment, MediaSegment)
                    else segment
                    for entry, segment in zip(masks, track.segments, strict=True)
                ),
            )
        return _kept(track, field, [item.field for item in items], notes)

    def add_captions(
        self,
        caller: Caller,
        draft_id: str,
        field: str,
        captions: Sequence[CaptionRequest],
        clip: Clip,
        notes: Adjustments | None = None,
        once: Idempotency[EditResult] | None = None,
    ) -> EditResult:
        notes = Adjustments() if notes is None else notes
        self._writable()
        self._check_count(field, len(captions))
        self._check_caption_lengths(field, captions)
        self._check_room(field, self._owned(caller, draft_id), len(captions))
        track = self.caption_track(field, captions, clip, notes)
        return self._stacked(draft_id, track, notes, once)

    def caption_track(
        self, field: str, captions: Sequence[CaptionRequest], clip: Clip, notes: Adjustments
    ) -> Track:
        """The track add_captions stacks, built without writing anything (compose)."""
        self._check_count(field, len(captions))
        self._check_caption_lengths(field, captions)
        placements = []
        for index, c in enumerate(captions):
            item = f"{field}[{index}]"
            edits.timerange(item, c.start, c.end)
            animations = resolve_animations(
                item, c.animations, c.end - c.start, video=False, new_id=self._new_id, notes=notes
            )
            placements.append(
                edits.CaptionPlacement(
                    c.text,
                    c.start,
                    c.end,
                    c.style,
                    animations,
                    c.keywords,
                    c.keyword_style,
                    text_effect_id=c.text_effect_id,
                )
            )
        track = edits.caption_track(field, placements, clip, self._new_id)
        return _kept(track, field, [f"{field}[{i}]" for i in range(len(captions))], notes)

    def _transition(self, item: MediaRequest, notes: Adjustments) -> Transition | None:
        if item.transition is None or not item.transition.strip():
            return None
        entry = lookup_or_skip(
            Kind.TRANSITION, item.transition, field=f"{item.field}.transition", notes=notes
        )
        if entry is None:
            return None
        duration = item.transition_duration
        if duration is None:
            duration = DEFAULT_TRANSITION_US
        if not MIN_TRANSITION_US <= duration <= MAX_TRANSITION_US:
            raise InvalidInput(
                f"{item.field}.transition_duration must be between {MIN_TRANSITION_US} and "
                f"{MAX_TRANSITION_US} microseconds, got {duration}"
            )
        return Transition(
            id=self._new_id(),
            name=entry.name,
            effect_id=entry.effect_id,
            resource_id=entry.resource_id,
            duration=duration,
            is_overlap=bool(entry.is_overlap),
        )

    def add_effects(
        self,
        caller: Caller,
        draft_id: str,
        field: str,
        kind: TrackKind,
        items: Sequence[EffectRequest],
        notes: Adjustments | None = None,
        once: Idempotency[EditResult] | None = None,
    ) -> EditResult:
        """Stack a new effect (scene/character effects) or filter track, names resolved from
        the catalogue. An item whose name the catalogue does not know is skipped, as
        capcut-mate skips it (noted; strict `notes` refuse it). When every item is skipped
        nothing is written: the answer names no track (an empty id) and no segments."""
        notes = Adjustments() if notes is None else notes
        self._writable()
        tracks, added = self.effect_tracks(field, kind, items, notes)
        header = self._owned(caller, draft_id)
        if not tracks:
            nothing = EditResult(header, Track("", kind, "", ()), (), warnings=notes.items)
            return nothing if once is None else self.settle(once, nothing)
        self._check_room(field, header, len(added))

        def result(header: DraftHeader) -> EditResult:
            return EditResult(header, tracks[0], added, warnings=notes.items)

        # Overlapping items make several tracks: stacked in one write, with the key, so a
        # retry never finds some of them there already.
        header = self._store.append_tracks(
            draft_id, tracks, self._clock(), once=_after(once, result)
        )
        self._metrics.edits.labels("stacked").inc()
        return result(header)

    def effect_tracks(
        self, field: str, kind: TrackKind, items: Sequence[EffectRequest], notes: Adjustments
    ) -> tuple[tuple[Track, ...], tuple[Segment, ...]]:
        """The tracks add_effects stacks (several when items overlap) and the segments made of
        the items, in the items' order, but for items skipped for an unknown name (none when
        all are); nothing is written (compose)."""
        self._check_count(field, len(items))
        placed = [(item, _effect_placement(kind, item, notes)) for item in items]
        known = [(item, placement) for item, placement in placed if placement is not None]
        if not known:
            return (), ()
        placements = [placement for _, placement in known]
        tracks, ordered = edits.effect_tracks(field, kind, placements, self._new_id)
        kept = {
            segment.id: _item_notes(notes, field, item.field)
            for segment, (item, _) in zip(ordered, known, strict=True)
        }
        tracks = edits.with_adjustments(tracks, kept)
        by_id = {s.id: s for t in tracks for s in t.segments}
        return tracks, tuple(by_id[segment_id] for segment_id in kept)

    def add_sticker(
        self,
        caller: Caller,
        draft_id: str,
        request: StickerRequest,
        notes: Adjustments | None = None,
        once: Idempotency[EditResult] | None = None,
    ) -> EditResult:
        """Stack a new sticker track holding one sticker of the editor's library; the editor
        fetches the sticker by its id when it opens the draft, renders draw the picture at
        the request's `image_url` (fetched now) if there is one."""
        notes = Adjustments() if notes is None else notes
        self._writable()
        # Checked before the picture is fetched, as add_media checks before it fetches.
        self._check_room("sticker_id", self._owned(caller, draft_id), 1)
        track = self.sticker_track(request, notes)
        return self._stacked(draft_id, track, notes, once)

    def sticker_track(self, request: StickerRequest, notes: Adjustments) -> Track:
        """The track add_sticker stacks, built without writing anything (compose) but the
        picture at `image_url`, fetched into the media library as add_images fetches."""
        clip = Clip(
            scale_x=request.scale,
            scale_y=request.scale,
            transform_x=request.transform_x,
            transform_y=request.transform_y,
        )
        edits.timerange("", request.start, request.end)
        image = None if request.image_url is None else self._sticker_image(request, notes)
        placement = edits.StickerPlacement(
            request.sticker_id, request.start, request.end, clip, request.image_url, image
        )
        track = edits.sticker_track(placement, self._new_id)
        return _kept(track, "", [""], notes)

    def _sticker_image(self, request: StickerRequest, notes: Adjustments) -> Media | None:
        """The picture at the sticker's `image_url`, or None, noted, when it cannot be used: a
        sticker needs no picture in the editor, only renders draw it."""
        assert request.image_url is not None
        try:
            return self._media.get("image_url", request.image_url, MediaKind.IMAGE)
        except MediaRejected as exc:
            instead = "the sticker was added without its picture, which renders do not draw"
            notes.note("image_url", LEFT_OUT, f"{exc.detail}; {instead}", refusal=exc)
            return None

    def add_masks(
        self,
        caller: Caller,
        draft_id: str,
        request: MaskRequest,
        notes: Adjustments | None = None,
        once: Idempotency[MaskResult] | None = None,
    ) -> MaskResult:
        """Put a new mask on each named video or photo segment of the draft. A mask name the
        catalogue does not know is skipped, as capcut-mate skips it: nothing is written and
        the answer adds no mask (noted; strict `notes` refuse it)."""
        notes = Adjustments() if notes is None else notes
        self._writable()
        if not request.segment_ids:
            raise InvalidInput("segment_ids must contain at least one segment id")
        self._check_count("segment_ids", len(request.segment_ids))
        try:
            entry = mask_entry(request.name)
        except UnknownName as exc:
            instead = "no mask was added"
            notes.note("name", UNKNOWN_NAME_SKIPPED, f"{exc.detail}; {instead}", refusal=exc)
            nothing = MaskResult(self._owned(caller, draft_id), (), (), warnings=notes.items)
            return nothing if once is None else self.settle(once, nothing)
        wanted = tuple(dict.fromkeys(request.segment_ids))

        def masked(draft: Draft) -> tuple[tuple[Track, ...], tuple[Mask, ...]]:
            def make_mask(segment: MediaSegment) -> Mask:
                return shaped_mask(request, entry, segment, draft.canvas, self._new_id)

            tracks, masks = edits.with_masks(draft.tracks, request.segment_ids, make_mask)
            return edits.with_adjustments(tracks, dict.fromkeys(wanted, notes.items)), masks

        def result(made: tuple[DraftHeader, tuple[Mask, ...]]) -> MaskResult:
            return MaskResult(made[0], wanted, made[1], warnings=notes.items)

        return result(self._edit_tracks(caller, draft_id, masked, _after(once, result)))

    def add_keyframes(
        self,
        caller: Caller,
        draft_id: str,
        items: Sequence[KeyframeRequest],
        notes: Adjustments | None = None,
        once: Idempotency[KeyframeResult] | None = None,
    ) -> KeyframeResult:
        """Add keyframes to existing video, photo, audio and caption segments of the draft."""
        notes = Adjustments() if notes is None else notes
        self._writable()
        if not items:
            raise InvalidInput("keyframes must contain at least one item")
        self._check_count("keyframes", len(items))
        for item in items:
            keyframe_property(item)

        def animated(
            draft: Draft,
        ) -> tuple[tuple[Track, ...], list[edits.KeyframePlacement]]:
            placements = keyframe_placements(draft, items, notes)
            tracks = edits.with_keyframes(draft.tracks, placements, self._new_id)
            kept: dict[str, tuple[Adjustment, ...]] = {}
            for placement in placements:
                own = _item_notes(notes, "keyframes", placement.field)
                kept[placement.segment_id] = (*kept.get(placement.segment_id, ()), *own)
            return edits.with_adjustments(tracks, kept), placements

        def result(made: tuple[DraftHeader, list[edits.KeyframePlacement]]) -> KeyframeResult:
            header, placements = made
            affected = tuple(dict.fromkeys(p.segment_id for p in placements))
            return KeyframeResult(header, len(placements), affected, warnings=notes.items)

        return result(self._edit_tracks(caller, draft_id, animated, _after(once, result)))

    def keyframed_track(
        self,
        track: Track,
        canvas: Canvas,
        items: Sequence[KeyframeRequest],
        notes: Adjustments,
    ) -> Track:
        """`track` (built, not yet written: compose) with the keyframes `items` (each naming
        its segment) added as add_keyframes adds them on a draft of `canvas`."""
        for item in items:
            keyframe_property(item)
        held = Draft(id="", name="", canvas=canvas, created_at_us=0, tracks=(track,))
        placements = keyframe_placements(held, items, notes)
        keyed = edits.with_keyframes((track,), placements, self._new_id)
        kept: dict[str, tuple[Adjustment, ...]] = {}
        for placement in placements:
            own = notes.under(placement.field)
            kept[placement.segment_id] = (*kept.get(placement.segment_id, ()), *own)
        [adjusted] = edits.with_adjustments(keyed, kept)
        return adjusted

    def _stacked(
        self,
        draft_id: str,
        track: Track,
        notes: Adjustments,
        once: Idempotency[EditResult] | None,
    ) -> EditResult:
        def result(header: DraftHeader) -> EditResult:
            return EditResult(header, track, warnings=notes.items)

        return result(self._stack(draft_id, track, _after(once, result)))

    def fetch_media(self, field: str, url: str, accept: MediaKind) -> Media:
        """The media behind `url`, fetched and kept exactly as add_media keeps it; for edits
        that need to know a file's duration before placing it (easy_create_material)."""
        self._writable()
        return self._media.get(field, url, accept)

    def audio_duration(self, field: str, url: str) -> int:
        """How long the audio at `url` plays, in microseconds; the file is not kept."""
        media = self._media.inspect(field, url)
        if not media.has_audio or media.duration_us is None:
            raise MediaRejected(f"{field}: the file has no audio stream")
        return media.duration_us

    def ready(self) -> None:
        """Raise Unavailable unless both the store and the blob store answer."""
        self._store.ping()
        self._blobs.ready()


Made = TypeVar("Made")
Result = TypeVar("Result")


def _after(
    once: Idempotency[Result] | None, make: Callable[[Made], Result]
) -> Idempotency[Made] | None:
    return None if once is None else once.after(make)


_EFFECT_TYPES = {Kind.SCENE_EFFECT: "video_effect", Kind.CHARACTER_EFFECT: "face_effect"}


def _item_notes(notes: Adjustments, field: str, item: str) -> tuple[Adjustment, ...]:
    """What `notes` hold about one item of the list `field` (`video_infos[0]`), and about the
    request as a whole (a top-level `font`), which concerns every item."""
    rest = tuple(a for a in notes.items if not within(a.field, field)) if field else ()
    return notes.under(item) + rest


def _kept(track: Track, field: str, items: Sequence[str], notes: Adjustments) -> Track:
    """`track`, its segments made from the request items `items` (in order), with what
    `notes` hold about each."""
    if not len(notes):
        return track
    kept = {
        segment.id: _item_notes(notes, field, item)
        for segment, item in zip(track.segments, items, strict=True)
    }
    [adjusted] = edits.with_adjustments((track,), kept)
    return adjusted


def _item_mask(item: MediaRequest, notes: Adjustments) -> Entry | None:
    """The catalogue mask add_videos' `mask` names, if any; an unknown one is skipped."""
    if not item.mask or not item.mask.strip():
        return None
    field = f"{item.field}.mask"
    try:
        return mask_entry(item.mask, field)
    except UnknownName as exc:
        instead = "the item was added without a mask"
        notes.note(field, UNKNOWN_NAME_SKIPPED, f"{exc.detail}; {instead}", refusal=exc)
        return None


_SKIPPED_ITEM = "the item was skipped: nothing was added for it"


def _effect_placement(
    kind: TrackKind, item: EffectRequest, notes: Adjustments
) -> edits.EffectPlacement | None:
    """The effect or filter `item` names; None, noted, for a name the catalogue does not know."""
    if kind is TrackKind.FILTER:
        if not 0.0 <= item.intensity <= 100.0:
            raise InvalidInput(
                f"{item.field}.intensity must be between 0 and 100, got {item.intensity}"
            )
        field = f"{item.field}.filter_title"
        found = lookup_or_skip(
            Kind.FILTER, item.name, field=field, notes=notes, instead=_SKIPPED_ITEM
        )
        if found is None:
            return None
        entry: Entry = found
        effect_type, value = "filter", item.intensity / 100.0
    else:
        field = f"{item.field}.effect_title"
        found = lookup_or_skip(
            Kind.EFFECT, item.name, field=field, notes=notes, instead=_SKIPPED_ITEM
        )
        if found is None:
            return None
        entry = found
        effect_type, value = _EFFECT_TYPES[entry.kind], 1.0
    params = tuple(EffectParam(p.name, p.default, p.min, p.max, p.default) for p in entry.params)
    return edits.EffectPlacement(
        name=entry.name,
        effect_type=effect_type,
        effect_id=entry.effect_id,
        resource_id=entry.resource_id,
        start=item.start,
        end=item.end,
        value=value,
        params=params if kind is TrackKind.EFFECT else (),
    )
