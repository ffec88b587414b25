"""Signed, expiring download links for the files of a saved draft.

get_draft hands out file URLs carrying `expires` (unix seconds) and `sig`, an HMAC-SHA256 of
what the link names and its expiry under the server's signing secret. Whoever holds such a
link may download that one file (or zip) until it expires, without an API key; a leaked
draft_url alone gives nothing, since get_draft itself needs the owner's key.

The secret is DRAFTSMITH_SIGNING_SECRET when set; otherwise one is made on first start and kept
in the store (table `server_secrets`), so every process sharing the store signs alike.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from collections.abc import Callable

from pydantic import SecretStr

from draftsmith.errors import LinkExpired
from draftsmith.store.port import KeyStore

SECRET_NAME = "url_signing"
MAX_EXPIRY_STEP_SECONDS = 3600


def _for_profile(resource: str, profile: str | None) -> str:
    return resource if profile is None else f"{resource}?profile={profile}"


def file_resource(draft_id: str, version: int, path: str, profile: str | None = None) -> str:
    """What a link to one file of a saved version (exported for `profile`) names."""
    return _for_profile(f"draft_files/v{version}/{draft_id}/{path}", profile)


def zip_resource(draft_id: str, version: int, profile: str | None = None) -> str:
    """What a link to the zip of a saved version (exported for `profile`) names."""
    return _for_profile(f"download_draft/{draft_id}/v{version}", profile)


def video_resource(draft_id: str, version: int) -> str:
    """What a link to the rendered MP4 of a saved version names."""
    return f"videos/{draft_id}/v{version}.mp4"


def signing_secret(configured: SecretStr | None, store: KeyStore) -> bytes:
    """The configured secret, or the one kept in the store (made now if there is none)."""
    if configured is not None:
        return configured.get_secret_value().encode()
    return store.server_secret(SECRET_NAME, secrets.token_bytes(32))


class UrlSigner:
    """Signs and checks links for `ttl_seconds` or a little longer.

    Expiry times are rounded up to a step (at most an hour), so the URLs get_draft returns
    stay the same for a while: caches and clients that compare URLs see stable values.
    """

    def __init__(
        self, secret: bytes, ttl_seconds: int, clock: Callable[[], float] = time.time
    ) -> None:
        self._secret = secret
        self._ttl = ttl_seconds
        self._step = max(1, min(ttl_seconds, MAX_EXPIRY_STEP_SECONDS))
        self._clock = clock

    def _signature(self, resource: str, expires: int) -> str:
        message = f"{resource}\n{expires}".encode("utf-8", "surrogateescape")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def query(self, resource: str) -> str:
        """`expires=...&sig=...` for a link to `resource`."""
        expires = math.ceil((self._clock() + self._ttl) / self._step) * self._step
        return f"expires={expires}&sig={self._signature(resource, expires)}"

    def verify(self, resource: str, expires: str | None, sig: str | None) -> bool:
        """True for a valid, unexpired signature; False when there is none or it does not
        match; LinkExpired when it matches but its time is up."""
        if not expires or not sig or not (expires.isascii() and expires.isdigit()):
            return False
        if len(expires) > 12:
            return False
        expected = self._signature(resource, int(expires))
        if not hmac.compare_digest(expected.encode(), sig.encode("utf-8", "surrogateescape")):
            return False
        if int(expires) < self._clock():
            raise LinkExpired()
        return True
