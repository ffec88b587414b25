"""Dependencies every router shares: the service, the public base URL, the client's address."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request
from fastapi import Path as PathParam

from draftsmith.api.strict import STRICT_HEADER, STRICT_HELP, STRICT_PATTERN, strict_mode
from draftsmith.service import Drafts
from draftsmith.timeline.adjustments import Adjustments
from draftsmith.timeline.ids import DRAFT_ID_PATTERN


# Dependencies that do no I/O are async: FastAPI runs a sync one in a worker thread, a hop
# that costs more than the function itself.
async def _drafts(request: Request) -> Drafts:
    drafts: Drafts = request.app.state.drafts
    return drafts


async def _base_url(request: Request) -> str:
    base: str = request.app.state.base_url
    return base


async def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


_STRICT_VALUES = {"pattern": STRICT_PATTERN}


async def _notes(
    request: Request,
    strict: Annotated[
        str,
        # The document states every value strict_mode reads, and no other (not even a null):
        # fuzzing holds it to that. Absent is blank, the server's setting.
        Header(alias=STRICT_HEADER, description=STRICT_HELP, json_schema_extra=_STRICT_VALUES),
    ] = "",
) -> Adjustments:
    """What this request's edit adjusts, strict as its header says or the server is set."""
    default: bool = request.app.state.strict
    return Adjustments(strict=strict_mode(strict, default))


DraftsDep = Annotated[Drafts, Depends(_drafts)]
NotesDep = Annotated[Adjustments, Depends(_notes)]
BaseUrl = Annotated[str, Depends(_base_url)]
Client = Annotated[str, Depends(_client)]

# The id's form is stated for the document only: the routes check it (check_draft_id), so that
# a malformed id is the invalid_draft_url of the error table, as in a draft_url.
_DRAFT_ID_FORM = {"pattern": DRAFT_ID_PATTERN}
DraftIdPath = Annotated[str, PathParam(max_length=64, json_schema_extra=_DRAFT_ID_FORM)]
DraftIdQuery = Annotated[str, Query(max_length=64, json_schema_extra=_DRAFT_ID_FORM)]
