"""The web UI: its page and static assets, and the few read-only JSON views it needs that the
API verbs do not give (a timeline with thumbnails, version diffs, a live save-status stream).

Everything the UI changes, it changes through the API verbs, like any other client.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from draftsmith.api import responses
from draftsmith.api.schemas import MAX_PAGE_SIZE, MAX_VERSION, NO_NUL
from draftsmith.api.urls import draft_url
from draftsmith.api.views import header_summary, job_view
from draftsmith.errors import DraftNotFound, RenderJobNotFound, Unavailable
from draftsmith.security.caller import Caller
from draftsmith.service import Drafts
from draftsmith.timeline.ids import check_draft_id
from draftsmith.web import ui_models
from draftsmith.web.auth import CallerDep, LinkSignerDep
from draftsmith.web.deps import BaseUrl, DraftIdPath, DraftsDep
from draftsmith.web.ranges import Representation, ranged_response
from draftsmith.web.threads import OneTripRoute
from draftsmith.web.ui_views import diff_view, listed_draft, timeline_view

UI_DIR = Path(__file__).with_name("ui")
STREAM_SECONDS = 15.0
"""How long one status stream lives. Browsers reconnect at once; the bound keeps a forgotten
tab from holding a connection (and a graceful shutdown) open for longer than this."""
STREAM_POLL_SECONDS = 0.25
STREAM_KEEPALIVE_SECONDS = 5.0
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

# The JSON views are in the API document, with the errors every route may answer; the page,
# its event stream and thumbnails are not.
router = APIRouter(responses=responses.ERROR_RESPONSES, route_class=OneTripRoute)
DraftId = DraftIdPath


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(UI_DIR / "index.html", media_type="text/html", headers=_PAGE_HEADERS)


@router.get("/ui/api/drafts", response_model=ui_models.DraftList)
def drafts_list(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_VERSION)] = 0,
    query: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
) -> dict[str, Any]:
    """list_drafts with each draft's render state, read for the whole page at once."""
    rows = drafts.list_drafts_with_renders(caller, limit=limit, offset=offset, query=query)
    return {"drafts": [listed_draft(base, header, job) for header, job in rows]}


@router.get(
    "/ui/api/drafts/{draft_id}/timeline",
    response_model=ui_models.Timeline,
    response_model_exclude_unset=True,
)
def timeline(
    drafts: DraftsDep, base: BaseUrl, caller: CallerDep, draft_id: DraftId
) -> dict[str, Any]:
    header, draft = drafts.load(caller, check_draft_id(draft_id))
    return timeline_view(base, header, draft)


@router.get("/ui/api/drafts/{draft_id}/render", response_model=ui_models.LatestRender)
def latest_render(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    links: LinkSignerDep,
    draft_id: DraftId,
) -> dict[str, Any]:
    """gen_video_status of the latest render, or `null` for a draft never rendered: the page
    polls it, and a draft without a render is no error."""
    draft_id = check_draft_id(draft_id)
    try:
        job = drafts.render_status(caller, draft_id)
    except RenderJobNotFound:
        return {"job": None}
    return {"job": job_view(base, draft_url(base, draft_id), job, links.query)}


@router.get(
    "/ui/api/drafts/{draft_id}/versions/{version}/diff", response_model=ui_models.VersionDiff
)
def version_diff(
    drafts: DraftsDep,
    caller: CallerDep,
    draft_id: DraftId,
    version: Annotated[int, PathParam(ge=1, le=MAX_VERSION)],
) -> dict[str, Any]:
    """What changed from the previous kept version to `version`."""
    changes = drafts.version_diff(caller, check_draft_id(draft_id), version)
    return diff_view(changes.version, changes.previous, changes.diff)


@router.get("/ui/api/drafts/{draft_id}/events", include_in_schema=False)
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


def _immutable(request: Request, data: bytes, sha256: str, media_type: str) -> Response:
    """A small blob named by its content hash: cached for good, ranges answered."""
    blob = Representation(
        size=len(data),
        digest=sha256,
        media_type=media_type,
        read=lambda start, end: iter((data[start:end],)),
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )
    return ranged_response(request, blob)


_THUMBNAIL_PATH = "/ui/thumbnails/{sha256}"


@router.get(_THUMBNAIL_PATH, include_in_schema=False)
def thumbnail(
    drafts: DraftsDep, request: Request, sha256: Annotated[str, PathParam(max_length=64)]
) -> Response:
    """A thumbnail made at ingest, by its content hash. Only small JPEG blobs are served."""
    return _immutable(request, drafts.thumbnail(sha256), sha256, "image/jpeg")


router.head(_THUMBNAIL_PATH, include_in_schema=False)(thumbnail)

_WAVEFORM_PATH = "/ui/waveforms/{sha256}"


@router.get(_WAVEFORM_PATH, include_in_schema=False)
def waveform(
    drafts: DraftsDep, request: Request, sha256: Annotated[str, PathParam(max_length=64)]
) -> Response:
    """A waveform computed at ingest (peak levels, JSON), by its content hash."""
    return _immutable(request, drafts.waveform(sha256), sha256, "application/json")


router.head(_WAVEFORM_PATH, include_in_schema=False)(waveform)


def install_ui(app: FastAPI) -> None:
    """Serve the UI at `/` and its assets under `/ui/static/`."""
    app.include_router(router)
    app.mount("/ui/static", StaticFiles(directory=UI_DIR), name="ui-static")
