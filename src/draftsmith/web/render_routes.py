"""Rendering verbs: gen_video queues a render of a saved version, gen_video_status reports it,
cancel_render stops it, and the rendered MP4 is served from the blob store under the draft's
own access rules."""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from draftsmith.api import responses, schemas, verbs
from draftsmith.api.urls import API_PREFIX, parse_draft_url
from draftsmith.api.views import job_view, warning_views
from draftsmith.security.signing import video_resource
from draftsmith.service import Drafts
from draftsmith.store.records import RenderJob
from draftsmith.timeline.ids import check_draft_id
from draftsmith.web.auth import CallerDep, LinkSignerDep, PresentedKey, SignedLinkDep, link_caller
from draftsmith.web.deps import BaseUrl, Client, DraftIdPath, DraftsDep, NotesDep
from draftsmith.web.idempotency import KeyDep, idempotent
from draftsmith.web.ranges import Representation, ranged_response
from draftsmith.web.threads import OneTripRoute

router = APIRouter(prefix=API_PREFIX, responses=responses.ERROR_RESPONSES, route_class=OneTripRoute)


@router.post("/gen_video", response_model=responses.RenderJobResponse)
def gen_video(
    drafts: DraftsDep,
    base: BaseUrl,
    client: Client,
    caller: CallerDep,
    links: LinkSignerDep,
    notes: NotesDep,
    key: KeyDep,
    body: schemas.VersionedDraftBody | None = None,
) -> Response | dict[str, Any]:
    """Queue a render to MP4 of the draft as it is (or of the given saved version) and answer
    at once. A draft with unsaved changes is saved first, as save_draft does, and the answer
    says so in `warnings` (strict mode: 400 unsaved_changes, or 404 for a draft never saved).
    Asking again for a version whose render is queued, running or done returns that job."""
    given = body or schemas.VersionedDraftBody()
    draft_id = parse_draft_url(given.draft_url)
    return idempotent(
        drafts,
        caller,
        key,
        "gen_video",
        given,
        responses.RenderJobResponse,
        lambda once: verbs.gen_video(
            drafts, caller, draft_id, given.version, client=client, notes=notes, once=once
        ),
        lambda job: {
            **job_view(base, given.draft_url, job, links.query),
            "warnings": warning_views(notes.items),
        },
    )


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


@router.post("/cancel_render", response_model=responses.RenderJobResponse)
def cancel_render(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    links: LinkSignerDep,
    key: KeyDep,
    body: schemas.CancelRenderBody | None = None,
) -> Response | dict[str, Any]:
    """Cancel the draft's render job `job_id` (default: its latest queued or running one): it
    becomes `cancelled`, and a running render's ffmpeg is stopped within about a second. A job
    that already finished is answered as it is; gen_video queues a cancelled version again."""
    given = body or schemas.CancelRenderBody()
    draft_id = parse_draft_url(given.draft_url)
    return idempotent(
        drafts,
        caller,
        key,
        "cancel_render",
        given,
        responses.RenderJobResponse,
        lambda once: drafts.cancel_render(caller, draft_id, given.job_id, once),
        lambda job: job_view(base, given.draft_url, job, links.query),
    )


def _video_response(request: Request, drafts: Drafts, job: RenderJob) -> Response:
    assert job.video_sha256 is not None and job.video_size is not None
    name = f"{job.draft_id}-v{job.version}.mp4"
    video = Representation(
        size=job.video_size,
        digest=job.video_sha256,
        media_type="video/mp4",
        read=functools.partial(drafts.video_range, job),
        modified_us=job.completed_at_us,
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
    # Players seek with Range requests.
    return ranged_response(request, video)


_VIDEO_PATH = "/videos/{draft_id}/v{version}.mp4"


@router.get(
    _VIDEO_PATH,
    response_class=Response,
    responses={
        **responses.binary_response("video/mp4", "The rendered MP4."),
        **responses.RANGE_RESPONSES,
        **responses.LINK_EXPIRED_RESPONSE,
    },
)
def rendered_video(
    drafts: DraftsDep,
    request: Request,
    key: PresentedKey,
    link: SignedLinkDep,
    draft_id: DraftIdPath,
    version: Annotated[int, PathParam(ge=1, le=schemas.MAX_VERSION)],
) -> Response:
    """The rendered MP4 of a saved version (gen_video_status's `video_url`): needs the owner's
    API key or a signed link."""
    draft_id = check_draft_id(draft_id)
    caller = link_caller(request, video_resource(draft_id, version), link, key)
    return _video_response(request, drafts, drafts.rendered_video(caller, draft_id, version))


router.head(_VIDEO_PATH, response_class=Response, include_in_schema=False)(rendered_video)
