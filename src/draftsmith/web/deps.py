"""Dependencies every router shares: the service, the public base URL, the client's address."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from draftsmith.service import Drafts


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


DraftsDep = Annotated[Drafts, Depends(_drafts)]
BaseUrl = Annotated[str, Depends(_base_url)]
Client = Annotated[str, Depends(_client)]
