"""`Drafts`, the one object the HTTP API, the CLI and the tests drive, and its core use cases:
create, read, list and delete drafts, and edit them by stacking tracks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from draftsmith.catalogue import Kind, lookup
from draftsmith.catalogue.data import Entry
from draftsmith.errors import Conflict, InvalidInput, MediaRejected, UnknownName
from draftsmith.security.caller import Caller
from draftsmith.service.animations import resolve_animations
from draftsmith.service.policy import editor_profile
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
from draftsmith.store.records import DraftHeader
from draftsmith.timeline import edits
from draftsmith.timeline.ids import new_draft_id
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
    TrackKind,
    Transition,
)

_EDIT_ATTEMPTS = 5
"""Edits of existing tracks retry this often when another edit lands in between."""
DEFAULT_TRANSITION_US = 500_000
MIN_TRANSITION_US = 100_000
MAX_TRANSITION_US = 2_500_000
"""capcut-mate's documented transition_duration default and bounds (add_videos, add_images)."""


class Drafts(SaveUseCases, RenderUseCases):
    """One short method per thing a caller can do with drafts.

    It holds no draft state of its own: every call reads and writes through the DraftStore, so
    any number of server processes can serve the same drafts. Saving and rendering use cases
    live in saving.py and rendering.py; the checks they share in policy.py.
    """

    def create(
        self,
        caller: Caller,
        width: int,
        height: int,
        name: str | None = None,
        profile: str = DEFAULT_PROFILE_NAME,
    ) -> DraftHeader:
        """A new, empty draft whose saved folders are written for the editors of `profile`."""
        self._writable()
        editor_profile(profile)
        draft_id = new_draft_id()
        created = self._clock()
        draft = Draft(
            id=draft_id,
            name=name or draft_id,
            canvas=Canvas(width=width, height=height),
            created_at_us=created,
            profile=profile,
        )
        return self.store.create_draft(
            draft, created, owner=caller.key_id, max_owned=self._policy.max_drafts_per_key
        )

    def header(self, caller: Caller, draft_id: str) -> DraftHeader:
        return self._owned(caller, draft_id)

    def load(self, caller: Caller, draft_id: str) -> tuple[DraftHeader, Draft]:
        header, draft = self.store.load(draft_id)
        return self._visible(caller, header), draft

    def list_drafts(
        self, caller: Caller, *, limit: int, offset: int, query: str | None
    ) -> list[DraftHeader]:
        """The caller's drafts (every draft while API keys are off)."""
        return self.store.list_drafts(limit=limit, offset=offset, query=query, owner=caller.key_id)

    def delete(self, caller: Caller, draft_id: str) -> None:
        self._writable()
        self._owned(caller, draft_id)
        self.store.delete_draft(draft_id)

    def add_media(
        self,
        caller: Caller,
        draft_id: str,
        field: str,
        accept: MediaKind,
        items: Sequence[MediaRequest],
        clip: Clip | None,
    ) -> EditResult:
        """Fetch each item's media and stack them on a new track of the draft."""
        self._writable()
        self._check_count(field, len(items))
        for item in items:
            edits.timerange(item.field, item.start, item.end)
        self._check_room(field, self._owned(caller, draft_id), len(items))
        placements = [
            edits.MediaPlacement(
                media=self._media.get(f"{item.field}", item.url, accept),
                source_name=_source_name(item.url),
                start=item.start,
                end=item.end,
                volume=item.volume,
                transition=self._transition(item),
                animations=resolve_animations(
                    item.field,
                    item.animations,
                    item.end - item.start,
                    video=True,
                    new_id=self._new_id,
                ),
                scene=item.scene,
            )
            for item in items
        ]
        kind = TrackKind.AUDIO if accept is MediaKind.AUDIO else TrackKind.VIDEO
        track = edits.media_track(field, kind, placements, clip, self._new_id)
        if any(item.mask for item in items):
            track = replace(
                track,
                segments=tuple(
                    self._default_mask(item, segment)
                    for item, segment in zip(items, track.segments, strict=True)
                ),
            )
        return EditResult(self.store.append_track(draft_id, track, self._clock()), track)

    def add_captions(
        self,
        caller: Caller,
        draft_id: str,
        field: str,
        captions: Sequence[CaptionRequest],
        clip: Clip,
    ) -> EditResult:
        self._writable()
        self._check_count(field, len(captions))
        self._check_caption_lengths(field, captions)
        self._check_room(field, self._owned(caller, draft_id), len(captions))
        placements = []
        for index, c in enumerate(captions):
            item = f"{field}[{index}]"
            edits.timerange(item, c.start, c.end)
            animations = resolve_animations(
                item, c.animations, c.end - c.start, video=False, new_id=self._new_id
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
        return EditResult(self.store.append_track(draft_id, track, self._clock()), track)

    def _transition(self, item: MediaRequest) -> Transition | None:
        if item.transition is None or not item.transition.strip():
            return None
        entry = lookup(Kind.TRANSITION, item.transition, field=f"{item.field}.transition")
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
    ) -> EditResult:
        """Stack a new effect (scene/character effects) or filter track, names resolved from
        the catalogue."""
        self._writable()
        self._check_count(field, len(items))
        placements = [_effect_placement(kind, item) for item in items]
        tracks, ordered = edits.effect_tracks(field, kind, placements, self._new_id)
        self._check_room(field, self._owned(caller, draft_id), len(items))
        for track in tracks:
            header = self.store.append_track(draft_id, track, self._clock())
        return EditResult(header, tracks[0], ordered)

    def add_sticker(self, caller: Caller, draft_id: str, request: StickerRequest) -> EditResult:
        """Stack a new sticker track holding one sticker of the editor's library; the editor
        fetches the sticker by its id when it opens the draft."""
        self._writable()
        clip = Clip(
            scale_x=request.scale,
            scale_y=request.scale,
            transform_x=request.transform_x,
            transform_y=request.transform_y,
        )
        placement = edits.StickerPlacement(request.sticker_id, request.start, request.end, clip)
        track = edits.sticker_track(placement, self._new_id)
        self._check_room("sticker_id", self._owned(caller, draft_id), 1)
        return EditResult(self.store.append_track(draft_id, track, self._clock()), track)

    def _default_mask(self, item: MediaRequest, segment: Segment) -> Segment:
        """`segment` with `item`'s mask, centred at pyJianYingDraft's default size (half the
        frame high, the shape's own aspect ratio), if it asked for one."""
        if not item.mask or not item.mask.strip() or not isinstance(segment, MediaSegment):
            return segment
        entry = _mask_entry(item.mask, f"{item.field}.mask")
        ratio = entry.default_aspect_ratio or 1.0
        media = segment.media
        height = 0.5
        width = height * ratio
        if media.width and media.height:
            width = height * media.height * ratio / media.width
        mask = Mask(
            id=self._new_id(),
            name=entry.name,
            resource_type=entry.resource_type or "",
            resource_id=entry.resource_id,
            center_x=0.0,
            center_y=0.0,
            width=width,
            height=height,
            aspect_ratio=ratio,
        )
        return replace(segment, mask=mask)

    def add_masks(self, caller: Caller, draft_id: str, request: MaskRequest) -> MaskResult:
        """Put a new mask on each named video or photo segment of the draft."""
        self._writable()
        if not request.segment_ids:
            raise InvalidInput("segment_ids must contain at least one segment id")
        self._check_count("segment_ids", len(request.segment_ids))
        entry = _mask_entry(request.name)

        def make_mask() -> Mask:
            return Mask(
                id=self._new_id(),
                name=entry.name,
                resource_type=entry.resource_type or "",
                resource_id=entry.resource_id,
                # pyJianYingDraft's units: half-frames from the middle, y up.
                center_x=(request.x - 0.5) * 2,
                center_y=(0.5 - request.y) * 2,
                width=request.width,
                height=request.height,
                aspect_ratio=entry.default_aspect_ratio or 1.0,
                rotation=request.rotation,
                invert=request.invert,
                feather=request.feather,
                round_corner=request.round_corner,
            )

        for attempt in range(_EDIT_ATTEMPTS):
            self._owned(caller, draft_id)
            header, draft = self.store.load(draft_id)
            tracks, masks = edits.with_masks(draft.tracks, request.segment_ids, make_mask)
            try:
                header = self.store.replace_tracks(draft_id, tracks, header.revision, self._clock())
            except Conflict:
                if attempt == _EDIT_ATTEMPTS - 1:
                    raise
                continue
            return MaskResult(header, tuple(dict.fromkeys(request.segment_ids)), masks)
        raise Conflict()

    def add_keyframes(
        self, caller: Caller, draft_id: str, items: Sequence[KeyframeRequest]
    ) -> KeyframeResult:
        """Add keyframes to existing video, photo, audio and caption segments of the draft."""
        self._writable()
        if not items:
            raise InvalidInput("keyframes must contain at least one item")
        self._check_count("keyframes", len(items))
        for item in items:
            _keyframe_property(item)
        for attempt in range(_EDIT_ATTEMPTS):
            self._owned(caller, draft_id)
            header, draft = self.store.load(draft_id)
            placements = _keyframe_placements(draft, items)
            tracks = edits.with_keyframes(draft.tracks, placements, self._new_id)
            try:
                header = self.store.replace_tracks(draft_id, tracks, header.revision, self._clock())
            except Conflict:
                if attempt == _EDIT_ATTEMPTS - 1:
                    raise
                continue
            affected = tuple(dict.fromkeys(p.segment_id for p in placements))
            return KeyframeResult(header, len(placements), affected)
        raise Conflict()

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
        self.store.ping()
        self.blobs.ready()


_EFFECT_TYPES = {Kind.SCENE_EFFECT: "video_effect", Kind.CHARACTER_EFFECT: "face_effect"}


_MASK_ALIASES = {"heart": "爱心", "star": "星形", "linear": "线性", "mirror": "镜面"}
"""capcut-mate's English mask names the catalogue's shapes do not cover."""


def _mask_entry(name: str, field: str = "name") -> Entry:
    """The catalogue mask `name` names; capcut-mate's "circle" and "Circle Mask" too."""
    try:
        return lookup(Kind.MASK, name, field=field)
    except UnknownName:
        words = name.split()
        if len(words) > 1 and words[-1].lower() == "mask":
            words = words[:-1]
        shape = " ".join(words)
        shape = _MASK_ALIASES.get(shape.lower(), shape)
        if shape != name:
            try:
                return lookup(Kind.MASK, shape, field=field)
            except UnknownName:
                pass
        raise


# capcut-mate's documented property names and pyJianYingDraft's, to the editor's property and
# whether the value is in canvas pixels along x or y (else it is the editor's own unit).
_KEYFRAME_PROPERTIES: dict[str, tuple[str, str | None]] = {
    "position.x": ("KFTypePositionX", "x"),
    "position_x": ("KFTypePositionX", "x"),
    "position.y": ("KFTypePositionY", "y"),
    "position_y": ("KFTypePositionY", "y"),
    "scale.x": ("KFTypeScaleX", None),
    "scale_x": ("KFTypeScaleX", None),
    "scale.y": ("KFTypeScaleY", None),
    "scale_y": ("KFTypeScaleY", None),
    "rotation": ("KFTypeRotation", None),
    "rotation.z": ("KFTypeRotation", None),
    "opacity": ("KFTypeAlpha", None),
    "alpha": ("KFTypeAlpha", None),
    "volume": ("KFTypeVolume", None),
    "saturation": ("KFTypeSaturation", None),
    "contrast": ("KFTypeContrast", None),
    "brightness": ("KFTypeBrightness", None),
}
_EDITOR_PROPERTIES = {editor for editor, _ in _KEYFRAME_PROPERTIES.values()}
_KEYFRAME_RANGES = {"KFTypeAlpha": (0.0, 1.0), "KFTypeVolume": (0.0, 10.0)}
_KEYFRAME_RANGES.update(
    dict.fromkeys(("KFTypeSaturation", "KFTypeContrast", "KFTypeBrightness"), (-1.0, 1.0))
)


def _keyframe_property(item: KeyframeRequest) -> tuple[str, str | None]:
    """The editor's property for `item` and the canvas axis its value is in pixels along."""
    name = item.property.strip()
    if name in _EDITOR_PROPERTIES:
        editor, axis = name, None
    elif name.lower() in _KEYFRAME_PROPERTIES:
        editor, axis = _KEYFRAME_PROPERTIES[name.lower()]
    else:
        known = ", ".join(sorted({k for k in _KEYFRAME_PROPERTIES if "." in k} | {"volume"}))
        raise InvalidInput(
            f"{item.field}.property: unknown property {item.property!r}; use one of {known}"
        )
    low, high = _KEYFRAME_RANGES.get(editor, (-1e6, 1e6))
    if not low <= item.value <= high:
        raise InvalidInput(
            f"{item.field}.value for {item.property} must be between {low:g} and {high:g}, "
            f"got {item.value}"
        )
    return editor, axis


def _keyframe_placements(
    draft: Draft, items: Sequence[KeyframeRequest]
) -> list[edits.KeyframePlacement]:
    """One placement per item and segment, times and values in the editor's units."""
    kinds = {s.id: (t.kind, s) for t in draft.tracks for s in t.segments}
    placements = []
    for item in items:
        editor, axis = _keyframe_property(item)
        if item.segment_id is not None:
            segment_ids = [item.segment_id]
        else:
            allowed = (
                (TrackKind.VIDEO, TrackKind.AUDIO)
                if editor == "KFTypeVolume"
                else (TrackKind.VIDEO,)
            )
            segment_ids = [
                sid
                for sid, (kind, segment) in kinds.items()
                if kind in allowed and isinstance(segment, MediaSegment)
            ]
            if not segment_ids:
                raise InvalidInput(
                    f"{item.field}: the draft has no segment to animate; add videos or images "
                    "first or give segment_id"
                )
        value = item.value
        if axis == "x":
            value = value / (draft.canvas.width / 2)
        elif axis == "y":
            value = (0.0 - value) / (draft.canvas.height / 2)
        time = item.time if item.time is not None else item.offset
        if time is None:
            raise InvalidInput(
                f"{item.field}.time is required (microseconds from the segment's start)"
            )
        for segment_id in segment_ids:
            placements.append(edits.KeyframePlacement(item.field, segment_id, editor, time, value))
    return placements


def _effect_placement(kind: TrackKind, item: EffectRequest) -> edits.EffectPlacement:
    if kind is TrackKind.FILTER:
        entry: Entry = lookup(Kind.FILTER, item.name, field=f"{item.field}.filter_title")
        if not 0.0 <= item.intensity <= 100.0:
            raise InvalidInput(
                f"{item.field}.intensity must be between 0 and 100, got {item.intensity}"
            )
        effect_type, value = "filter", item.intensity / 100.0
    else:
        entry = lookup(Kind.EFFECT, item.name, field=f"{item.field}.effect_title")
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


def _source_name(url: str) -> str:
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail[:120] or "media"
