"""Previews over HTTP, a draftsmith extension the web UI uses: make a small, fast render of a
draft as it is now (service/previews.py) and play it.

The video is served by content hash under the draft, to a signed link while API keys are on
(a `<video>` element cannot send a key), to anyone while they are off, as rendered videos are.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from draftsmith.api import responses
from draftsmith.api.views import iso_time
from draftsmith.config import Settings
from draftsmith.errors import NotFound
from draftsmith.security.caller import UNRESTRICTED
from draftsmith.service import Drafts
from draftsmith.service.previews import Preview, PreviewGate, PreviewSettings
from draftsmith.timeline.ids import check_draft_id
from draftsmith.web import ui_models
from draftsmith.web.auth import CallerDep, LinkSignerDep, SignedLinkDep
from draftsmith.web.deps import DraftIdPath, DraftsDep
from draftsmith.web.ranges import Representation, ranged_response
from draftsmith.web.threads import OneTripRoute

router = APIRouter(responses=responses.ERROR_RESPONSES, route_class=OneTripRoute)
_VIDEO_PATH = "/ui/api/drafts/{draft_id}/previews/{sha256}.mp4"
_SHA256 = Annotated[str, PathParam(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")]


def preview_resource(draft_id: str, sha256: str) -> str:
    """What a signed link to a preview video names."""
    return f"ui-previews/{draft_id}/{sha256}"


def _preview_view(preview: Preview, link_query: str) -> dict[str, Any]:
    path = f"ui/api/drafts/{preview.draft_id}/previews/{preview.video_sha256}.mp4"
    return {
        "draft_id": preview.draft_id,
        "preview": True,
        "revision": preview.revision,
        "last_saved_version": preview.saved_version,
        "unsaved_changes": preview.unsaved_changes,
        "width": preview.canvas.width,
        "height": preview.canvas.height,
        "fps": preview.canvas.fps,
        "duration": preview.duration_us,
        "video_url": f"{path}?{link_query}" if link_query else path,
        "video_size": preview.video_size,
        "made_at": iso_time(preview.made_at_us),
        "report": preview.report.as_json(),
    }


# Not in the API document: fuzzing it would render hundreds of videos for nothing.
@router.post(
    "/ui/api/drafts/{draft_id}/preview",
    response_model=ui_models.PreviewResponse,
    include_in_schema=False,
)
def make_preview(
    drafts: DraftsDep,
    request: Request,
    caller: CallerDep,
    links: LinkSignerDep,
    draft_id: DraftIdPath,
) -> dict[str, Any]:
    """A low-resolution render of the draft as it is now, saved or not (a draftsmith extension,
    not a render job): answered once the video is made. 429 `preview_in_progress` while a
    preview of the draft is being made, 503 when the server makes as many as it may."""
    draft_id = check_draft_id(draft_id)
    settings: PreviewSettings = request.app.state.preview_settings
    gate: PreviewGate = request.app.state.preview_gate
    preview = drafts.preview(caller, draft_id, settings, gate)
    query = links.query(preview_resource(draft_id, preview.video_sha256))
    return _preview_view(preview, query)


def _preview_video(
    drafts: Drafts, request: Request, draft_id: str, sha256: str, link: SignedLinkDep
) -> Response:
    if request.app.state.keys.enabled():
        signer = request.app.state.signer
        if not signer.verify(preview_resource(draft_id, sha256), link.expires, link.sig):
            raise NotFound("No such preview: it expired; make a new one")
    size = drafts.preview_video_size(UNRESTRICTED, draft_id, sha256)
    video = Representation(
        size=size,
        digest=sha256,
        media_type="video/mp4",
        read=functools.partial(drafts.preview_video_range, sha256),
        headers={
            "Cache-Control": "private, max-age=3600",
            "Content-Disposition": f'inline; filename="{draft_id}-preview.mp4"',
        },
    )
    return ranged_response(request, video)


@router.get(_VIDEO_PATH, response_class=Response, include_in_schema=False)
def preview_video(
    drafts: DraftsDep,
    request: Request,
    link: SignedLinkDep,
    draft_id: DraftIdPath,
    sha256: _SHA256,
) -> Response:
    """A preview's MP4 (its `video_url`); players seek with Range requests."""
    return _preview_video(drafts, request, check_draft_id(draft_id), sha256, link)


router.head(_VIDEO_PATH, response_class=Response, include_in_schema=False)(preview_video)


def install_previews(app: FastAPI, settings: Settings) -> None:
    """Add the preview routes, bounded by the render settings."""
    app.state.preview_settings = PreviewSettings(
        time_factor=settings.render_time_factor,
        min_time_seconds=settings.render_min_time_seconds,
        sticker_images=settings.render_sticker_images,
    )
    app.state.preview_gate = PreviewGate(app.state.preview_settings.at_once)
    app.include_router(router)
