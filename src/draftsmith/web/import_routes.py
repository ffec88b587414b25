"""import_draft (a draft folder's zip, uploaded or by URL) and relink_media."""

from __future__ import annotations

import hashlib
import json
import tempfile
from typing import IO, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from draftsmith.api import responses
from draftsmith.api.import_schemas import (
    ImportDraftBody,
    ImportDraftResponse,
    RelinkMediaBody,
    RelinkMediaResponse,
)
from draftsmith.api.responses import OK
from draftsmith.api.urls import API_PREFIX, draft_url, parse_draft_url
from draftsmith.api.views import warning_views
from draftsmith.errors import ArchiveTooLarge, InvalidInput, PayloadTooLarge
from draftsmith.service.importing import ImportResult, RelinkResult
from draftsmith.store.idempotency import body_hash
from draftsmith.web.auth import CallerDep
from draftsmith.web.browser_guard import ARCHIVE_TYPES
from draftsmith.web.deps import BaseUrl, DraftsDep
from draftsmith.web.idempotency import KeyDep, idempotent, idempotent_request
from draftsmith.web.threads import OneTripRoute, run_in_turn

IMPORT_DRAFT_PATH = f"{API_PREFIX}/import_draft"
_SPOOL_IN_MEMORY = 8 * 1024 * 1024
_ZIP_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/zip": {"schema": {"type": "string", "format": "binary"}},
            "application/json": {"schema": ImportDraftBody.model_json_schema()},
        },
        "description": "The zip of a draft folder as the body (application/zip), or JSON "
        "naming its zip_url.",
    }
}

router = APIRouter(prefix=API_PREFIX, responses=responses.ERROR_RESPONSES)
relink_router = APIRouter(
    prefix=API_PREFIX, responses=responses.ERROR_RESPONSES, route_class=OneTripRoute
)


async def _spooled(request: Request, limit: int) -> IO[bytes]:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ArchiveTooLarge(f"the upload is {declared} bytes; imports take at most {limit}")
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ArchiveTooLarge(f"the upload is larger than the {limit} byte limit")
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


async def _json_body(request: Request, limit: int) -> ImportDraftBody:
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise PayloadTooLarge(f"Request body is larger than the {limit} byte limit")
    try:
        return ImportDraftBody.model_validate(json.loads(bytes(data) or b"{}"))
    except ValueError as exc:
        if isinstance(exc, ValidationError):
            problem = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()
            )
            raise InvalidInput(
                f"{problem} (send the zip itself as application/zip, or JSON with zip_url)"
            ) from None
        raise InvalidInput(f"the body is not valid JSON: {exc}") from None


def _answer(base: str, result: ImportResult) -> dict[str, Any]:
    header = result.header
    notes = [
        {"field": "", "code": "import_note", "message": message} for message in result.warnings
    ]
    return {
        **OK,
        "draft_url": draft_url(base, header.id),
        "draft_id": header.id,
        "profile": header.profile,
        "source": result.source,
        "track_count": result.track_count,
        "segment_count": header.segment_count,
        "missing_media": list(result.missing),
        "warnings": notes,
    }


@router.post("/import_draft", response_model=ImportDraftResponse, openapi_extra=_ZIP_BODY)
async def import_draft(
    request: Request,
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    key: KeyDep,
    profile: Annotated[str | None, Query(max_length=64)] = None,
    name: Annotated[str | None, Query(max_length=255)] = None,
) -> Response | dict[str, Any]:
    """A new draft from a draft folder: its zip as the body (application/zip, at most the
    media size limit), or JSON naming `zip_url`. Nothing it holds is lost (docs/import.md).
    Applied once per idempotency key, as every state-changing verb."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type in ARCHIVE_TYPES:
        spool = await _spooled(request, drafts.upload_limit)
        try:
            digest = _upload_digest(spool, profile, name) if key else ""
            return await run_in_turn(
                idempotent_request,
                drafts,
                caller,
                key,
                digest,
                ImportDraftResponse,
                lambda once: drafts.import_draft(
                    caller, spool, profile=profile, name=name, once=once
                ),
                lambda result: _answer(base, result),
            )
        finally:
            spool.close()
    body = await _json_body(request, request.app.state.max_body_bytes)
    given = body.model_copy(update={"profile": body.profile or profile, "name": body.name or name})
    return await run_in_turn(
        idempotent,
        drafts,
        caller,
        key,
        "import_draft",
        given,
        ImportDraftResponse,
        lambda once: drafts.import_draft_url(
            caller, given.zip_url, profile=given.profile, name=given.name, once=once
        ),
        lambda result: _answer(base, result),
    )


def _upload_digest(spool: IO[bytes], profile: str | None, name: str | None) -> str:
    """What stands for an uploaded import with its options, for its idempotency key."""
    digest = hashlib.sha256()
    for block in iter(lambda: spool.read(1024 * 1024), b""):
        digest.update(block)
    spool.seek(0)
    return body_hash("import_draft", {"zip": digest.hexdigest(), "profile": profile, "name": name})


@relink_router.post("/relink_media", response_model=RelinkMediaResponse)
def relink_media(
    drafts: DraftsDep, base: BaseUrl, caller: CallerDep, key: KeyDep, body: RelinkMediaBody
) -> Response | dict[str, Any]:
    """Attach the file at `url` to an imported draft's material (by id or file name) whose
    file did not come with it; its segments keep their place and timing."""
    draft_id = parse_draft_url(body.draft_url)
    return idempotent(
        drafts,
        caller,
        key,
        "relink_media",
        body,
        RelinkMediaResponse,
        lambda once: drafts.relink_media(caller, draft_id, body.material, body.url, once),
        lambda result: _relinked(base, draft_id, result),
    )


def _relinked(base: str, draft_id: str, result: RelinkResult) -> dict[str, Any]:
    media = result.media
    return {
        **OK,
        "draft_url": draft_url(base, draft_id),
        "segment_ids": list(result.segment_ids),
        "media": {
            "kind": media.kind.value,
            "duration": media.duration_us,
            "width": media.width,
            "height": media.height,
        },
        "current_version": result.header.revision,
        "warnings": warning_views(result.warnings),
    }
