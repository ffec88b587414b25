"""`AsyncClient`: the asyncio client, the same methods as `Client`, awaited."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from draftsmith.client._autosave import AsyncAutoSaver, AutoSaveState
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
from draftsmith.client._sync import DEFAULT_SERVER, DEFAULT_TIMEOUT
from draftsmith.client._templates import Fill, FilledTemplate
from draftsmith.client._transport import finish, request_args, unreachable
from draftsmith.errors import DraftsmithError

T = TypeVar("T")


class AsyncClient:
    """An asyncio client for a draftsmith (or capcut-mate compatible) server.

    The same methods, errors, retry rules and `strict` option as `Client`, as coroutines;
    `sleep` is awaited.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_SERVER,
        api_key: str | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        on_retry: Callable[[RetryNotice], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
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
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout, trust_env=trust_env)

    async def _send(self, call: Call[T]) -> T:
        request = self._http.build_request(**request_args(call, self._api_key, self.strict))
        try:
            response = await self._http.send(request, stream=True)
            try:
                if call.sink is not None and response.is_success:
                    # Local file writes are short and block the loop only briefly.
                    with open_sink(call.sink) as sink:
                        async for chunk in response.aiter_bytes():
                            sink.write(chunk)
                else:
                    await response.aread()
            finally:
                await response.aclose()
        except httpx.TransportError as exc:
            raise unreachable(self.base_url, exc) from exc
        return finish(call, response)

    async def _run(self, call: Call[T]) -> T:
        attempts = self.retry.attempts(call.verb, call.retries, self._on_retry)
        while True:
            try:
                return await self._send(call)
            except DraftsmithError as error:
                delay = attempts.next_delay(error)
                if delay is None:
                    raise
            await self._sleep(delay)

    async def create_draft(
        self, width: int = 1920, height: int = 1080, name: str | None = None
    ) -> CreatedDraft:
        """Create an empty draft with a canvas of `width` x `height` pixels."""
        return await self._run(self._calls.create_draft(width, height, name))

    async def add_videos(
        self, draft: str, videos: Sequence[Video], placement: Placement | None = None
    ) -> EditResult:
        """Fetch each video once on the server and stack them on a new video track."""
        return await self._run(self._calls.add_videos(draft, videos, placement))

    async def add_audios(self, draft: str, audios: Sequence[Audio]) -> EditResult:
        """Fetch each audio file and put them on a new audio track."""
        return await self._run(self._calls.add_audios(draft, audios))

    async def add_images(
        self, draft: str, images: Sequence[Image], placement: Placement | None = None
    ) -> EditResult:
        """Fetch each image and put them on a new video track."""
        return await self._run(self._calls.add_images(draft, images, placement))

    async def add_captions(
        self,
        draft: str,
        captions: Sequence[Caption],
        style: CaptionStyle | None = None,
        placement: Placement | None = None,
    ) -> EditResult:
        """Put captions on a new text track, all in one style (colours, size, font, text
        effect: `CaptionStyle`); each caption's `Keywords` may have its own font."""
        return await self._run(self._calls.add_captions(draft, captions, style, placement))

    async def add_effects(self, draft: str, effects: Sequence[Effect]) -> EditResult:
        """Put scene or character effects (catalogue names) on the timeline; overlapping
        ones go on separate effect tracks."""
        return await self._run(self._calls.add_effects(draft, effects))

    async def add_filters(self, draft: str, filters: Sequence[Filter]) -> EditResult:
        """Put filters (catalogue names) on the timeline, each at its intensity."""
        return await self._run(self._calls.add_filters(draft, filters))

    async def add_masks(self, draft: str, segment_ids: Sequence[str], mask: Mask) -> MaskResult:
        """Mask each of the video segments `segment_ids` (from an add_videos or add_images
        result) with `mask`."""
        return await self._run(self._calls.add_masks(draft, segment_ids, mask))

    async def add_keyframes(self, draft: str, keyframes: Sequence[Keyframe]) -> KeyframeResult:
        """Set keyframes on video segments; later calls add to the same properties."""
        return await self._run(self._calls.add_keyframes(draft, keyframes))

    async def add_sticker(self, draft: str, sticker: Sticker) -> StickerResult:
        """Put a sticker of the editor's library on a new sticker track."""
        return await self._run(self._calls.add_sticker(draft, sticker))

    async def add_text_style(
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
        return await self._run(call)

    async def save(
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
        return await self._run(call)

    save_draft = save

    async def get_draft(self, draft: str, version: int | None = None) -> DraftFiles:
        """Download URLs of the files of the latest (or the given) saved version."""
        return await self._run(self._calls.get_draft(draft, version))

    async def download_draft(
        self, draft: str, dest: str | Path, version: int | None = None, *, extract: bool = False
    ) -> Download:
        """Download a saved version as a zip at `dest`, or with `extract` into the folder
        `dest` (giving `dest/<draft_id>/`, ready for CapCut/Jianying)."""
        return await self._run(self._calls.download_draft(draft, Path(dest), version, extract))

    async def get_draft_info(self, draft: str) -> DraftInfo:
        """Tracks and save status (`unsaved_changes`, `last_saved_version`, times)."""
        return await self._run(self._calls.get_draft_info(draft))

    async def list_drafts(
        self, limit: int = 50, offset: int = 0, query: str | None = None
    ) -> list[DraftSummary]:
        """Drafts, newest first, optionally those whose name or id contains `query`."""
        return await self._run(self._calls.list_drafts(limit, offset, query))

    async def list_versions(self, draft: str) -> list[VersionInfo]:
        """The draft's saved versions, oldest first."""
        return await self._run(self._calls.list_versions(draft))

    async def restore_version(self, draft: str, version: int) -> RestoreResult:
        """Make an old version the current state, published as a new version."""
        return await self._run(self._calls.restore_version(draft, version))

    async def delete_draft(self, draft: str) -> bool:
        """Delete the draft and its versions."""
        return await self._run(self._calls.delete_draft(draft))

    async def gen_video(self, draft: str, version: int | None = None) -> RenderSubmitted:
        """Queue a render to MP4 of the draft as it is, or of the given saved version; unsaved
        changes are saved first (a new version, named by `version` and in `warnings`)."""
        return await self._run(self._calls.gen_video(draft, version))

    async def compose(self, spec: Mapping[str, Any]) -> Composed:
        """A whole draft in one request (docs/compose.md): `spec` holds the canvas (or a
        `draft_url` to append to), its `tracks`, and `save`/`render`; applied all or nothing.
        A spec with problems raises InvalidSpec listing each with its JSON pointer."""
        return await self._run(self._calls.compose(spec))

    async def fill_template(
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
        return await self._run(self._calls.fill_template(template, texts, media, version, name))

    async def import_draft(
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
        return await self._run(self._calls.import_draft(source, profile, name))

    async def relink_media(self, draft: str, material: str, url: str) -> RelinkedMedia:
        """Attach the file at `url` to a material of an imported draft (by material id or the
        file name the draft gave it) whose file did not come with it."""
        return await self._run(self._calls.relink_media(draft, material, url))

    async def gen_video_status(self, draft: str) -> RenderStatus:
        """Status and progress (0-100) of the draft's render; `video_url` once completed."""
        return await self._run(self._calls.gen_video_status(draft))

    async def cancel_render(self, draft: str, job_id: str | None = None) -> RenderStatus:
        """Cancel the draft's render `job_id` (default: its latest queued or running one); the
        answer's `status` is "cancelled", or how the job already finished."""
        return await self._run(self._calls.cancel_render(draft, job_id))

    async def fetch(self, url: str, dest: str | Path) -> Path:
        """Download `url` (such as a render's `video_url`) into the file `dest`."""
        return await self._run(self._calls.fetch(url, Path(dest)))

    async def ready(self) -> bool:
        """True when the server can serve requests; raises Unavailable otherwise."""
        return await self._run(self._calls.ready())

    def auto_save(
        self, draft: str, every: float = 30.0, *, label: str | None = None
    ) -> AsyncAutoSaver:
        """Start saving `draft` every `every` seconds while it has unsaved changes.

        Call it inside a running event loop. Use as an async context manager (a final save
        happens on leaving the block without an error) or keep the handle and await `stop()`.
        """
        url = self._calls.draft_url(draft)
        state = AutoSaveState(url, every)
        # One attempt per tick: the next tick is the retry, and stop() never waits on a backoff.
        check = self._calls.get_draft_info(url, retries=ONCE)
        # Each tick is a new save, so each gets a call (and an idempotency key) of its own: a
        # key used again would answer the first save again instead of publishing the changes.
        return AsyncAutoSaver(
            state,
            lambda: self._run(check),
            lambda: self._run(
                self._calls.save_draft(url, expected_version=None, label=label, retries=ONCE)
            ),
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
