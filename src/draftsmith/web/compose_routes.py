"""compose, one request for a whole draft, and the JSON Schema of its spec."""

from __future__ import annotations

import functools
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from draftsmith.api import responses
from draftsmith.api.compose import Composed, compose, resume
from draftsmith.api.compose_schemas import (
    INVALID_SPEC_RESPONSES,
    ComposeResponse,
    ComposeSpec,
    compose_json_schema,
)
from draftsmith.api.responses import OK
from draftsmith.api.urls import API_PREFIX, draft_url, parse_draft_url
from draftsmith.api.views import warning_views
from draftsmith.web.auth import CallerDep
from draftsmith.web.deps import BaseUrl, Client, DraftsDep, NotesDep
from draftsmith.web.idempotency import KeyDep, idempotent
from draftsmith.web.threads import OneTripRoute

COMPOSE_PATH = f"{API_PREFIX}/compose"
SCHEMA_PATH = f"{API_PREFIX}/compose.schema.json"

router = APIRouter(prefix=API_PREFIX, responses=responses.ERROR_RESPONSES, route_class=OneTripRoute)


@router.post("/compose", response_model=ComposeResponse, responses=INVALID_SPEC_RESPONSES)
def compose_draft(
    drafts: DraftsDep,
    base: BaseUrl,
    client: Client,
    caller: CallerDep,
    notes: NotesDep,
    key: KeyDep,
    body: ComposeSpec,
) -> Response | dict[str, Any]:
    """A whole draft in one request: every track built first, then stacked in one write (all
    or nothing), then saved and rendered when asked. A spec with problems is a 400
    `invalid_spec` whose `problems` list each one with a JSON pointer. The spec's JSON Schema:
    compose.schema.json."""
    draft_id = None if body.draft_url is None else parse_draft_url(body.draft_url)

    def answer(made: Composed) -> dict[str, Any]:
        job = made.job
        return {
            **OK,
            "draft_url": draft_url(base, made.draft_id),
            "draft_id": made.draft_id,
            "current_version": made.revision,
            "version": made.version,
            "render": None
            if job is None
            else {
                "job_id": job.id,
                "version": job.version,
                "status": job.status.value,
                "progress": job.progress,
            },
            "track_ids": list(made.track_ids),
            "warnings": warning_views(made.warnings),
        }

    return idempotent(
        drafts,
        caller,
        key,
        "compose",
        body,
        ComposeResponse,
        lambda once: compose(drafts, caller, draft_id, body, notes, client=client, once=once),
        answer,
        lambda stored, once: resume(drafts, caller, body, stored, once, client=client),
    )


@functools.cache
def _schema() -> dict[str, Any]:
    return compose_json_schema()


@router.get("/compose.schema.json")
def compose_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of compose's request body."""
    return _schema()
