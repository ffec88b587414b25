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
from draftsmith.store.idempotency import Idempotency, body_hash

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
    resume: Callable[[str, Idempotency[Result]], Result] | None = None,
) -> Response | dict[str, Any]:
    """Apply the verb once per key: `apply` makes the edit (handing the key to the store
    write), `respond` the answer from its result, serialised as `model` says; `resume`
    finishes a verb of several writes that a retry finds unfinished."""
    key = key or body.idempotency_key
    if not key:
        return respond(apply(None))
    digest = body_hash(verb, body.model_dump(mode="json", exclude={"idempotency_key"}))
    return idempotent_request(drafts, caller, key, digest, model, apply, respond, resume)


def idempotent_request(
    drafts: Drafts,
    caller: Caller,
    key: str | None,
    digest: str,
    model: type[BaseModel],
    apply: Callable[[Idempotency[Result] | None], Result],
    respond: Callable[[Result], dict[str, Any]],
    resume: Callable[[str, Idempotency[Result]], Result] | None = None,
) -> Response | dict[str, Any]:
    """`idempotent` for a request whose body is not a JSON model (an upload): `digest`
    stands for the whole request, as `body_hash` makes it for a JSON body."""
    if not key:
        return respond(apply(None))

    def as_json(result: Result) -> str:
        answer = model.model_validate(respond(result)).model_dump(mode="json", by_alias=True)
        return json.dumps(answer, ensure_ascii=False)

    answer, replayed = drafts.answer_once(caller, key, digest, apply, as_json, resume)
    return _replay(answer) if replayed else Response(answer, media_type="application/json")
