"""API keys: made here, stored as SHA-256 hashes only, checked in constant time.

A key is `ds_` followed by 32 random bytes in base64url, so it cannot be guessed and a fast
hash is enough to store it (no salt or slow KDF is needed for 256 bits of entropy).

Keys are on as soon as one exists, whether configured (DRAFTSMITH_API_KEYS) or stored (made by
`draftsmith keys create`). Stored keys are never deleted, only revoked, so once on, keys stay on:
revoking the last key locks everybody out rather than opening the server up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from draftsmith.errors import Unauthorized
from draftsmith.security.caller import UNRESTRICTED, Caller
from draftsmith.store.port import KeyStore
from draftsmith.store.records import ApiKeyRecord

KEY_PREFIX = "ds_"
KEY_BYTES = 32
ENABLED_RECHECK_SECONDS = 1.0
"""While no key exists, how often the store is asked whether one was made meanwhile (by the
CLI, possibly in another process): a first key takes effect within this time."""


def new_api_key() -> str:
    """A fresh random key, e.g. `ds_Jx3...` (46 characters)."""
    raw = base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).rstrip(b"=").decode()
    return KEY_PREFIX + raw


def hash_key(key: str) -> str:
    """The hex SHA-256 of a key: the only form a key is ever stored or compared in."""
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


def configured_key_id(key_hash: str) -> str:
    """The stable id of a key given in the settings: drafts it makes are owned by this id."""
    return "cfg_" + key_hash[:16]


def same_hash(known: str, presented: str) -> bool:
    """Constant-time equality of two key hashes, so timing tells nothing about a near miss."""
    return hmac.compare_digest(known.encode("ascii"), presented.encode("ascii"))


@dataclass(frozen=True)
class IssuedKey:
    """A key just made: `key` is shown once and never stored; `record` is what is stored."""

    key: str
    record: ApiKeyRecord


def issue_key(store: KeyStore, name: str, now_us: int) -> IssuedKey:
    key = new_api_key()
    record = ApiKeyRecord(
        id="key_" + secrets.token_hex(6), name=name, hash=hash_key(key), created_at_us=now_us
    )
    store.add_api_key(record)
    return IssuedKey(key, record)


class KeyRing:
    """Turns the key a request presents into a Caller, or refuses it."""

    def __init__(
        self,
        store: KeyStore,
        configured: Iterable[str] = (),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._configured = tuple((h, configured_key_id(h)) for h in map(hash_key, configured))
        self._clock = clock
        self._enabled = bool(self._configured)
        self._checked_at: float | None = None

    def enabled(self) -> bool:
        """Whether requests must carry a key: any key configured or ever stored."""
        if self._enabled:
            return True
        if not self._checked_recently():
            self._enabled = self._store.has_api_keys()
            self._checked_at = self._clock()
        return self._enabled

    @property
    def local_lookups(self) -> bool:
        """Whether looking a key up reads a file on this machine, not a database over a
        network: cheap enough to do where a worker thread would cost more."""
        return self._store.local_reads

    def known_off(self) -> bool:
        """Whether keys are off, as checked within the last recheck period: then every request
        is let in, and saying so needs no store access."""
        return not self._enabled and self._checked_recently()

    def _checked_recently(self) -> bool:
        return (
            self._checked_at is not None
            and self._clock() - self._checked_at < ENABLED_RECHECK_SECONDS
        )

    def authenticate(self, presented: str | None) -> Caller:
        """The caller a request with this key (None: no key) acts as; raises Unauthorized."""
        if not self.enabled():
            return UNRESTRICTED
        if not presented:
            raise Unauthorized(
                "API key required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
            )
        key_id = self.key_id_of(presented)
        if key_id is None:
            raise Unauthorized("Invalid or revoked API key")
        return Caller(key_id)

    def key_id_of(self, presented: str) -> str | None:
        """The id of the live key `presented` is, or None.

        Only hashes are compared, and always with `same_hash`: a configured key is compared
        against every configured hash without stopping at the first match, and a stored one is
        looked up by its hash (an index lookup, whose timing could only reveal bits of a
        SHA-256, not of the key) and then compared again in constant time.
        """
        presented_hash = hash_key(presented)
        found: str | None = None
        for known_hash, key_id in self._configured:
            if same_hash(known_hash, presented_hash):
                found = key_id
        if found is not None:
            return found
        record = self._store.api_key_by_hash(presented_hash)
        if record is None or record.revoked or not same_hash(record.hash, presented_hash):
            return None
        return record.id
