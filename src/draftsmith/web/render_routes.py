"""Rendering verbs: gen_video queues a render of a saved version, gen_video_status reports it,
and the rendered MP4 is served from the blob store under the draft's own access rules."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response, StreamingResponse

from draftsmith.api import responses, schemas
from draftsmith.api.urls import API_PREFIX, parse_draft_url
from draftsmith.api.views import job_view
from draftsmith.blobs.port import BlobStore
from draftsmith.errors import NotFound
from draftsmith.security.signing import video_resource
from draftsmith.store.records import RenderJob
from draftsmith.timeline.ids import check_draft_id
from draftsmith.web.auth import CallerDep, LinkSignerDep, PresentedKey, SignedLinkDep, link_caller
from draftsmith.web.deps import BaseUrl, DraftsDep
from draftsmith.web.threads import OneTripRoute

router = APIRouter(prefix=API_PREFIX, responses=responses.ERROR_RESPONSES, route_class=OneTripRoute)


@router.post("/gen_video", response_model=responses.RenderJobResponse)
def gen_video(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    links: LinkSignerDep,
    body: schemas.VersionedDraftBody | None = None,
) -> dict[str, Any]:
    """Queue a render of the latest (or the given) saved version to MP4 and answer at once;
    asking again for a version whose render is queued, running or done returns that job."""
    body = body or schemas.VersionedDraftBody()
    job = drafts.start_render(caller, parse_draft_url(body.draft_url), body.version)
    return job_view(base, body.draft_url, job, links.query)


@router.post("/gen_video_status", response_model=responses.RenderJobResponse)
def gen_video_status(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    links: LinkSignerDep,
    body: schemas.VersionedDraftBody | None = None,
) -> dict[str, Any]:
    """The draft's latest render job (or that of `version`): status, progress 0-100, and the
    video_url once completed; 404 when the draft has none."""
    body = body or schemas.VersionedDraftBody()
    job = drafts.render_status(caller, parse_draft_url(body.draft_url), body.version)
    return job_view(base, body.draft_url, job, links.query)


def _video_response(blobs: BlobStore, job: RenderJob) -> Response:
    sha256 = job.video_sha256
    assert sha256 is not None
    name = f"{job.draft_id}-v{job.version}.mp4"
    headers = {"ETag": f'"{sha256}"', "Content-Disposition": f'inline; filename="{name}"'}
    missing = NotFound("The rendered video is missing from the blob store; call gen_video again")
    path = blobs.local_path(sha256)
    if path is not None:
        if not path.is_file():
            raise missing
        # FileResponse answers Range requests, which players use to seek.
        return FileResponse(path, media_type="video/mp4", headers=headers)
    if not blobs.has(sha256):
        raise missing
    headers["Content-Length"] = str(job.video_size)
    return StreamingResponse(blobs.open_chunks(sha256), media_type="video/mp4", headers=headers)


@router.get(
    "/videos/{draft_id}/v{version}.mp4",
    response_class=Response,
    responses={
        **responses.binary_response("video/mp4", "The rendered MP4."),
        **responses.LINK_EXPIRED_RESPONSE,
    },
)
def rendered_video(
    drafts: DraftsDep,
    request: Request,
    key: PresentedKey,
    link: SignedLinkDep,
    draft_id: Annotated[str, PathParam(max_length=64)],
    version: Annotated[int, PathParam(ge=1, le=schemas.MAX_VERSION)],
) -> Response:
    """The rendered MP4 of a saved version (gen_video_status's `video_url`): needs the owner's
    API key or a signed link."""
    draft_id = check_draft_id(draft_id)
    caller = link_caller(request, video_resource(draft_id, version), link, key)
    return _video_response(drafts.blobs, drafts.rendered_video(caller, draft_id, version))
