"""`Client`: the blocking client, one method per verb of the HTTP API."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from draftsmith.client._autosave import AutoSaver, AutoSaveState
from draftsmith.client._calls import ONCE, Call, Calls
from draftsmith.client._download import open_sink
from draftsmith.client._imports import ImportedDraft, RelinkedMedia
from draftsmith.client._inputs import (
    Audio,
    Caption,
    CaptionStyle,
    Effect,
    Filter,
    Image,
    Keyframe,
    Mask,
    Placement,
    Sticker,
    Video,
)
from draftsmith.client._models import (
    Composed,
    CreatedDraft,
    Download,
    DraftFiles,
    DraftInfo,
    DraftSummary,
    EditResult,
    KeyframeResult,
    MaskResult,
    RenderStatus,
    RenderSubmitted,
    RestoreResult,
    SaveResult,
    StickerResult,
    VersionInfo,
)
from draftsmith.client._retry import RetryNotice, RetryPolicy
from draftsmith.client._templates import Fill, FilledTemplate
from draftsmith.client._transport import finish, request_args, unreachable
from draftsmith.errors import DraftsmithError

T = TypeVar("T")
DEFAULT_SERVER = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = httpx.Timeout(120.0, connect=10.0)


class Client:
    """A blocking client for a draftsmith (or capcut-mate compatible) server.

    Every method raises a `draftsmith.errors.DraftsmithError` subclass carrying the server's
    `detail`, `code` and HTTP `status`: DraftNotFound, InvalidDraftUrl, SaveFailed, Unavailable
    (ServerUnreachable when no answer came), RateLimited, Conflict, ... Wherever a method takes
    `draft`, a draft_url and a bare draft id both work.

    `save` and the read-only methods retry what may pass by itself (500, 503, 429, no answer)
    as `retry` says; edits carry an idempotency key each and are retried the same way.
    `on_retry` is told about every wait, and `sleep` does the waiting (replace both in tests).

    What the server adjusts in an edit instead of refusing it (a segment longer than its
    media, an unknown name) comes back in the result's `warnings`; `strict=True` asks the
    server to refuse such edits (InvalidInput) instead, `strict=False` to adjust them whatever
    the server's own setting, None (the default) leaves it to the server.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_SERVER,
        api_key: str | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        on_retry: Callable[[RetryNotice], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        trust_env: bool = True,
        strict: bool | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self._api_key = api_key
        self.strict = strict
        self._on_retry = on_retry
        self._sleep = sleep
        self._calls = Calls(self.base_url)
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, trust_env=trust_env)

    def _send(self, call: Call[T]) -> T:
        request = self._http.build_request(**request_args(call, self._api_key, self.strict))
        try:
            response = self._http.send(request, stream=True)
            try:
                if call.sink is not None and response.is_success:
                    with open_sink(call.sink) as sink:
                        for chunk in response.iter_bytes():
                            sink.write(chunk)
                else:
                    response.read()
            finally:
                response.close()
        except httpx.TransportError as exc:
            raise unreachable(self.base_url, exc) from exc
        return finish(call, response)

    def _run(self, call: Call[T]) -> T:
        attempts = self.retry.attempts(call.verb, call.retries, self._on_retry)
        while True:
            try:
                return self._send(call)
            except DraftsmithError as error:
                delay = attempts.next_delay(error)
                if delay is None:
                    raise
            self._sleep(delay)

    def create_draft(
        self, width: int = 1920, height: int = 1080, name: str | None = None
    ) -> CreatedDraft:
        """Create an empty draft with a canvas of `width` x `height` pixels."""
        return self._run(self._calls.create_draft(width, height, name))

    def add_videos(
        self, draft: str, videos: Sequence[Video], placement: Placement | None = None
    ) -> EditResult:
        """Fetch each video once on the server and stack them on a new video track."""
        return self._run(self._calls.add_videos(draft, videos, placement))

    def add_audios(self, draft: str, audios: Sequence[Audio]) -> EditResult:
        """Fetch each audio file and put them on a new audio track."""
        return self._run(self._calls.add_audios(draft, audios))

    def add_images(
        self, draft: str, images: Sequence[Image], placement: Placement | None = None
    ) -> EditResult:
        """Fetch each image and put them on a new video track."""
        return self._run(self._calls.add_images(draft, images, placement))

    def add_captions(
        self,
        draft: str,
        captions: Sequence[Caption],
        style: CaptionStyle | None = None,
        placement: Placement | None = None,
    ) -> EditResult:
        """Put captions on a new text track, all in one style (colours, size, font, text
        effect: `CaptionStyle`); each caption's `Keywords` may have its own font."""
        return self._run(self._calls.add_captions(draft, captions, style, placement))

    def add_effects(self, draft: str, effects: Sequence[Effect]) -> EditResult:
        """Put scene or character effects (catalogue names) on the timeline; overlapping
        ones go on separate effect tracks."""
        return self._run(self._calls.add_effects(draft, effects))

    def add_filters(self, draft: str, filters: Sequence[Filter]) -> EditResult:
        """Put filters (catalogue names) on the timeline, each at its intensity."""
        return self._run(self._calls.add_filters(draft, filters))

    def add_masks(self, draft: str, segment_ids: Sequence[str], mask: Mask) -> MaskResult:
        """Mask each of the video segments `segment_ids` (from an add_videos or add_images
        result) with `mask`."""
        return self._run(self._calls.add_masks(draft, segment_ids, mask))

    def add_keyframes(self, draft: str, keyframes: Sequence[Keyframe]) -> KeyframeResult:
        """Set keyframes on video segments; later calls add to the same properties."""
        return self._run(self._calls.add_keyframes(draft, keyframes))

    def add_sticker(self, draft: str, sticker: Sticker) -> StickerResult:
        """Put a sticker of the editor's library on a new sticker track."""
        return self._run(self._calls.add_sticker(draft, sticker))

    def add_text_style(
        self,
        text: str,
        keyword: str,
        *,
        font_size: float = 12,
        keyword_color: str = "#ff7100",
        keyword_font_size: float = 15,
    ) -> str:
        """The rich-text style (a JSON string) of `text` with each keyword of "a|b" highlighted;
        touches no draft."""
        call = self._calls.add_text_style(
            text, keyword, font_size, keyword_color, keyword_font_size
        )
        return self._run(call)

    def save(
        self,
        draft: str,
        retries: int | None = None,
        *,
        expected_version: int | None = None,
        label: str | None = None,
    ) -> SaveResult:
        """Publish the draft's current state as its next saved version (save_draft).

        Retries 500, 503, 429 and connection failures up to `retries` times (default: the
        client's RetryPolicy, 3) with exponential backoff and jitter, honouring Retry-After;
        never a 4xx such as 404. Saving an unchanged draft creates no version. With
        `expected_version` (the revision you last saw), raises Conflict if the draft moved on.
        """
        call = self._calls.save_draft(
            draft, expected_version=expected_version, label=label, retries=retries
        )
        return self._run(call)

    save_draft = save

    def get_draft(self, draft: str, version: int | None = None) -> DraftFiles:
        """Download URLs of the files of the latest (or the given) saved version."""
        return self._run(self._calls.get_draft(draft, version))

    def download_draft(
        self, draft: str, dest: str | Path, version: int | None = None, *, extract: bool = False
    ) -> Download:
        """Download a saved version as a zip at `dest`, or with `extract` into the folder
        `dest` (giving `dest/<draft_id>/`, ready for CapCut/Jianying)."""
        return self._run(self._calls.download_draft(draft, Path(dest), version, extract))

    def get_draft_info(self, draft: str) -> DraftInfo:
        """Tracks and save status (`unsaved_changes`, `last_saved_version`, times)."""
        return self._run(self._calls.get_draft_info(draft))

    def list_drafts(
        self, limit: int = 50, offset: int = 0, query: str | None = None
    ) -> list[DraftSummary]:
        """Drafts, newest first, optionally those whose name or id contains `query`."""
        return self._run(self._calls.list_drafts(limit, offset, query))

    def list_versions(self, draft: str) -> list[VersionInfo]:
        """The draft's saved versions, oldest first."""
        return self._run(self._calls.list_versions(draft))

    def restore_version(self, draft: str, version: int) -> RestoreResult:
        """Make an old version the current state, published as a new version."""
        return self._run(self._calls.restore_version(draft, version))

    def delete_draft(self, draft: str) -> bool:
        """Delete the draft and its versions."""
        return self._run(self._calls.delete_draft(draft))

    def gen_video(self, draft: str, version: int | None = None) -> RenderSubmitted:
        """Queue a render to MP4 of the draft as it is, or of the given saved version; unsaved
        changes are saved first (a new version, named by `version` and in `warnings`)."""
        return self._run(self._calls.gen_video(draft, version))

    def compose(self, spec: Mapping[str, Any]) -> Composed:
        """A whole draft in one request (docs/compose.md): `spec` holds the canvas (or a
        `draft_url` to append to), its `tracks`, and `save`/`render`; applied all or nothing.
        A spec with problems raises InvalidSpec listing each with its JSON pointer."""
        return self._run(self._calls.compose(spec))

    def fill_template(
        self,
        template: str,
        texts: Sequence[Fill] = (),
        media: Sequence[Fill] = (),
        *,
        version: int | None = None,
        name: str | None = None,
    ) -> FilledTemplate:
        """A new draft made from the template `template` (a draft_url or id; as it is now,
        or its saved `version`) with caption texts and media replaced, in one request, all or
        nothing (docs/templates.md). `texts`: TextFill(text, placeholder="{{title}}") or by
        segment_id / material_id; `media`: MediaFill(url, name="clip.mp4") or by material_id.
        The template is unchanged. Problems raise InvalidSpec listing each with its pointer."""
        return self._run(self._calls.fill_template(template, texts, media, version, name))

    def import_draft(
        self,
        source: str | Path | bytes,
        *,
        profile: str | None = None,
        name: str | None = None,
    ) -> ImportedDraft:
        """A new draft from a draft folder (docs/import.md): `source` is a local folder or
        .zip file (uploaded), zip bytes, or an http(s) URL of a zip the server fetches.
        Media the draft names but did not bring come back in `missing_media`. Retried as
        the edits are: one idempotency key for every attempt, so a retry makes one draft."""
        return self._run(self._calls.import_draft(source, profile, name))

    def relink_media(self, draft: str, material: str, url: str) -> RelinkedMedia:
        """Attach the file at `url` to a material of an imported draft (by material id or the
        file name the draft gave it) whose file did not come with it."""
        return self._run(self._calls.relink_media(draft, material, url))

    def gen_video_status(self, draft: str) -> RenderStatus:
        """Status and progress (0-100) of the draft's render; `video_url` once completed."""
        return self._run(self._calls.gen_video_status(draft))

    def cancel_render(self, draft: str, job_id: str | None = None) -> RenderStatus:
        """Cancel the draft's render `job_id` (default: its latest queued or running one); the
        answer's `status` is "cancelled", or how the job already finished."""
        return self._run(self._calls.cancel_render(draft, job_id))

    def fetch(self, url: str, dest: str | Path) -> Path:
        """Download `url` (such as a render's `video_url`) into the file `dest`."""
        return self._run(self._calls.fetch(url, Path(dest)))

    def ready(self) -> bool:
        """True when the server can serve requests; raises Unavailable otherwise."""
        return self._run(self._calls.ready())

    def auto_save(self, draft: str, every: float = 30.0, *, label: str | None = None) -> AutoSaver:
        """Start saving `draft` every `every` seconds while it has unsaved changes.

        Use as a context manager (a final save happens on leaving the block without an
        error) or keep the handle and call `stop()`.
        """
        url = self._calls.draft_url(draft)
        state = AutoSaveState(url, every)
        # One attempt per tick: the next tick is the retry, and stop() never waits on a backoff.
        check = self._calls.get_draft_info(url, retries=ONCE)
        # Each tick is a new save, so each gets a call (and an idempotency key) of its own: a
        # key used again would answer the first save again instead of publishing the changes.
        return AutoSaver(
            state,
            lambda: self._run(check),
            lambda: self._run(
                self._calls.save_draft(url, expected_version=None, label=label, retries=ONCE)
            ),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
