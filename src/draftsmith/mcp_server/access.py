"""Who an MCP tool call acts as: the same API keys, checked by the same KeyRing, as the HTTP API.

Over HTTP every request carries its own key (`Authorization: Bearer <key>` or `X-API-Key`),
and every tool call is checked with the key of the request that carried it: a session opened
with one key gives nothing to a request with another. Over stdio the server runs as the local
user, who can read the database anyway: calls are unrestricted, unless the server was started
with an API key, in which case they act as that key (and see only its drafts).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from draftsmith.security.caller import UNRESTRICTED, Caller
from draftsmith.security.keys import KeyRing


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The API key in `Authorization: Bearer <key>`, else in `X-API-Key`; None if neither.

    `headers` is looked up by lower-case name (Starlette's and the MCP SDK's headers are).
    """
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return headers.get("x-api-key") or None


class Access(Protocol):
    """Turns what a tool call arrived with into the Caller it acts as."""

    def caller(self, headers: Mapping[str, str] | None) -> Caller:
        """The caller; Unauthorized (with the API's message) when the key does not do."""
        ...

    def client(self, address: str | None) -> str:
        """The name save_draft's per-client rate limit counts this call under."""
        ...


class HttpAccess:
    """Streamable HTTP: each request's own key, exactly as the HTTP API checks it."""

    def __init__(self, keys: KeyRing) -> None:
        self._keys = keys

    def caller(self, headers: Mapping[str, str] | None) -> Caller:
        return self._keys.authenticate(presented_key(headers or {}))

    def client(self, address: str | None) -> str:
        return address or "unknown"


class LocalAccess:
    """stdio: the local user, or the API key the server was started with."""

    def __init__(self, keys: KeyRing, api_key: str | None = None) -> None:
        self._keys = keys
        self._api_key = api_key

    def caller(self, headers: Mapping[str, str] | None) -> Caller:
        # Checked on every call, not once at start-up: a key revoked meanwhile stops working.
        if self._api_key is None:
            return UNRESTRICTED
        return self._keys.authenticate(self._api_key)

    def client(self, address: str | None) -> str:
        return "stdio"
