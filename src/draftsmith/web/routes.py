"""The capcut-mate compatible verbs and draftsmith's extensions. Each route parses, calls one
service method and serialises; nothing else happens here."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel

from draftsmith.api import responses, schemas, verbs
from draftsmith.api.responses import OK
from draftsmith.api.urls import draft_url, file_urls, parse_draft_url, zip_url
from draftsmith.api.views import (
    draft_info,
    header_summary,
    segment_warnings,
    version_summary,
    warning_views,
)
from draftsmith.security.caller import Caller
from draftsmith.security.signing import file_resource, zip_resource
from draftsmith.service import Drafts, EditResult, KeyframeResult, MaskResult
from draftsmith.store.records import DraftHeader, SaveOutcome
from draftsmith.timeline.adjustments import Adjustments
from draftsmith.timeline.ids import check_draft_id
from draftsmith.web.auth import (
    CallerDep,
    LinkSignerDep,
    PresentedKey,
    SignedLinkDep,
    link_caller,
)
from draftsmith.web.deps import (
    BaseUrl,
    Client,
    DraftIdPath,
    DraftIdQuery,
    DraftsDep,
    NotesDep,
)
from draftsmith.web.files import stream_file, zip_response
from draftsmith.web.idempotency import KeyDep, idempotent
from draftsmith.web.threads import OneTripRoute, run_in_turn

router = APIRouter(
    prefix="/openapi/capcut-mate/v1", responses=responses.ERROR_RESPONSES, route_class=OneTripRoute
)


def _edit_response(base: str, result: EditResult, ids_name: str) -> dict[str, Any]:
    segments = result.segments
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
        "warnings": warning_views(result.warnings),
    }


def _stacked(
    verb: Callable[..., EditResult],
    model: type[BaseModel],
    ids_name: str,
    drafts: Drafts,
    base: str,
    caller: Caller,
    notes: Adjustments,
    body: schemas.DraftBody,
    key: str | None,
) -> Response | dict[str, Any]:
    """An add_* verb that stacks a new track (`verb`, of api/verbs.py), applied once per
    idempotency key, answered as `model` with the new items' ids under `ids_name`."""
    draft_id = parse_draft_url(body.draft_url)
    return idempotent(
        drafts,
        caller,
        key,
        verb.__name__,
        body,
        model,
        lambda once: verb(drafts, caller, draft_id, body, notes, once=once),
        lambda result: _edit_response(base, result, ids_name),
    )


@router.post("/create_draft", response_model=responses.CreateDraftResponse)
def create_draft(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    key: KeyDep,
    body: schemas.CreateDraftBody | None = None,
) -> Response | dict[str, Any]:
    given = body or schemas.CreateDraftBody()
    warnings = verbs.number_warnings(notes, given)

    def created(header: DraftHeader) -> dict[str, Any]:
        return {
            **OK,
            "draft_url": draft_url(base, header.id),
            "draft_id": header.id,
            "tip_url": f"{base}/docs",
            "warnings": warnings,
        }

    return idempotent(
        drafts,
        caller,
        key,
        "create_draft",
        given,
        responses.CreateDraftResponse,
        lambda once: drafts.create(
            caller, given.width, given.height, given.name, given.profile, once=once
        ),
        created,
    )


@router.post("/add_videos", response_model=responses.AddVideosResponse)
def add_videos(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.AddVideosBody,
    key: KeyDep,
) -> Response | dict[str, Any]:
    return _stacked(
        verbs.add_videos,
        responses.AddVideosResponse,
        "video_ids",
        drafts,
        base,
        caller,
        notes,
        body,
        key,
    )


@router.post("/add_images", response_model=responses.AddImagesResponse)
def add_images(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.AddImagesBody,
    key: KeyDep,
) -> Response | dict[str, Any]:
    return _stacked(
        verbs.add_images,
        responses.AddImagesResponse,
        "image_ids",
        drafts,
        base,
        caller,
        notes,
        body,
        key,
    )


@router.post("/add_audios", response_model=responses.AddAudiosResponse)
def add_audios(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.AddAudiosBody,
    key: KeyDep,
) -> Response | dict[str, Any]:
    return _stacked(
        verbs.add_audios,
        responses.AddAudiosResponse,
        "audio_ids",
        drafts,
        base,
        caller,
        notes,
        body,
        key,
    )


@router.post("/add_captions", response_model=responses.AddCaptionsResponse)
def add_captions(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.AddCaptionsBody,
    key: KeyDep,
) -> Response | dict[str, Any]:
    return _stacked(
        verbs.add_captions,
        responses.AddCaptionsResponse,
        "text_ids",
        drafts,
        base,
        caller,
        notes,
        body,
        key,
    )


@router.post("/add_effects", response_model=responses.AddEffectsResponse)
def add_effects(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.AddEffectsBody,
    key: KeyDep,
) -> Response | dict[str, Any]:
    return _stacked(
        verbs.add_effects,
        responses.AddEffectsResponse,
        "effect_ids",
        drafts,
        base,
        caller,
        notes,
        body,
        key,
    )


@router.post("/add_filters", response_model=responses.AddFiltersResponse)
def add_filters(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.AddFiltersBody,
    key: KeyDep,
) -> Response | dict[str, Any]:
    return _stacked(
        verbs.add_filters,
        responses.AddFiltersResponse,
        "filter_ids",
        drafts,
        base,
        caller,
        notes,
        body,
        key,
    )


@router.post("/add_masks", response_model=responses.AddMasksResponse)
def add_masks(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.AddMasksBody,
    key: KeyDep,
) -> Response | dict[str, Any]:
    draft_id = parse_draft_url(body.draft_url)

    def masked(result: MaskResult) -> dict[str, Any]:
        return {
            **OK,
            "draft_url": draft_url(base, draft_id),
            "masks_added": len(result.masks),
            "affected_segments": list(result.segment_ids),
            "mask_ids": [m.id for m in result.masks],
            "current_version": result.header.revision,
            "warnings": warning_views(result.warnings),
        }

    return idempotent(
        drafts,
        caller,
        key,
        "add_masks",
        body,
        responses.AddMasksResponse,
        lambda once: verbs.add_masks(drafts, caller, draft_id, body, notes, once=once),
        masked,
    )


@router.post("/add_sticker", response_model=responses.AddStickerResponse)
def add_sticker(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.AddStickerBody,
    key: KeyDep,
) -> Response | dict[str, Any]:
    """A new sticker track with one sticker of the editor's library, which the editor fetches
    by sticker_id when it opens the draft; gen_video draws the picture at image_url, if
    given (fetched now)."""
    draft_id = parse_draft_url(body.draft_url)

    def stuck(result: EditResult) -> dict[str, Any]:
        segment = result.track.segments[0]
        return {
            **OK,
            "draft_url": draft_url(base, result.header.id),
            "sticker_id": body.sticker_id,
            "track_id": result.track.id,
            "segment_id": segment.id,
            "duration": segment.target.duration,
            "current_version": result.header.revision,
            "warnings": warning_views(result.warnings),
        }

    return idempotent(
        drafts,
        caller,
        key,
        "add_sticker",
        body,
        responses.AddStickerResponse,
        lambda once: verbs.add_sticker(drafts, caller, draft_id, body, notes, once=once),
        stuck,
    )


@router.post("/add_keyframes", response_model=responses.AddKeyframesResponse)
def add_keyframes(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.AddKeyframesBody,
    key: KeyDep,
) -> Response | dict[str, Any]:
    draft_id = parse_draft_url(body.draft_url)

    def animated(result: KeyframeResult) -> dict[str, Any]:
        return {
            **OK,
            "draft_url": draft_url(base, draft_id),
            "keyframes_added": result.keyframes_added,
            "affected_segments": list(result.segment_ids),
            "current_version": result.header.revision,
            "warnings": warning_views(result.warnings),
        }

    return idempotent(
        drafts,
        caller,
        key,
        "add_keyframes",
        body,
        responses.AddKeyframesResponse,
        lambda once: verbs.add_keyframes(drafts, caller, draft_id, body, notes, once=once),
        animated,
    )


@router.post(
    "/save_draft",
    response_model=responses.SaveDraftResponse,
    responses=responses.CONFLICT_RESPONSE,
)
async def save_draft(
    drafts: DraftsDep,
    base: BaseUrl,
    client: Client,
    caller: CallerDep,
    notes: NotesDep,
    key: KeyDep,
    body: schemas.SaveDraftBody | None = None,
) -> Response | dict[str, Any]:
    given = body or schemas.SaveDraftBody()
    draft_id = parse_draft_url(given.draft_url)
    warnings = verbs.number_warnings(notes, given)

    def saved(outcome: SaveOutcome) -> dict[str, Any]:
        return {
            **OK,
            # The caller's own draft_url: its host may be a proxy's that this server cannot know.
            "draft_url": given.draft_url,
            "version": outcome.version.version,
            "current_version": outcome.version.revision,
            "created": outcome.created,
            "warnings": warnings,
        }

    if drafts.local_reads and not (key or given.idempotency_key):
        # A save's first step is one read. From a local file it costs less than the two
        # hand-offs to a worker thread and back, so it runs here: a save with nothing to save
        # (an auto-saving client's usual call) is answered without them.
        check = drafts.check_save(
            caller, draft_id, client=client, expected_revision=given.expected_version
        )
        if check.unchanged is not None:
            return saved(check.unchanged)
        return saved(await run_in_turn(drafts.finish_save, check, label=given.label))
    return await run_in_turn(
        idempotent,
        drafts,
        caller,
        key,
        "save_draft",
        given,
        responses.SaveDraftResponse,
        lambda once: drafts.save(
            caller,
            draft_id,
            client=client,
            expected_revision=given.expected_version,
            label=given.label,
            once=once,
        ),
        saved,
    )


VersionQuery = Annotated[
    int | None, Query(ge=1, le=schemas.MAX_VERSION, description="Saved version; default: latest.")
]
ProfileQuery = Annotated[
    str | None,
    Query(
        max_length=64,
        description=schemas.PROFILE_HELP + " to export for; default: own.",
        json_schema_extra=schemas.PROFILE_NAMES,
    ),
]


@router.get("/get_draft", response_model=responses.GetDraftResponse)
def get_draft(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    links: LinkSignerDep,
    draft_id: DraftIdQuery,
    version: VersionQuery = None,
    profile: ProfileQuery = None,
) -> dict[str, Any]:
    record = drafts.export(caller, check_draft_id(draft_id), version, profile)
    return {
        **OK,
        "draft_url": draft_url(base, record.draft_id),
        "version": record.version,
        "files": file_urls(base, record, links.query, profile),
        "download_url": zip_url(base, record, links.query, profile),
    }


_FILE_PATH = "/draft_files/v{version}/{draft_id}/{path:path}"


@router.get(
    _FILE_PATH,
    response_class=Response,
    responses={
        **responses.binary_response("*/*", "The file, as stored."),
        **responses.RANGE_RESPONSES,
        **responses.LINK_EXPIRED_RESPONSE,
    },
)
def draft_file(
    drafts: DraftsDep,
    request: Request,
    key: PresentedKey,
    link: SignedLinkDep,
    version: Annotated[int, PathParam(ge=1, le=schemas.MAX_VERSION)],
    draft_id: DraftIdPath,
    path: str,
    profile: ProfileQuery = None,
) -> Response:
    """One file of a saved version (exported for `profile`): needs the owner's API key or a
    signed link."""
    draft_id = check_draft_id(draft_id)
    caller = link_caller(request, file_resource(draft_id, version, path, profile), link, key)
    record = drafts.export(caller, draft_id, version, profile)
    return stream_file(request, drafts.file_range, record, path)


router.head(_FILE_PATH, response_class=Response, include_in_schema=False)(draft_file)


_ZIP_FILE = ("application/zip", "The draft folder as a zip.")
_ZIP = responses.binary_response(*_ZIP_FILE)


@router.get(
    "/download_draft",
    response_class=Response,
    responses={**_ZIP, **responses.RANGE_RESPONSES, **responses.LINK_EXPIRED_RESPONSE},
)
def download_draft_get(
    drafts: DraftsDep,
    request: Request,
    key: PresentedKey,
    link: SignedLinkDep,
    draft_id: DraftIdQuery,
    version: VersionQuery = None,
    profile: ProfileQuery = None,
) -> Response:
    """The zip of a saved version (exported for `profile`): needs the owner's API key, or a
    signed link naming the version (get_draft's `download_url`)."""
    draft_id = check_draft_id(draft_id)
    resource = zip_resource(draft_id, version, profile) if version is not None else ""
    caller = link_caller(request, resource, link, key)
    record = drafts.export(caller, draft_id, version, profile)
    return zip_response(request, drafts.file_chunks, record)


router.head("/download_draft", response_class=Response, include_in_schema=False)(download_draft_get)


@router.post(
    "/download_draft",
    response_class=Response,
    responses=responses.noted_binary_response(*_ZIP_FILE),
)
def download_draft(
    drafts: DraftsDep,
    request: Request,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.DownloadDraftBody | None = None,
) -> Response:
    """The zip of a saved version; the request's warnings, if any, in X-Draftsmith-Warnings."""
    body = body or schemas.DownloadDraftBody()
    warnings = verbs.number_warnings(notes, body)
    draft_id = parse_draft_url(body.draft_url)
    record = drafts.export(caller, draft_id, body.version, body.profile)
    answer = zip_response(request, drafts.file_chunks, record)
    if warnings:
        answer.headers[responses.WARNINGS_HEADER] = json.dumps(warnings)
    return answer


@router.post(
    "/get_draft_info",
    response_model=responses.DraftInfoResponse,
    response_model_exclude_unset=True,
)
def get_draft_info(
    drafts: DraftsDep, base: BaseUrl, caller: CallerDep, body: schemas.DraftBody | None = None
) -> dict[str, Any]:
    draft_id = parse_draft_url((body or schemas.DraftBody()).draft_url)
    header, draft = drafts.load(caller, draft_id)
    return {**OK, **draft_info(base, header, draft)}


@router.post("/list_drafts", response_model=responses.ListDraftsResponse)
def list_drafts(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.ListDraftsBody | None = None,
) -> dict[str, Any]:
    """The caller's drafts (every draft while API keys are off)."""
    body = body or schemas.ListDraftsBody()
    warnings = verbs.number_warnings(notes, body)
    headers: list[DraftHeader] = drafts.list_drafts(
        caller, limit=body.limit, offset=body.offset, query=body.query
    )
    return {**OK, "drafts": [header_summary(base, h) for h in headers], "warnings": warnings}


@router.post("/delete_draft", response_model=responses.DeleteDraftResponse)
def delete_draft(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    key: KeyDep,
    body: schemas.DraftBody | None = None,
) -> Response | dict[str, Any]:
    given = body or schemas.DraftBody()
    draft_id = parse_draft_url(given.draft_url)
    return idempotent(
        drafts,
        caller,
        key,
        "delete_draft",
        given,
        responses.DeleteDraftResponse,
        lambda once: drafts.delete(caller, draft_id, once),
        lambda _: {**OK, "draft_url": draft_url(base, draft_id), "deleted": True},
    )


@router.post("/list_versions", response_model=responses.ListVersionsResponse)
def list_versions(
    drafts: DraftsDep, base: BaseUrl, caller: CallerDep, body: schemas.DraftBody | None = None
) -> dict[str, Any]:
    draft_id = parse_draft_url((body or schemas.DraftBody()).draft_url)
    return {
        **OK,
        "draft_url": draft_url(base, draft_id),
        "versions": [version_summary(v) for v in drafts.versions(caller, draft_id)],
    }


@router.post(
    "/restore_version",
    response_model=responses.RestoreVersionResponse,
    responses=responses.CONFLICT_RESPONSE,
)
def restore_version(
    drafts: DraftsDep,
    base: BaseUrl,
    client: Client,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.RestoreVersionBody,
    key: KeyDep,
) -> Response | dict[str, Any]:
    draft_id = parse_draft_url(body.draft_url)
    warnings = verbs.number_warnings(notes, body)
    return idempotent(
        drafts,
        caller,
        key,
        "restore_version",
        body,
        responses.RestoreVersionResponse,
        lambda once: drafts.restore(caller, draft_id, body.version, client=client, once=once),
        lambda outcome: {
            **OK,
            "draft_url": draft_url(base, draft_id),
            "version": outcome.version.version,
            "restored_from": body.version,
            "warnings": warnings,
        },
    )


@router.post("/validate_draft", response_model=responses.ValidateDraftResponse)
def validate_draft(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    body: schemas.ValidateDraftBody | None = None,
) -> dict[str, Any]:
    """Check a saved version for the editors of `profile`: {valid, problems: [...]}; its
    `warnings` are the numbers the request was read with, then the version's segments'."""
    body = body or schemas.ValidateDraftBody()
    warnings = verbs.number_warnings(notes, body)
    draft_id = parse_draft_url(body.draft_url)
    record, report = drafts.validate_version(caller, draft_id, body.version, body.profile)
    _, snapshot = drafts.snapshot(caller, draft_id, record.version)
    return {
        **OK,
        "draft_url": draft_url(base, record.draft_id),
        "version": record.version,
        **report.to_json(),
        "warnings": [*warnings, *segment_warnings(snapshot)],
    }
