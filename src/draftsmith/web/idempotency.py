"""Idempotency keys at the HTTP edge: the `Idempotency-Key` header (or the body's
`idempotency_key`) of a state-changing verb, its stored response answered again with
`Idempotent-Replayed: true`, and the response stored with the write's effect otherwise."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header
from fastapi.responses import Response
from pydantic import BaseModel

from draftsmith.api.schemas import Keyed
from draftsmith.security.caller import Caller
from draftsmith.service import Drafts
from draftsmith.store.idempotency import Idempotency, Replayed, body_hash

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_HELP = (
    "Any unique string (a UUID) per logical request: a retry with the same key and body is "
    "answered with the first response and applied once; the same key with another body is "
    "422. Kept for a day; scoped to the API key."
)
Result = TypeVar("Result")


async def _key(
    key: Annotated[
        str | None, Header(alias=IDEMPOTENCY_HEADER, max_length=255, description=KEY_HELP)
    ] = None,
) -> str | None:
    return key or None


KeyDep = Annotated[str | None, Depends(_key)]


def _replay(response: str) -> Response:
    return Response(response, media_type="application/json", headers={REPLAYED_HEADER: "true"})


def idempotent(
    drafts: Drafts,
    caller: Caller,
    key: str | None,
    verb: str,
    body: Keyed,
    model: type[BaseModel],
    apply: Callable[[Idempotency[Result] | None], Result],
    respond: Callable[[Result], dict[str, Any]],
) -> Response | dict[str, Any]:
    """Apply the verb once per key: `apply` makes the edit (handing the key to the store
    write), `respond` the answer from its result, serialised as `model` says."""
    key = key or body.idempotency_key
    if not key:
        return respond(apply(None))
    digest = body_hash(verb, body.model_dump(mode="json", exclude={"idempotency_key"}))
    stored = drafts.stored_response(caller, key, digest)
    if stored is not None:
        return _replay(stored)

    def as_json(result: Result) -> str:
        answer = model.model_validate(respond(result)).model_dump(mode="json", by_alias=True)
        return json.dumps(answer, ensure_ascii=False)

    try:
        result = apply(drafts.idempotency(caller, key, digest, as_json))
    except Replayed as exc:
        return _replay(exc.response)
    return Response(as_json(result), media_type="application/json")
