"""compose: a whole draft from one spec (api/compose_schemas.py), applied as one write.

Every track is built exactly as its add_* verb builds it (api/verbs.py's item requests and
the service's track builders), then all of them are stacked in one store transaction, with
the draft itself when the spec makes a new one. Nothing is written unless every track could
be built: the problems found are all reported together, each with a JSON pointer into the
spec. Saving and rendering, when asked, follow the write.

With an idempotency key, the write of the tracks stores with the key an `unfinished` record
(store/idempotency.py) when a save or render is to follow, and each of those writes moves the
key on: a retry of a request cut short resumes where it stopped (`resume`), so the tracks are
stacked once, the version saved once and the render queued once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from draftsmith.api import schemas, verbs
from draftsmith.api.captions import caption_requests
from draftsmith.api.compose_schemas import KEYFRAMED, TRACK_TYPES, ComposeBody, TrackType, pointer
from draftsmith.api.numbers import conversions_of, remember_conversions
from draftsmith.errors import DraftsmithError, InvalidSpec
from draftsmith.security.caller import Caller
from draftsmith.service import Drafts, KeyframeRequest
from draftsmith.store.idempotency import Idempotency, unfinished, unfinished_record
from draftsmith.store.records import DraftHeader, RenderJob, SaveOutcome
from draftsmith.timeline.adjustments import Adjustment, Adjustments
from draftsmith.timeline.model import Canvas, Media, MediaKind, Track, TrackKind

_MEDIA = {
    "video": ("video_url", MediaKind.VIDEO),
    "audio": ("audio_url", MediaKind.AUDIO),
    "image": ("image_url", MediaKind.IMAGE),
}
# A field as the verbs name it in their messages and warnings: `video_infos[3].start`.
_VERB_FIELD = re.compile(r"^(?P<list>[a-z_]+)\[(?P<index>\d+)\](?:\.(?P<rest>[A-Za-z0-9_.\[\]]+))?")


@dataclass(frozen=True)
class Composed:
    """What compose made: the draft and its revision after the write, the tracks stacked (in
    the spec's order; an effect track whose items overlap becomes several), what was
    adjusted, and the saved version and render job when asked for."""

    draft_id: str
    revision: int
    track_ids: tuple[str, ...]
    warnings: tuple[Adjustment, ...]
    version: int | None = None
    job: RenderJob | None = None


def _record(made: Composed) -> str:
    """What a keyed compose stores with its key before its save or render is done."""
    return unfinished(
        json.dumps(
            {
                "draft_id": made.draft_id,
                "revision": made.revision,
                "track_ids": list(made.track_ids),
                "warnings": [[a.field, a.code, a.message] for a in made.warnings],
                "version": made.version,
            },
            ensure_ascii=False,
        )
    )


def _from_record(stored: str) -> Composed:
    record = json.loads(unfinished_record(stored))
    return Composed(
        record["draft_id"],
        record["revision"],
        tuple(record["track_ids"]),
        tuple(Adjustment(*w) for w in record["warnings"]),
        record["version"],
    )


def _verb_pointer(index: int, kind: TrackType, field: str) -> str:
    """Where in the spec the verb field `field` (`video_infos[3].start`) of track `index` is."""
    found = _VERB_FIELD.match(field)
    if found is None or found["list"] != kind.items_field:
        return pointer("tracks", index, *([field] if field else []))
    rest = re.split(r"[.\[\]]+", found["rest"] or "")
    return pointer("tracks", index, "items", found["index"], *[p for p in rest if p])


def _verb_body(track: BaseModel, kind: TrackType, items: list[Any]) -> schemas.Body:
    """The add_* body `track` means. Its fields and items were validated with the spec, by
    the verb body's own field types and validators (compose_schemas.py): the body is put
    together without validating them again, keeping the numbers the track and its items
    read differently from how they were sent (the `number_*` warnings)."""
    fields = {name: getattr(track, name) for name in type(track).model_fields}
    fields.pop("type")
    fields.pop("items")
    assert kind.items_field is not None
    fields[kind.items_field] = items
    given = (track.model_fields_set - {"type", "items"}) | {kind.items_field}
    body = kind.body.model_construct(given, **fields)
    converted = conversions_of(track)
    if converted:
        remember_conversions(body, converted)
    return body


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
            drafts.sticker_track(
                verbs.sticker_request(schemas.AddStickerBody.model_construct(**vars(item))), notes
            )
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
            url = getattr(item, url_field)
            found = seen.get((url, accept))
            if found is None:
                where = pointer("tracks", t, "items", i, url_field)
                try:
                    found = drafts.fetch_media(where, url, accept)
                except DraftsmithError as exc:
                    found = exc
                seen[url, accept] = found
            if isinstance(found, DraftsmithError):
                problems.append((pointer("tracks", t, "items", i, url_field), found.detail))
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

    InvalidSpec lists every problem found; nothing is written then.
    """
    problems, media = _fetch_all(drafts, spec)
    canvas = _canvas(drafts, caller, draft_id, spec)
    tracks: list[Track] = []
    warnings: list[Adjustment] = []
    for index, track in enumerate(spec.tracks):
        kind = TRACK_TYPES[track.type]
        own = Adjustments(strict=notes.strict)
        try:
            built = _built(drafts, track, kind, own, media[index])
        except DraftsmithError as exc:
            problems.append((_verb_problem_pointer(index, kind, exc.detail), exc.detail))
            continue
        warnings.extend(
            Adjustment(_verb_pointer(index, kind, a.field), a.code, a.message) for a in own.items
        )
        keyframed, found = _keyframed(drafts, index, track, built, canvas, notes.strict)
        problems.extend(found.problems)
        warnings.extend(found.warnings)
        tracks.extend(keyframed)
    if problems:
        raise InvalidSpec(tuple(problems))
    new = None
    if draft_id is None:
        new = drafts.new_draft(spec.width, spec.height, spec.name, spec.profile)
        draft_id = new.id
    made = tuple(tracks)

    def stacked(header: DraftHeader) -> Composed:
        return Composed(header.id, header.revision, tuple(t.id for t in made), tuple(warnings))

    follows = spec.save or spec.render
    key = None
    if once is not None:
        key = once.storing(lambda h: _record(stacked(h))) if follows else once.after(stacked)
    header = drafts.stack_tracks(caller, draft_id, made, new=new, once=key)
    if not follows:
        return stacked(header)
    made_now = stacked(header)
    follow = None if once is None else once.following(_record(made_now))
    return _finish(drafts, caller, spec, made_now, client, follow)


def resume(
    drafts: Drafts,
    caller: Caller,
    spec: ComposeBody,
    stored: str,
    once: Idempotency[Composed],
    *,
    client: str,
) -> Composed:
    """Finish the keyed compose whose key holds the `unfinished` record `stored` (`once`
    follows it): save and render as `spec` asks, what is not done yet, once."""
    return _finish(drafts, caller, spec, _from_record(stored), client, once)


Step = TypeVar("Step")


class _Step(Generic[Step]):
    """One write after the tracks' in a keyed compose: it takes the key over from the record
    it follows, storing the next record (or, last, the response)."""

    def __init__(
        self, once: Idempotency[Composed], make: Callable[[Step], Composed], *, last: bool
    ) -> None:
        self._once, self._make, self._last = once, make, last
        self.stored = False

    def _respond(self, result: Step) -> str:
        self.stored = True
        made = self._make(result)
        return self._once.respond(made) if self._last else _record(made)

    @property
    def key(self) -> Idempotency[Step]:
        return self._once.storing(self._respond)

    def done(self, drafts: Drafts, result: Step) -> Idempotency[Composed]:
        """Move the key on for `result` (in a write of its own when the step found its work
        done and wrote nothing); the key the next step takes."""
        if not self.stored:
            drafts.settle(self.key, result)
        return self._once.following(_record(self._make(result)))


def _finish(
    drafts: Drafts,
    caller: Caller,
    spec: ComposeBody,
    made: Composed,
    client: str,
    once: Idempotency[Composed] | None,
) -> Composed:
    """Save (unless `made` holds the version already) and render as `spec` asks."""
    if made.version is None:
        composed = made

        def with_save(outcome: SaveOutcome) -> Composed:
            return replace(composed, version=outcome.version.version)

        saving = None if once is None else _Step(once, with_save, last=not spec.render)
        outcome = drafts.save(
            caller, made.draft_id, client=client, once=None if saving is None else saving.key
        )
        if saving is not None:
            once = saving.done(drafts, outcome)
        made = with_save(outcome)
    if not spec.render:
        return made
    saved = made

    def with_job(job: RenderJob) -> Composed:
        return replace(saved, job=job)

    rendering = None if once is None else _Step(once, with_job, last=True)
    job = drafts.start_render(
        caller, made.draft_id, made.version, None if rendering is None else rendering.key
    )
    if rendering is not None:
        rendering.done(drafts, job)
    return with_job(job)


def _canvas(drafts: Drafts, caller: Caller, draft_id: str | None, spec: ComposeBody) -> Canvas:
    """The canvas keyframe positions are in: the new draft's, or the existing one's."""
    if not any(_has_keyframes(track) for track in spec.tracks):
        return Canvas(spec.width, spec.height)
    if draft_id is None:
        return Canvas(spec.width, spec.height)
    return drafts.header(caller, draft_id).canvas


def _has_keyframes(track: Any) -> bool:
    """Whether an item of the spec track `track` carries keyframes (only the items of the
    KEYFRAMED types may)."""
    return track.type in KEYFRAMED and any(item.keyframes for item in track.items)


@dataclass
class _Found:
    problems: list[tuple[str, str]]
    warnings: list[Adjustment]


def _keyframed(
    drafts: Drafts,
    index: int,
    track: Any,
    built: Sequence[Track],
    canvas: Canvas,
    strict: bool,
) -> tuple[list[Track], _Found]:
    """`built`, the tracks of spec track `index`, with its items' keyframes on their
    segments; every keyframe problem found, with its pointer."""
    found = _Found([], [])
    tracks = list(built)
    if not _has_keyframes(track):
        return tracks, found
    items = list(track.items)
    # A sticker track is one track per item; any other keyframed track one segment per item.
    places = (
        [(t, 0) for t in range(len(items))]
        if track.type == "sticker"
        else [(0, i) for i in range(len(items))]
    )
    for i, item in enumerate(items):
        if not item.keyframes:
            continue
        at, position = places[i]
        segment_id = tracks[at].segments[position].id
        requests = [
            KeyframeRequest(f"keyframes[{k}]", f.property, f.value, segment_id, f.time, f.offset)
            for k, f in enumerate(item.keyframes)
        ]
        own = Adjustments(strict=strict)
        base = pointer("tracks", index, "items", i)
        try:
            tracks[at] = drafts.keyframed_track(tracks[at], canvas, requests, own)
        except DraftsmithError as exc:
            found.problems.append((base + _keyframe_pointer(exc.detail), exc.detail))
            continue
        found.warnings.extend(
            Adjustment(base + _keyframe_pointer(a.field), a.code, a.message) for a in own.items
        )
    return tracks, found


def _keyframe_pointer(field: str) -> str:
    """Where under its item the keyframe field `field` (`keyframes[2].value must...`) is."""
    found = _VERB_FIELD.match(field.split(" ", 1)[0].rstrip(":"))
    if found is None or found["list"] != "keyframes":
        return pointer("keyframes")
    rest = [p for p in re.split(r"[.\[\]]+", found["rest"] or "") if p]
    return pointer("keyframes", found["index"], *rest)


def _verb_problem_pointer(index: int, kind: TrackType, detail: str) -> str:
    # The verbs name the field first in their messages: `video_infos[3].start must ...`.
    field = detail.split(" ", 1)[0].rstrip(":")
    return _verb_pointer(index, kind, field if _VERB_FIELD.match(field) else "")
