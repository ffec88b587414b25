"""The web UI: its page and static assets, and the few read-only JSON views it needs that the
API verbs do not give (a timeline with thumbnails, version diffs, a live save-status stream).

Everything the UI changes, it changes through the API verbs, like any other client.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, FastAPI, Query
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from draftsmith.api.schemas import MAX_VERSION, NO_NUL
from draftsmith.api.views import header_summary
from draftsmith.errors import DraftNotFound, NotFound, Unavailable
from draftsmith.media.thumbnail import JPEG_MAGIC
from draftsmith.security.caller import Caller
from draftsmith.service import Drafts
from draftsmith.timeline.diff import diff_drafts
from draftsmith.timeline.ids import check_draft_id
from draftsmith.web.auth import CallerDep
from draftsmith.web.deps import BaseUrl, DraftsDep
from draftsmith.web.threads import OneTripRoute
from draftsmith.web.ui_views import diff_view, listed_draft, timeline_view

UI_DIR = Path(__file__).with_name("ui")
STREAM_SECONDS = 15.0
"""How long one status stream lives. Browsers reconnect at once; the bound keeps a forgotten
tab from holding a connection (and a graceful shutdown) open for longer than this."""
STREAM_POLL_SECONDS = 0.25
STREAM_KEEPALIVE_SECONDS = 5.0
MAX_THUMBNAIL_BYTES = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
# The page loads nothing from elsewhere; rendered videos may live at the public base URL.
_PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "media-src * blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

router = APIRouter(include_in_schema=False, route_class=OneTripRoute)
DraftId = Annotated[str, PathParam(max_length=64)]


@router.get("/")
def index() -> FileResponse:
    return FileResponse(UI_DIR / "index.html", media_type="text/html", headers=_PAGE_HEADERS)


@router.get("/ui/api/drafts")
def drafts_list(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_VERSION)] = 0,
    query: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
) -> dict[str, Any]:
    """list_drafts with each draft's render state, read for the whole page at once."""
    rows = drafts.list_drafts_with_renders(caller, limit=limit, offset=offset, query=query)
    return {"drafts": [listed_draft(base, header, job) for header, job in rows]}


@router.get("/ui/api/drafts/{draft_id}/timeline")
def timeline(
    drafts: DraftsDep, base: BaseUrl, caller: CallerDep, draft_id: DraftId
) -> dict[str, Any]:
    header, draft = drafts.load(caller, check_draft_id(draft_id))
    return timeline_view(base, header, draft)


@router.get("/ui/api/drafts/{draft_id}/versions/{version}/diff")
def version_diff(
    drafts: DraftsDep, caller: CallerDep, draft_id: DraftId, version: int
) -> dict[str, Any]:
    """What changed from the previous kept version to `version`."""
    draft_id = check_draft_id(draft_id)
    drafts.version(caller, draft_id, version)
    kept = [v.version for v in drafts.versions(caller, draft_id) if v.version < version]
    previous = max(kept, default=None)
    before = None if previous is None else drafts.store.version_snapshot(draft_id, previous)
    after = drafts.store.version_snapshot(draft_id, version)
    return diff_view(version, previous, diff_drafts(before, after))


@router.get("/ui/api/drafts/{draft_id}/events")
def status_events(
    drafts: DraftsDep, base: BaseUrl, caller: CallerDep, draft_id: DraftId
) -> StreamingResponse:
    """Server-sent events: `header` (the save status) now and whenever it changes; `gone` when
    the draft is deleted. The stream ends after STREAM_SECONDS; clients reconnect."""
    draft_id = check_draft_id(draft_id)
    drafts.header(caller, draft_id)
    return StreamingResponse(
        _header_events(drafts, caller, base, draft_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


async def _header_events(
    drafts: Drafts, caller: Caller, base: str, draft_id: str
) -> AsyncIterator[str]:
    # The stream is cancelled by the response when the client disconnects.
    yield "retry: 1000\n\n"
    started = last_sent = time.monotonic()
    seen: tuple[int, int, int] | None = None
    while time.monotonic() - started < STREAM_SECONDS:
        try:
            header = await run_in_threadpool(drafts.header, caller, draft_id)
        except DraftNotFound:
            yield _event("gone", {"draft_id": draft_id})
            return
        except Unavailable:
            # The store is briefly unreachable; the status shown is still the last one sent.
            header = None
        if header is not None:
            state = (header.revision, header.saved_version, header.saved_revision)
            if state != seen:
                seen = state
                last_sent = time.monotonic()
                yield _event("header", header_summary(base, header))
        if time.monotonic() - last_sent > STREAM_KEEPALIVE_SECONDS:
            last_sent = time.monotonic()
            yield ": keep-alive\n\n"
        await anyio.sleep(STREAM_POLL_SECONDS)


@router.get("/ui/thumbnails/{sha256}")
def thumbnail(drafts: DraftsDep, sha256: Annotated[str, PathParam(max_length=64)]) -> Response:
    """A thumbnail made at ingest, by its content hash. Only small JPEG blobs are served."""
    missing = NotFound("No such thumbnail")
    if not _SHA256.fullmatch(sha256) or not drafts.blobs.has(sha256):
        raise missing
    if drafts.blobs.size(sha256) > MAX_THUMBNAIL_BYTES:
        raise missing
    data = b"".join(drafts.blobs.open_chunks(sha256))
    if not data.startswith(JPEG_MAGIC):
        raise missing
    return Response(
        data,
        media_type="image/jpeg",
        headers={"Cache-Control": "public, max-age=31536000, immutable", "ETag": f'"{sha256}"'},
    )


def install_ui(app: FastAPI) -> None:
    """Serve the UI at `/` and its assets under `/ui/static/`."""
    app.include_router(router)
    app.mount("/ui/static", StaticFiles(directory=UI_DIR), name="ui-static")
