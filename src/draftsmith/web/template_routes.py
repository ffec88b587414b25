"""fill_template: a new draft from a template draft, its texts and media replaced."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from draftsmith.api import responses
from draftsmith.api.compose_schemas import INVALID_SPEC_RESPONSES
from draftsmith.api.responses import OK
from draftsmith.api.template_schemas import (
    FillTemplateBody,
    FillTemplateResponse,
    template_request,
)
from draftsmith.api.urls import API_PREFIX, draft_url, parse_draft_url
from draftsmith.api.views import warning_views
from draftsmith.service.templates import TemplateResult
from draftsmith.web.auth import CallerDep
from draftsmith.web.deps import BaseUrl, DraftsDep, NotesDep
from draftsmith.web.idempotency import KeyDep, idempotent
from draftsmith.web.threads import OneTripRoute

FILL_TEMPLATE_PATH = f"{API_PREFIX}/fill_template"

router = APIRouter(prefix=API_PREFIX, responses=responses.ERROR_RESPONSES, route_class=OneTripRoute)


@router.post(
    "/fill_template", response_model=FillTemplateResponse, responses=INVALID_SPEC_RESPONSES
)
def fill_template(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    key: KeyDep,
    body: FillTemplateBody,
) -> Response | dict[str, Any]:
    """A new draft from the template `draft_url` (as it is now, or its saved `version`) with
    caption texts and media replaced, in one write; the template is unchanged. Problems are a
    400 `invalid_spec` whose `problems` list each one with its JSON pointer (/texts/2)."""
    template_id = parse_draft_url(body.draft_url)

    def answer(made: TemplateResult) -> dict[str, Any]:
        return {
            **OK,
            "draft_url": draft_url(base, made.header.id),
            "draft_id": made.header.id,
            "current_version": made.header.revision,
            "template_url": draft_url(base, made.template_id),
            "template_version": made.template_version,
            "replacements": [
                {
                    "pointer": r.pointer,
                    "by": r.by,
                    "target": r.key,
                    "count": r.count,
                    "segment_ids": list(r.segment_ids),
                }
                for r in made.replacements
            ],
            "warnings": warning_views(made.warnings),
        }

    return idempotent(
        drafts,
        caller,
        key,
        "fill_template",
        body,
        FillTemplateResponse,
        lambda once: drafts.fill_template(
            caller, template_request(template_id, body), notes, once=once
        ),
        answer,
    )
