"""Rendering verbs: gen_video queues a render of a saved version, gen_video_status reports it,
and the rendered MP4 is served from the blob store under the draft's own access rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, Response, StreamingResponse

from draftsmith.blobs.port import BlobStore
from draftsmith.errors import NotFound
from draftsmith.security.signing import video_resource
from draftsmith.store.records import RenderJob
from draftsmith.timeline.ids import API_PREFIX, check_draft_id, parse_draft_url
from draftsmith.web import responses, schemas
from draftsmith.web.auth import CallerDep, LinkSignerDep, PresentedKey, SignedLinkDep, link_caller
from draftsmith.web.routes import OK, BaseUrl, DraftsDep
from draftsmith.web.threads import OneTripRoute
from draftsmith.web.views import iso_time

router = APIRouter(prefix=API_PREFIX, responses=responses.ERROR_RESPONSES, route_class=OneTripRoute)


def video_url(base: str, job: RenderJob, link_query: Callable[[str], str]) -> str:
    url = f"{base}{API_PREFIX}/{video_resource(job.draft_id, job.version)}"
    query = link_query(video_resource(job.draft_id, job.version))
    return f"{url}?{query}" if query else url


def job_view(
    base: str, draft_url: str, job: RenderJob, link_query: Callable[[str], str]
) -> dict[str, Any]:
    done = job.status == "completed" and job.video_sha256 is not None
    return {
        **OK,
        "draft_url": draft_url,
        "job_id": job.id,
        "version": job.version,
        "status": job.status.value,
        "progress": job.progress,
        "video_url": video_url(base, job, link_query) if done else "",
        "error_message": (job.error_message or "") if job.status == "failed" else "",
        "created_at": iso_time(job.created_at_us),
        "started_at": iso_time(job.started_at_us),
        "completed_at": iso_time(job.completed_at_us),
    }


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
