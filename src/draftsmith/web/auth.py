"""Authentication at the HTTP edge: which Caller a request acts as.

Verbs take `CallerDep`: the API key from `Authorization: Bearer <key>` or `X-API-Key: <key>`,
checked by the KeyRing (or no key at all while keys are off). The file routes also accept a
signed link (`expires` and `sig` query parameters) in place of a key: see `link_caller`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.openapi.models import APIKey, SecurityScheme
from fastapi.openapi.models import HTTPBearer as HTTPBearerModel
from starlette.concurrency import run_in_threadpool

from draftsmith.api.urls import LinkSigner
from draftsmith.errors import LinkExpired
from draftsmith.security.caller import UNRESTRICTED, Caller
from draftsmith.security.keys import KeyRing
from draftsmith.security.signing import UrlSigner

_KEY_HEADER = "X-API-Key"
KEY_SCHEMES: dict[str, SecurityScheme] = {
    "BearerKey": HTTPBearerModel(
        description="An API key as a bearer token: `Authorization: Bearer ds_...`."
    ),
    "HeaderKey": APIKey.model_validate(
        {"in": "header", "name": _KEY_HEADER, "description": "An API key in the X-API-Key header."}
    ),
}
"""How a request presents its key, as the OpenAPI document states it for every route that
reads one (`reads_a_key`)."""


def _key_in(request: Request) -> str | None:
    """The key a request presents. An `Authorization` header is it whenever one is sent, even
    when X-API-Key is sent too: one that is not `Bearer <key>` presents no key (401 while keys
    are on), rather than falling back to the other header."""
    authorization = request.headers.get("authorization")
    if authorization is None:
        return request.headers.get(_KEY_HEADER) or None
    scheme, _, token = authorization.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


# A dependency of its own, without sub-dependencies for the two headers (FastAPI's security
# classes): each dependency costs a request more than reading a header does. The document
# states the schemes instead (web/openapi.py, `reads_a_key`).
async def _presented_key(request: Request) -> str | None:
    return _key_in(request)


PresentedKey = Annotated[str | None, Depends(_presented_key)]


def _key_ring(request: Request) -> KeyRing:
    ring: KeyRing = request.app.state.keys
    return ring


def _signer(request: Request) -> UrlSigner:
    signer: UrlSigner = request.app.state.signer
    return signer


def _remember(request: Request, caller: Caller) -> Caller:
    # The access log reports which key acted (its id, never the key itself).
    request.state.key_id = caller.key_id
    return caller


def _authenticate(request: Request, key: str | None) -> Caller:
    return _remember(request, _key_ring(request).authenticate(key))


async def authenticate(request: Request) -> Caller:
    """The caller a request acts as; Unauthorized (401) when keys are on and it has no live key.

    Looking a key up may query the store, so that runs in a worker thread, unless the store is
    a local file, whose one-row read costs less than the hand-offs to a thread and back; while
    keys are known to be off the answer needs none and comes at once.
    """
    ring = _key_ring(request)
    if ring.known_off():
        return _remember(request, UNRESTRICTED)
    key = _key_in(request)
    if ring.local_lookups:
        return _authenticate(request, key)
    return await run_in_threadpool(_authenticate, request, key)


CallerDep = Annotated[Caller, Depends(authenticate)]


def reads_a_key(dependant: Dependant) -> bool:
    """Whether a route's dependencies read the API key a request presents."""
    return any(
        d.call in (authenticate, _presented_key) or reads_a_key(d) for d in dependant.dependencies
    )


@dataclass(frozen=True)
class SignedLink:
    """The `expires` and `sig` query parameters of a signed download link, if present."""

    expires: str | None
    sig: str | None


async def _signed_link(
    expires: Annotated[
        str | None,
        Query(max_length=16, description="Signed links: expiry time, unix seconds."),
    ] = None,
    sig: Annotated[
        str | None, Query(max_length=128, description="Signed links: the link's signature.")
    ] = None,
) -> SignedLink:
    return SignedLink(expires, sig)


SignedLinkDep = Annotated[SignedLink, Depends(_signed_link)]


def link_caller(request: Request, resource: str, link: SignedLink, key: str | None) -> Caller:
    """The caller for a file route: anyone holding a valid signed link to `resource`, else
    whoever the API key says (see `authenticate`).

    An expired link is reported as such (403) unless a key is presented too, or keys are off,
    in which case files need no link at all.
    """
    try:
        if _signer(request).verify(resource, link.expires, link.sig):
            return _remember(request, UNRESTRICTED)
    except LinkExpired:
        if key is None and _key_ring(request).enabled():
            raise
    return _authenticate(request, key)


async def _link_signer(request: Request) -> LinkSigner:
    return LinkSigner(_key_ring(request), _signer(request))


LinkSignerDep = Annotated[LinkSigner, Depends(_link_signer)]
