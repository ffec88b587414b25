"""`Drafts`, the one object the HTTP API, the CLI and the tests drive, and its core use cases:
create, read, list and delete drafts, and edit them by stacking tracks."""

from __future__ import annotations

from collections.abc import Sequence

from draftsmith.errors import MediaRejected
from draftsmith.security.caller import Caller
from draftsmith.service.policy import editor_profile
from draftsmith.service.rendering import RenderUseCases
from draftsmith.service.requests import CaptionRequest, EditResult, MediaRequest
from draftsmith.service.saving import SaveUseCases
from draftsmith.store.records import DraftHeader
from draftsmith.timeline import edits
from draftsmith.timeline.ids import new_draft_id
from draftsmith.timeline.model import (
    DEFAULT_PROFILE_NAME,
    Canvas,
    Clip,
    Draft,
    Media,
    MediaKind,
    TrackKind,
)


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
        placements = [edits.CaptionPlacement(c.text, c.start, c.end, c.style) for c in captions]
        track = edits.caption_track(field, placements, clip, self._new_id)
        return EditResult(self.store.append_track(draft_id, track, self._clock()), track)

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


def _source_name(url: str) -> str:
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail[:120] or "media"
