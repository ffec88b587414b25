"""gen_video, gen_video_status and cancel_render: render a saved version to MP4 on the server.

gen_video queues a job in the store and answers at once; render workers (in the HTTP server,
or in `draftsmith mcp` itself) take it. The model polls gen_video_status until it is done, or
stops it with cancel_render.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from draftsmith.api import schemas, verbs
from draftsmith.api.urls import video_url
from draftsmith.api.views import iso_time, warning_views
from draftsmith.mcp_server.inputs import DraftRef, draft_id_of, validated
from draftsmith.mcp_server.results import Result
from draftsmith.mcp_server.toolbox import IdempotencyKey, Toolbox, ToolContext
from draftsmith.store.records import JobStatus, RenderJob

Version = Annotated[
    int | None, Field(description="The saved version to render; default: the latest.")
]
JobId = Annotated[
    str | None,
    Field(
        description="The job_id gen_video returned; default: the draft's latest queued or "
        "running render."
    ),
]


def _next(job: RenderJob) -> str:
    if job.status is JobStatus.COMPLETED:
        return "Done: the MP4 is at video_url."
    if job.status is JobStatus.FAILED:
        return (
            "The render failed (see error_message): fix the draft, save_draft, then call "
            "gen_video again."
        )
    if job.status is JobStatus.CANCELLED:
        return "The render was cancelled; gen_video queues it again."
    return f"Rendering ({job.progress}%): call gen_video_status again in a few seconds."


class RenderTools:
    def __init__(self, toolbox: Toolbox) -> None:
        self.box = toolbox

    def _view(self, job: RenderJob) -> Result:
        view: Result = {
            "draft_id": job.draft_id,
            "job_id": job.id,
            "version": job.version,
            "status": job.status.value,
            "progress": job.progress,
            "created_at": iso_time(job.created_at_us),
        }
        if job.status is JobStatus.COMPLETED and job.video_sha256 is not None:
            view["video_url"] = video_url(self.box.base_url, job, self.box.links.query)
            view["completed_at"] = iso_time(job.completed_at_us)
        if job.status is JobStatus.FAILED:
            view["error_message"] = job.error_message or ""
        # What the video draws of the draft, as gen_video_status over HTTP answers it.
        view["report"] = json.loads(job.report) if job.report else []
        return {**view, "next": _next(job)}

    def gen_video(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        version: Version = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Render the draft as it is (or a given saved version) to MP4 on the server. A draft
        with unsaved changes is saved first, as save_draft does (warnings say so, and
        `version` is the version rendered). It answers at once with the job; poll
        gen_video_status until it completes. Asking again for a version whose render is
        queued, running or done returns that job."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        body = validated(schemas.VersionedDraftBody, {"version": version})
        notes = self.box.notes(ctx)
        return self.box.once(
            ctx,
            idempotency_key,
            "gen_video",
            {"draft_id": ref, **body.model_dump(mode="json")},
            lambda once: verbs.gen_video(
                self.box.drafts,
                caller,
                ref,
                body.version,
                client=self.box.client(ctx),
                notes=notes,
                once=once,
            ),
            lambda job: {**self._view(job), "warnings": warning_views(notes.items)},
        )

    def gen_video_status(
        self, ctx: ToolContext, draft_id: DraftRef, version: Version = None
    ) -> Result:
        """The draft's latest render (or that of a version): status (pending, processing,
        completed, failed or cancelled), progress 0-100, video_url once completed, and
        `report`: what the video draws of each feature of the draft (feature, name, drawn:
        exact, approximated or not_drawn, how, segment_ids); [] until a worker has planned
        the render."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        body = validated(schemas.VersionedDraftBody, {"version": version})
        return self._view(self.box.drafts.render_status(caller, ref, body.version))

    def cancel_render(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        job_id: JobId = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Stop a render of the draft that is queued or running (default: the latest one); its
        status becomes cancelled. A render that already finished is reported as it is."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        body = validated(schemas.CancelRenderBody, {"job_id": job_id})
        return self.box.once(
            ctx,
            idempotency_key,
            "cancel_render",
            {"draft_id": ref, **body.model_dump(mode="json")},
            lambda once: self.box.drafts.cancel_render(caller, ref, body.job_id, once),
            self._view,
        )


def register(server: MCPServer[Any], toolbox: Toolbox) -> None:
    tools = RenderTools(toolbox)
    server.add_tool(
        tools.gen_video,
        annotations=ToolAnnotations(
            read_only_hint=False, destructive_hint=False, idempotent_hint=True
        ),
    )
    server.add_tool(tools.gen_video_status, annotations=ToolAnnotations(read_only_hint=True))
    server.add_tool(
        tools.cancel_render,
        annotations=ToolAnnotations(
            read_only_hint=False, destructive_hint=True, idempotent_hint=True
        ),
    )
