"""`Drafts`, the one object the HTTP API, the CLI and the tests drive, and its core use cases:
create, read, list and delete drafts, and edit them by stacking tracks."""

from __future__ import annotations

from collections.abc import Sequence

from draftsmith.catalogue import Kind, lookup
from draftsmith.catalogue.data import Entry
from draftsmith.errors import InvalidInput, MediaRejected
from draftsmith.security.caller import Caller
from draftsmith.service.animations import resolve_animations
from draftsmith.service.policy import editor_profile
from draftsmith.service.rendering import RenderUseCases
from draftsmith.service.requests import CaptionRequest, EditResult, EffectRequest, MediaRequest
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
    Media,
    MediaKind,
    TrackKind,
    Transition,
)

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
            placements.append(edits.CaptionPlacement(c.text, c.start, c.end, c.style, animations))
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
        self.store.ping()


_EFFECT_TYPES = {Kind.SCENE_EFFECT: "video_effect", Kind.CHARACTER_EFFECT: "face_effect"}


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
