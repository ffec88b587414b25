"""fill_template: a new draft made from another one (its current state or a saved version) with
caption texts and media replaced, in one write.

Every media URL is fetched first, as add_videos fetches (the media library's rules and limits),
then every fill is applied to the template's tracks (timeline/templates.py); the problems found
on the way are reported together, each with its pointer into the request, and then nothing is
written. The template itself is only read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from draftsmith.capcut.filled_text import restyled
from draftsmith.errors import DraftsmithError, InvalidSpec, LimitExceeded, MediaRejected
from draftsmith.media.fetch import source_name
from draftsmith.security.caller import Caller
from draftsmith.service.policy import UseCases
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.records import DraftHeader
from draftsmith.timeline.adjustments import Adjustment, Adjustments
from draftsmith.timeline.ids import new_draft_id
from draftsmith.timeline.model import Draft, Media, MediaKind, TrackKind
from draftsmith.timeline.templates import (
    MediaBy,
    MediaFill,
    Replacement,
    TextFill,
    fill,
    names_media,
)


@dataclass(frozen=True)
class MediaFillRequest:
    """Play the file at `url` in the media segments `by` `key` names; `pointer` names the
    fill in the request."""

    pointer: str
    by: MediaBy
    key: str
    url: str


@dataclass(frozen=True)
class TemplateRequest:
    """Fill the template `draft_id` (its saved `version`, or None: as it is now) into a new
    draft called `name` (None: the template's name)."""

    draft_id: str
    version: int | None = None
    name: str | None = None
    texts: tuple[TextFill, ...] = ()
    media: tuple[MediaFillRequest, ...] = ()


@dataclass(frozen=True)
class TemplateResult:
    """The new draft, the template and the version of it filled (None: its state then), what
    each fill replaced (texts, then media, in request order) and what was adjusted."""

    header: DraftHeader
    template_id: str
    template_version: int | None
    replacements: tuple[Replacement, ...]
    warnings: tuple[Adjustment, ...] = ()


class TemplateUseCases(UseCases):
    def fill_template(
        self,
        caller: Caller,
        request: TemplateRequest,
        notes: Adjustments | None = None,
        once: Idempotency[TemplateResult] | None = None,
    ) -> TemplateResult:
        """A new draft: the template's canvas, profile and tracks, with every fill of
        `request` applied; all of it in one write, or nothing and InvalidSpec listing every
        problem."""
        strict = notes is not None and notes.strict
        self._writable()
        self._check_count("texts", len(request.texts))
        self._check_count("media", len(request.media))
        template = self._template(caller, request.draft_id, request.version)
        # A fill adds no segment, but the new draft must be one the server holds.
        if template.segment_count > self._policy.max_segments:
            raise LimitExceeded(
                f"draft_url: the template has {template.segment_count} segments, more than the "
                f"limit of {self._policy.max_segments} segments per draft"
            )
        fetched, problems = self._fetch_all(template, request.media)
        filled = fill(
            template.tracks,
            request.texts,
            fetched,
            strict=strict,
            max_caption_chars=self._policy.max_caption_chars,
            restyle=restyled,
        )
        found = sorted((*problems, *filled.problems), key=lambda p: _order(p[0]))
        if found:
            raise InvalidSpec(tuple(found))
        if notes is not None:
            for warning in filled.warnings:
                notes.note(warning.field, warning.code, warning.message)
        new_id = new_draft_id()
        new = replace(
            template,
            id=new_id,
            name=request.name or template.name,
            created_at_us=self._clock(),
            tracks=(),
        )

        def result(header: DraftHeader) -> TemplateResult:
            return TemplateResult(
                header, request.draft_id, request.version, filled.replacements, filled.warnings
            )

        header = self._store.append_tracks(
            new_id,
            filled.tracks,
            self._clock(),
            new=new,
            owner=caller.key_id,
            max_owned=self._policy.max_drafts_per_key,
            once=None if once is None else once.after(result),
        )
        self._metrics.edits.labels("filled").inc()
        return result(header)

    def _template(self, caller: Caller, draft_id: str, version: int | None) -> Draft:
        self._owned(caller, draft_id)
        if version is None:
            return self._store.load(draft_id)[1]
        record = self._store.version(draft_id, version)
        return self._store.version_snapshot(draft_id, record.version)

    def _fetch_all(
        self, template: Draft, items: Sequence[MediaFillRequest]
    ) -> tuple[list[MediaFill], list[tuple[str, str]]]:
        """Each media fill with its file fetched (each URL once), and the problems of those
        whose file cannot be used. A fill that names no segment fetches nothing: the fill
        reports it."""
        kinds = {s.id: t.kind for t in template.tracks for s in t.segments}
        segments = [s for t in template.tracks for s in t.segments]
        fetched: list[MediaFill] = []
        problems: list[tuple[str, str]] = []
        seen: dict[tuple[str, bool], Media | DraftsmithError] = {}
        for item in items:
            named = [s for s in segments if names_media(s, item.by, item.key)]
            audio = bool(named) and all(kinds[s.id] is TrackKind.AUDIO for s in named)
            if not named:
                fetched.append(MediaFill(item.pointer, item.by, item.key, None, ""))
                continue
            where = f"{item.pointer}/url"
            if (item.url, audio) not in seen:
                try:
                    seen[item.url, audio] = self._fetched(where, item.url, audio)
                except DraftsmithError as exc:
                    seen[item.url, audio] = exc
            media = seen[item.url, audio]
            if isinstance(media, DraftsmithError):
                problems.append((where, media.detail))
                continue
            name = source_name(item.url)
            fetched.append(MediaFill(item.pointer, item.by, item.key, media, name))
        return fetched, problems

    def _fetched(self, where: str, url: str, audio: bool) -> Media:
        """The file at `url` for audio segments, or for video and photo segments: a video,
        or else a photo."""
        if audio:
            return self._media.get(where, url, MediaKind.AUDIO)
        try:
            return self._media.get(where, url, MediaKind.VIDEO)
        except MediaRejected:
            # The file was fetched and kept; a photo fills a video's place as well.
            known = self._store.media_for_url(url)
            if known is None or known.kind is not MediaKind.IMAGE:
                raise
            return self._media.get(where, url, MediaKind.IMAGE)


def _order(pointer: str) -> tuple[int, int, str]:
    """Problems sorted as the request lists its fills: texts, then media."""
    parts = pointer.split("/")
    group = 0 if len(parts) > 1 and parts[1] == "texts" else 1
    index = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
    return group, index, pointer
