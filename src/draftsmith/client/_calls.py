"""One `Call` per verb of the HTTP API: what to send and how to read the answer. No I/O here.

`Client` and `AsyncClient` build their calls here and differ only in how they send them, so
every verb's request fields, retry rule and result type are written once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import httpx

from draftsmith.api.urls import API_PREFIX, draft_url, parse_draft_url
from draftsmith.client._download import read_download, zip_sink
from draftsmith.client._fields import Fields, UnexpectedResponse
from draftsmith.client._imports import ImportedDraft, RelinkedMedia, archive_bytes
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
from draftsmith.client._templates import Fill, FilledTemplate, fills_json
from draftsmith.errors import DraftUrlRequired, InvalidDraftUrl, InvalidInput
from draftsmith.timeline.ids import is_valid_draft_id

T = TypeVar("T")
# Retries for verbs that are safe to repeat; None means "the client's RetryPolicy default".
IDEMPOTENT: int | None = None
ONCE = 0
# Verbs that change state: each call carries its own idempotency key, so retrying is safe.
KEYED_VERBS = frozenset(
    {
        "create_draft",
        "add_videos",
        "add_audios",
        "add_images",
        "add_captions",
        "add_effects",
        "add_filters",
        "add_masks",
        "add_keyframes",
        "add_sticker",
        "save_draft",
        "restore_version",
        "delete_draft",
        "gen_video",
        "cancel_render",
        "compose",
        "easy_create_material",
        "import_draft",
        "relink_media",
        "fill_template",
    }
)


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request and the reading of its successful answer.

    `sink` asks for the body to be streamed into that file instead of read into memory.
    """

    verb: str
    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    body: Mapping[str, Any] | None = None
    params: Mapping[str, str | int] | None = None
    retries: int | None = ONCE
    sink: Path | None = None
    send_key: bool = True
    idempotency_key: str | None = None
    """Sent as Idempotency-Key on every attempt, so a retry is applied at most once."""
    content: bytes | None = None
    """A body sent as it is (a zip upload), as `content_type`, instead of `body` as JSON."""
    content_type: str = "application/json"


def fields(response: httpx.Response, verb: str) -> Fields:
    """The JSON object of a successful answer."""
    try:
        data = response.json()
    except ValueError as exc:
        raise UnexpectedResponse(
            f"Unexpected response from the server: {verb} did not answer JSON"
        ) from exc
    return Fields(data, verb)


def _dropping_none(body: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if value is not None}


class Calls:
    """Builds the call of each verb against one server."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def draft_url(self, draft: str) -> str:
        """A draft_url for `draft`, which is a draft_url already or a bare draft id."""
        ref = draft.strip()
        if not ref:
            raise DraftUrlRequired()
        if "://" in ref:
            return ref
        if not is_valid_draft_id(ref):
            raise InvalidDraftUrl(f"Not a draft_url or draft id: {ref!r}")
        return draft_url(self.base_url, ref)

    def _post(
        self,
        verb: str,
        body: Mapping[str, Any],
        read: Callable[[Fields], T],
        retries: int | None = IDEMPOTENT,
    ) -> Call[T]:
        return Call(
            verb=verb,
            method="POST",
            path=f"{API_PREFIX}/{verb}",
            parse=lambda response: read(fields(response, verb)),
            body=_dropping_none(body),
            retries=retries,
            idempotency_key=secrets.token_hex(16) if verb in KEYED_VERBS else None,
        )

    def create_draft(self, width: int, height: int, name: str | None) -> Call[CreatedDraft]:
        body = {"width": width, "height": height, "name": name}
        return self._post("create_draft", body, CreatedDraft.read)

    def _add(
        self, verb: str, ids_name: str, draft: str, body: Mapping[str, Any]
    ) -> Call[EditResult]:
        full = {"draft_url": self.draft_url(draft), **body}
        return self._post(verb, full, lambda f: EditResult.read(f, ids_name))

    def add_videos(
        self, draft: str, videos: Sequence[Video], placement: Placement | None
    ) -> Call[EditResult]:
        body = {
            "video_infos": [v.to_json() for v in videos],
            "scene_timelines": _scenes(videos),
            **_placed(placement),
        }
        return self._add("add_videos", "video_ids", draft, body)

    def add_audios(self, draft: str, audios: Sequence[Audio]) -> Call[EditResult]:
        body = {"audio_infos": [a.to_json() for a in audios]}
        return self._add("add_audios", "audio_ids", draft, body)

    def add_images(
        self, draft: str, images: Sequence[Image], placement: Placement | None
    ) -> Call[EditResult]:
        body = {"image_infos": [i.to_json() for i in images], **_placed(placement)}
        return self._add("add_images", "image_ids", draft, body)

    def add_captions(
        self,
        draft: str,
        captions: Sequence[Caption],
        style: CaptionStyle | None,
        placement: Placement | None,
    ) -> Call[EditResult]:
        body = {
            "captions": [c.to_json() for c in captions],
            **(style or CaptionStyle()).to_json(),
            **_placed(placement),
        }
        return self._add("add_captions", "text_ids", draft, body)

    def add_effects(self, draft: str, effects: Sequence[Effect]) -> Call[EditResult]:
        body = {"effect_infos": [e.to_json() for e in effects]}
        return self._add("add_effects", "effect_ids", draft, body)

    def add_filters(self, draft: str, filters: Sequence[Filter]) -> Call[EditResult]:
        body = {"filter_infos": [f.to_json() for f in filters]}
        return self._add("add_filters", "filter_ids", draft, body)

    def add_masks(self, draft: str, segment_ids: Sequence[str], mask: Mask) -> Call[MaskResult]:
        body = {
            "draft_url": self.draft_url(draft),
            "segment_ids": list(segment_ids),
            **mask.to_json(),
        }
        return self._post("add_masks", body, MaskResult.read)

    def add_keyframes(self, draft: str, keyframes: Sequence[Keyframe]) -> Call[KeyframeResult]:
        body = {"draft_url": self.draft_url(draft), "keyframes": [k.to_json() for k in keyframes]}
        return self._post("add_keyframes", body, KeyframeResult.read)

    def add_sticker(self, draft: str, sticker: Sticker) -> Call[StickerResult]:
        body = {"draft_url": self.draft_url(draft), **sticker.to_json()}
        return self._post("add_sticker", body, StickerResult.read)

    def add_text_style(
        self,
        text: str,
        keyword: str,
        font_size: float | None,
        keyword_color: str | None,
        keyword_font_size: float | None,
    ) -> Call[str]:
        # Touches no draft: a pure function on the server, safe to repeat.
        body = {
            "text": text,
            "keyword": keyword,
            "font_size": font_size,
            "keyword_color": keyword_color,
            "keyword_font_size": keyword_font_size,
        }
        return self._post("add_text_style", body, lambda f: f.text("text_style"), IDEMPOTENT)

    def save_draft(
        self,
        draft: str,
        *,
        expected_version: int | None,
        label: str | None,
        retries: int | None,
    ) -> Call[SaveResult]:
        # Saving is idempotent: a repeat of a save that did land finds nothing new to publish.
        body = {
            "draft_url": self.draft_url(draft),
            "expected_version": expected_version,
            "label": label,
        }
        return self._post("save_draft", body, SaveResult.read, retries)

    def get_draft(self, draft: str, version: int | None) -> Call[DraftFiles]:
        draft_id = parse_draft_url(self.draft_url(draft))
        params: dict[str, str | int] = {"draft_id": draft_id}
        if version is not None:
            params["version"] = version
        return Call(
            verb="get_draft",
            method="GET",
            path=f"{API_PREFIX}/get_draft",
            parse=lambda response: DraftFiles.read(fields(response, "get_draft")),
            params=params,
            retries=IDEMPOTENT,
        )

    def download_draft(
        self, draft: str, dest: Path, version: int | None, extract: bool
    ) -> Call[Download]:
        sink = zip_sink(dest, extract)
        return Call(
            verb="download_draft",
            method="POST",
            path=f"{API_PREFIX}/download_draft",
            parse=lambda _: read_download(sink, dest, extract),
            body=_dropping_none({"draft_url": self.draft_url(draft), "version": version}),
            retries=IDEMPOTENT,
            sink=sink,
        )

    def get_draft_info(self, draft: str, retries: int | None = IDEMPOTENT) -> Call[DraftInfo]:
        body = {"draft_url": self.draft_url(draft)}
        return self._post("get_draft_info", body, DraftInfo.read, retries)

    def list_drafts(self, limit: int, offset: int, query: str | None) -> Call[list[DraftSummary]]:
        body = {"limit": limit, "offset": offset, "query": query}
        return self._post(
            "list_drafts",
            body,
            lambda f: [DraftSummary.read(d) for d in f.objects("drafts")],
            IDEMPOTENT,
        )

    def list_versions(self, draft: str) -> Call[list[VersionInfo]]:
        body = {"draft_url": self.draft_url(draft)}
        return self._post(
            "list_versions",
            body,
            lambda f: [VersionInfo.read(v) for v in f.objects("versions")],
            IDEMPOTENT,
        )

    def restore_version(self, draft: str, version: int) -> Call[RestoreResult]:
        body = {"draft_url": self.draft_url(draft), "version": version}
        return self._post("restore_version", body, RestoreResult.read)

    def delete_draft(self, draft: str) -> Call[bool]:
        body = {"draft_url": self.draft_url(draft)}
        return self._post("delete_draft", body, lambda f: f.flag("deleted", True))

    def gen_video(self, draft: str, version: int | None) -> Call[RenderSubmitted]:
        url = self.draft_url(draft)
        body = {"draft_url": url, "version": version}
        return self._post("gen_video", body, lambda f: RenderSubmitted.read(f, url))

    def gen_video_status(self, draft: str) -> Call[RenderStatus]:
        url = self.draft_url(draft)
        return self._post(
            "gen_video_status", {"draft_url": url}, lambda f: RenderStatus.read(f, url), IDEMPOTENT
        )

    def cancel_render(self, draft: str, job_id: str | None) -> Call[RenderStatus]:
        url = self.draft_url(draft)
        body = {"draft_url": url, "job_id": job_id}
        return self._post("cancel_render", body, lambda f: RenderStatus.read(f, url))

    def compose(self, spec: Mapping[str, Any]) -> Call[Composed]:
        """A whole draft from one spec (docs/compose.md); a bare draft id as `draft_url` is
        made a URL."""
        body = dict(spec)
        if isinstance(body.get("draft_url"), str):
            body["draft_url"] = self.draft_url(body["draft_url"])
        return self._post("compose", body, Composed.read)

    def fill_template(
        self,
        template: str,
        texts: Sequence[Fill],
        media: Sequence[Fill],
        version: int | None,
        name: str | None,
    ) -> Call[FilledTemplate]:
        body = {
            "draft_url": self.draft_url(template),
            "version": version,
            "name": name,
            "texts": fills_json(texts),
            "media": fills_json(media),
        }
        return self._post("fill_template", body, FilledTemplate.read)

    def import_draft(
        self, source: str | Path | bytes, profile: str | None, name: str | None
    ) -> Call[ImportedDraft]:
        """An http(s) URL of a zip is fetched by the server; a folder, a zip file or zip
        bytes are uploaded."""
        if isinstance(source, str) and source.startswith(("http://", "https://")):
            body = {"zip_url": source, "profile": profile, "name": name}
            return self._post("import_draft", body, ImportedDraft.read)
        return Call(
            verb="import_draft",
            method="POST",
            path=f"{API_PREFIX}/import_draft",
            parse=lambda response: ImportedDraft.read(fields(response, "import_draft")),
            params=_dropping_none({"profile": profile, "name": name}),
            retries=IDEMPOTENT,
            idempotency_key=secrets.token_hex(16),
            content=archive_bytes(source),
            content_type="application/zip",
        )

    def relink_media(self, draft: str, material: str, url: str) -> Call[RelinkedMedia]:
        body = {"draft_url": self.draft_url(draft), "material": material, "url": url}
        return self._post("relink_media", body, RelinkedMedia.read)

    def ready(self) -> Call[bool]:
        return Call(verb="readyz", method="GET", path="/readyz", parse=lambda _: True, retries=ONCE)

    def fetch(self, url: str, dest: Path) -> Call[Path]:
        """Download any URL (a rendered video) into `dest`."""
        return Call(
            verb="download",
            method="GET",
            path=url,
            parse=lambda _: dest,
            retries=IDEMPOTENT,
            sink=dest,
            # The API key is for this server only, never for a storage host it links to.
            send_key=url.startswith(f"{self.base_url}/"),
        )


def _placed(placement: Placement | None) -> dict[str, Any]:
    return placement.to_json() if placement is not None else {}


def _scenes(videos: Sequence[Video]) -> list[dict[str, Any]] | None:
    """add_videos' scene_timelines: one span per video, from the first, as far as they go."""
    scenes = [v.scene for v in videos]
    given = [i for i, scene in enumerate(scenes) if scene is not None]
    if not given:
        return None
    last = given[-1]
    missing = [i for i in range(last) if scenes[i] is None]
    if missing:
        raise InvalidInput(
            f"videos[{missing[0]}] has no scene but videos[{last}] has one: the server takes "
            "scenes in order, so give one to every video before the last that has one"
        )
    return [scene.to_json() for scene in scenes[: last + 1] if scene is not None]
