"""The capcut-mate compatible verbs and draftsmith's extensions. Each route parses, calls one
service method and serialises; nothing else happens here."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from draftsmith.service import CaptionRequest, Drafts, EditResult, MediaRequest
from draftsmith.store.records import DraftHeader, VersionRecord
from draftsmith.timeline.ids import check_draft_id, draft_url, parse_draft_url
from draftsmith.timeline.model import Clip, MediaKind, Shadow, TextStyle
from draftsmith.web import schemas
from draftsmith.web.files import file_urls, stream_file, zip_response
from draftsmith.web.views import draft_info, header_summary, version_summary

router = APIRouter(prefix="/openapi/capcut-mate/v1")
OK: dict[str, Any] = {"code": 0, "message": "success"}


def _drafts(request: Request) -> Drafts:
    drafts: Drafts = request.app.state.drafts
    return drafts


def _base_url(request: Request) -> str:
    base: str = request.app.state.base_url
    return base


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


DraftsDep = Annotated[Drafts, Depends(_drafts)]
BaseUrl = Annotated[str, Depends(_base_url)]
Client = Annotated[str, Depends(_client)]


def _clip(body: schemas.PlacementBody) -> Clip:
    return Clip(body.alpha, body.scale_x, body.scale_y, body.transform_x, body.transform_y)


def _edit_response(base: str, result: EditResult, ids_name: str) -> dict[str, Any]:
    segments = result.track.segments
    return {
        **OK,
        "draft_url": draft_url(base, result.header.id),
        "track_id": result.track.id,
        ids_name: [s.material_id for s in segments],
        "segment_ids": [s.id for s in segments],
        "segment_infos": [
            {"id": s.id, "start": s.target.start, "end": s.target.end} for s in segments
        ],
        "current_version": result.header.revision,
    }


@router.post("/create_draft")
def create_draft(
    drafts: DraftsDep, base: BaseUrl, body: schemas.CreateDraftBody | None = None
) -> dict[str, Any]:
    body = body or schemas.CreateDraftBody()
    header = drafts.create(body.width, body.height, body.name)
    return {
        **OK,
        "draft_url": draft_url(base, header.id),
        "draft_id": header.id,
        "tip_url": f"{base}/docs",
    }


@router.post("/add_videos")
def add_videos(drafts: DraftsDep, base: BaseUrl, body: schemas.AddVideosBody) -> dict[str, Any]:
    draft_id = parse_draft_url(body.draft_url)
    items = [
        MediaRequest(f"video_infos[{i}]", v.video_url, v.start, v.end, v.volume)
        for i, v in enumerate(body.video_infos)
    ]
    result = drafts.add_media(draft_id, "video_infos", MediaKind.VIDEO, items, _clip(body))
    return _edit_response(base, result, "video_ids")


@router.post("/add_images")
def add_images(drafts: DraftsDep, base: BaseUrl, body: schemas.AddImagesBody) -> dict[str, Any]:
    draft_id = parse_draft_url(body.draft_url)
    items = [
        MediaRequest(f"image_infos[{i}]", v.image_url, v.start, v.end)
        for i, v in enumerate(body.image_infos)
    ]
    result = drafts.add_media(draft_id, "image_infos", MediaKind.IMAGE, items, _clip(body))
    return _edit_response(base, result, "image_ids")


@router.post("/add_audios")
def add_audios(drafts: DraftsDep, base: BaseUrl, body: schemas.AddAudiosBody) -> dict[str, Any]:
    draft_id = parse_draft_url(body.draft_url)
    items = [
        MediaRequest(f"audio_infos[{i}]", a.audio_url, a.start, a.end, a.volume)
        for i, a in enumerate(body.audio_infos)
    ]
    result = drafts.add_media(draft_id, "audio_infos", MediaKind.AUDIO, items, None)
    return _edit_response(base, result, "audio_ids")


@router.post("/add_captions")
def add_captions(drafts: DraftsDep, base: BaseUrl, body: schemas.AddCaptionsBody) -> dict[str, Any]:
    draft_id = parse_draft_url(body.draft_url)
    shadow = None
    if body.has_shadow:
        info = body.shadow_info or schemas.ShadowInfo()
        shadow = Shadow(
            info.shadow_color,
            info.shadow_alpha,
            info.shadow_diffuse,
            info.shadow_distance,
            info.shadow_angle,
        )
    captions = [
        CaptionRequest(
            c.text,
            c.start,
            c.end,
            TextStyle(
                font_size=float(c.font_size or body.font_size),
                color=body.text_color,
                bold=body.bold,
                italic=body.italic,
                underline=body.underline,
                alignment=body.alignment,
                border_color=body.border_color,
                shadow=shadow,
                letter_spacing=body.letter_spacing or 0.0,
                line_spacing=body.line_spacing or 0.0,
            ),
        )
        for c in body.captions
    ]
    result = drafts.add_captions(draft_id, "captions", captions, _clip(body))
    return _edit_response(base, result, "text_ids")


@router.post("/save_draft")
def save_draft(
    drafts: DraftsDep,
    base: BaseUrl,
    client: Client,
    body: schemas.SaveDraftBody | None = None,
) -> dict[str, Any]:
    body = body or schemas.SaveDraftBody()
    draft_id = parse_draft_url(body.draft_url)
    outcome = drafts.save(
        draft_id, client=client, expected_revision=body.expected_version, label=body.label
    )
    return {
        **OK,
        # The caller's own draft_url: its host may be a proxy's that this server cannot know.
        "draft_url": body.draft_url,
        "version": outcome.version.version,
        "current_version": outcome.version.revision,
        "created": outcome.created,
    }


def _versioned(drafts: Drafts, draft_id: str, version: int | None) -> VersionRecord:
    return drafts.version(check_draft_id(draft_id), version)


@router.get("/get_draft")
def get_draft(
    drafts: DraftsDep,
    base: BaseUrl,
    draft_id: Annotated[str, Query(max_length=64)],
    version: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, Any]:
    record = _versioned(drafts, draft_id, version)
    return {
        **OK,
        "draft_url": draft_url(base, record.draft_id),
        "version": record.version,
        "files": file_urls(base, record),
    }


@router.get("/draft_files/v{version}/{draft_id}/{path:path}")
def draft_file(drafts: DraftsDep, version: int, draft_id: str, path: str) -> Response:
    record = _versioned(drafts, draft_id, version)
    return stream_file(drafts.blobs, record, path)


@router.get("/download_draft")
def download_draft_get(
    drafts: DraftsDep,
    draft_id: Annotated[str, Query(max_length=64)],
    version: Annotated[int | None, Query(ge=1)] = None,
) -> StreamingResponse:
    return zip_response(drafts.blobs, _versioned(drafts, draft_id, version))


@router.post("/download_draft")
def download_draft(
    drafts: DraftsDep, body: schemas.VersionedDraftBody | None = None
) -> StreamingResponse:
    body = body or schemas.VersionedDraftBody()
    record = drafts.version(parse_draft_url(body.draft_url), body.version)
    return zip_response(drafts.blobs, record)


@router.post("/get_draft_info")
def get_draft_info(
    drafts: DraftsDep, base: BaseUrl, body: schemas.DraftBody | None = None
) -> dict[str, Any]:
    draft_id = parse_draft_url((body or schemas.DraftBody()).draft_url)
    header, draft = drafts.load(draft_id)
    return {**OK, **draft_info(base, header, draft)}


@router.post("/list_drafts")
def list_drafts(
    drafts: DraftsDep, base: BaseUrl, body: schemas.ListDraftsBody | None = None
) -> dict[str, Any]:
    body = body or schemas.ListDraftsBody()
    headers: list[DraftHeader] = drafts.list_drafts(
        limit=body.limit, offset=body.offset, query=body.query
    )
    return {**OK, "drafts": [header_summary(base, h) for h in headers]}


@router.post("/delete_draft")
def delete_draft(
    drafts: DraftsDep, base: BaseUrl, body: schemas.DraftBody | None = None
) -> dict[str, Any]:
    draft_id = parse_draft_url((body or schemas.DraftBody()).draft_url)
    drafts.delete(draft_id)
    return {**OK, "draft_url": draft_url(base, draft_id), "deleted": True}


@router.post("/list_versions")
def list_versions(
    drafts: DraftsDep, base: BaseUrl, body: schemas.DraftBody | None = None
) -> dict[str, Any]:
    draft_id = parse_draft_url((body or schemas.DraftBody()).draft_url)
    return {
        **OK,
        "draft_url": draft_url(base, draft_id),
        "versions": [version_summary(v) for v in drafts.versions(draft_id)],
    }


@router.post("/restore_version")
def restore_version(
    drafts: DraftsDep, base: BaseUrl, client: Client, body: schemas.RestoreVersionBody
) -> dict[str, Any]:
    draft_id = parse_draft_url(body.draft_url)
    outcome = drafts.restore(draft_id, body.version, client=client)
    return {
        **OK,
        "draft_url": draft_url(base, draft_id),
        "version": outcome.version.version,
        "restored_from": body.version,
    }
