"""compose: a whole draft from one spec (api/compose_schemas.py), applied as one write.

Every track is built exactly as its add_* verb builds it (api/verbs.py's item requests and
the service's track builders), then all of them are stacked in one store transaction, with
the draft itself when the spec makes a new one. Nothing is written unless every track could
be built: the problems found are all reported together, each with a JSON pointer into the
spec. Saving and rendering, when asked, follow the write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from draftsmith.api import schemas, verbs
from draftsmith.api.captions import caption_requests
from draftsmith.api.compose_schemas import TRACK_TYPES, ComposeBody, TrackType, pointer
from draftsmith.errors import DraftsmithError, InvalidSpec
from draftsmith.security.caller import Caller
from draftsmith.service import Drafts
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.records import DraftHeader, RenderJob, SaveOutcome
from draftsmith.timeline.adjustments import Adjustment, Adjustments
from draftsmith.timeline.model import Media, MediaKind, Track, TrackKind

_MEDIA = {
    "video": ("video_url", MediaKind.VIDEO),
    "audio": ("audio_url", MediaKind.AUDIO),
    "image": ("image_url", MediaKind.IMAGE),
}
# A field as the verbs name it in their messages and warnings: `video_infos[3].start`.
_VERB_FIELD = re.compile(r"^(?P<list>[a-z_]+)\[(?P<index>\d+)\](?:\.(?P<rest>[A-Za-z0-9_.\[\]]+))?")


@dataclass(frozen=True)
class Composed:
    """What compose made: the draft after the write, the tracks stacked (in the spec's order;
    an effect track whose items overlap becomes several), what was adjusted, and the saved
    version and render job when asked for."""

    header: DraftHeader
    tracks: tuple[Track, ...]
    warnings: tuple[Adjustment, ...]
    saved: SaveOutcome | None = None
    job: RenderJob | None = None


def _verb_pointer(index: int, kind: TrackType, field: str) -> str:
    """Where in the spec the verb field `field` (`video_infos[3].start`) of track `index` is."""
    found = _VERB_FIELD.match(field)
    if found is None or found["list"] != kind.items_field:
        return pointer("tracks", index, *([field] if field else []))
    rest = re.split(r"[.\[\]]+", found["rest"] or "")
    return pointer("tracks", index, "items", found["index"], *[p for p in rest if p])


def _verb_body(track: BaseModel, kind: TrackType, items: list[Any]) -> schemas.Body:
    fields = {name: getattr(track, name) for name in type(track).model_fields}
    fields.pop("type")
    fields.pop("items")
    assert kind.items_field is not None
    return kind.body.model_validate({**fields, kind.items_field: items})


def _built(
    drafts: Drafts,
    track: Any,
    kind: TrackType,
    notes: Adjustments,
    fetched: Mapping[str, Media],
) -> list[Track]:
    """The tracks the add_* verb of `kind` would stack for `track`, nothing written;
    `fetched` holds the track's media, fetched already, by URL."""
    if kind.items_field is None:
        return [
            drafts.sticker_track(verbs.sticker_request(schemas.AddStickerBody(**vars(item))), notes)
            for item in track.items
        ]
    body = _verb_body(track, kind, list(track.items))
    verbs.note_rounding(notes, body)
    if isinstance(body, schemas.AddVideosBody):
        requests, clip = verbs.video_requests(body), verbs.clip_of(body)
        return [drafts.media_track("video_infos", MediaKind.VIDEO, requests, clip, notes, fetched)]
    if isinstance(body, schemas.AddImagesBody):
        requests, clip = verbs.image_requests(body), verbs.clip_of(body)
        return [drafts.media_track("image_infos", MediaKind.IMAGE, requests, clip, notes, fetched)]
    if isinstance(body, schemas.AddAudiosBody):
        requests = verbs.audio_requests(body)
        return [drafts.media_track("audio_infos", MediaKind.AUDIO, requests, None, notes, fetched)]
    if isinstance(body, schemas.AddCaptionsBody):
        captions = caption_requests(body, drafts.operator_catalogue, notes)
        return [drafts.caption_track("captions", captions, verbs.clip_of(body), notes)]
    if isinstance(body, schemas.AddEffectsBody):
        effects = verbs.effect_requests(body)
        return list(drafts.effect_tracks("effect_infos", TrackKind.EFFECT, effects, notes)[0])
    assert isinstance(body, schemas.AddFiltersBody)
    filters = verbs.filter_requests(body)
    return list(drafts.effect_tracks("filter_infos", TrackKind.FILTER, filters, notes)[0])


def _fetch_all(
    drafts: Drafts, spec: ComposeBody
) -> tuple[list[tuple[str, str]], list[dict[str, Media]]]:
    """Fetch every media item's file first (each URL once per kind), so that every item that
    cannot be used is reported; the files fetched are kept in the media library, as add_*
    keeps them. The problems, and each track's media by URL."""
    problems = []
    by_track: list[dict[str, Media]] = []
    seen: dict[tuple[str, MediaKind], Media | DraftsmithError] = {}
    for t, track in enumerate(spec.tracks):
        fetched: dict[str, Media] = {}
        by_track.append(fetched)
        if track.type not in _MEDIA:
            continue
        url_field, accept = _MEDIA[track.type]
        for i, item in enumerate(track.items):
            where = pointer("tracks", t, "items", i, url_field)
            url = getattr(item, url_field)
            if (url, accept) not in seen:
                try:
                    seen[url, accept] = drafts.fetch_media(where, url, accept)
                except DraftsmithError as exc:
                    seen[url, accept] = exc
            found = seen[url, accept]
            if isinstance(found, DraftsmithError):
                problems.append((where, found.detail))
            else:
                fetched[url] = found
    return problems, by_track


def compose(
    drafts: Drafts,
    caller: Caller,
    draft_id: str | None,
    spec: ComposeBody,
    notes: Adjustments,
    *,
    client: str,
    once: Idempotency[Composed] | None = None,
) -> Composed:
    """Build every track of `spec`, then stack them all on the draft `draft_id` (None: a new
    draft made as `spec` says) in one write; then save and render when `spec` asks.

    InvalidSpec lists every problem found; nothing is written then. The key `once` goes with
    the last write: with save or render, a request cut short after the tracks were stacked is
    applied anew when retried.
    """
    problems, media = _fetch_all(drafts, spec)
    tracks: list[Track] = []
    warnings: list[Adjustment] = []
    for index, track in enumerate(spec.tracks):
        kind = TRACK_TYPES[track.type]
        own = Adjustments(strict=notes.strict)
        try:
            tracks.extend(_built(drafts, track, kind, own, media[index]))
        except DraftsmithError as exc:
            problems.append((_verb_problem_pointer(index, kind, exc.detail), exc.detail))
            continue
        warnings.extend(
            Adjustment(_verb_pointer(index, kind, a.field), a.code, a.message) for a in own.items
        )
    if problems:
        raise InvalidSpec(tuple(problems))
    new = None
    if draft_id is None:
        new = drafts.new_draft(spec.width, spec.height, spec.name, spec.profile)
        draft_id = new.id
    made = tuple(tracks)

    def composed(
        header: DraftHeader, saved: SaveOutcome | None = None, job: RenderJob | None = None
    ) -> Composed:
        return Composed(header, made, tuple(warnings), saved, job)

    last = not (spec.save or spec.render)
    header = drafts.stack_tracks(
        caller, draft_id, made, new=new, once=_after(once, composed) if last else None
    )
    if last:
        return composed(header)

    def with_save(outcome: SaveOutcome) -> Composed:
        return composed(header, outcome)

    saved = drafts.save(
        caller, draft_id, client=client, once=None if spec.render else _after(once, with_save)
    )
    if not spec.render:
        return with_save(saved)

    def with_job(job: RenderJob) -> Composed:
        return composed(header, saved, job)

    return with_job(
        drafts.start_render(caller, draft_id, saved.version.version, _after(once, with_job))
    )


def _verb_problem_pointer(index: int, kind: TrackType, detail: str) -> str:
    # The verbs name the field first in their messages: `video_infos[3].start must ...`.
    field = detail.split(" ", 1)[0].rstrip(":")
    return _verb_pointer(index, kind, field if _VERB_FIELD.match(field) else "")


def _after(
    once: Idempotency[Composed] | None, make: Callable[[Any], Composed]
) -> Idempotency[Any] | None:
    return None if once is None else once.after(make)
