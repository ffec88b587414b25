"""The key ring, in process on a real SQLite store: key format, hash-only storage, near misses,
revocation, and constant-time comparison."""

from __future__ import annotations

import dis
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from draftsmith.errors import Unauthorized
from draftsmith.security import keys
from draftsmith.security.caller import UNRESTRICTED, Caller
from draftsmith.security.keys import KeyRing, configured_key_id, hash_key, issue_key, same_hash
from draftsmith.store.sqlite import SqliteDraftStore

CONFIGURED = "ds_configured-key-0123456789"
NOW = 1_763_900_000_000_000


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteDraftStore]:
    opened = SqliteDraftStore(tmp_path / "keys.sqlite3")
    yield opened
    opened.close()


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def near_misses(key: str) -> list[str]:
    flipped = [key[:i] + chr(ord(key[i]) ^ 1) + key[i + 1 :] for i in (0, len(key) // 2, -1)]
    misses = [key[:-1], key + "A", key.upper(), key.lower(), key[1:], *flipped, ""]
    return [miss for miss in dict.fromkeys(misses) if miss != key]


def test_keys_are_random_and_only_their_hash_is_stored(store: SqliteDraftStore) -> None:
    first = issue_key(store, "first", NOW)
    second = issue_key(store, "second", NOW + 1)

    assert first.key.startswith("ds_") and len(first.key) == 46
    assert first.key != second.key and first.record.id != second.record.id
    assert first.record.hash == hashlib.sha256(first.key.encode()).hexdigest()
    assert store.api_keys() == [first.record, second.record]
    assert first.key.encode() not in store.path.read_bytes()


def test_keys_are_off_until_one_exists(store: SqliteDraftStore) -> None:
    clock = Clock()
    ring = KeyRing(store, clock=clock)
    assert not ring.known_off(), "not checked yet"
    assert not ring.enabled()
    assert ring.known_off()
    assert ring.authenticate(None) is UNRESTRICTED
    assert ring.authenticate("anything") is UNRESTRICTED

    issued = issue_key(store, "cli", NOW)
    assert not ring.enabled(), "not asked again within the re-check interval"
    assert ring.known_off()
    clock.now += keys.ENABLED_RECHECK_SECONDS
    assert not ring.known_off(), "due for a re-check"

    assert ring.enabled()
    assert not ring.known_off()
    assert ring.authenticate(issued.key) == Caller(issued.record.id)
    with pytest.raises(Unauthorized, match="API key required"):
        ring.authenticate(None)


def test_near_misses_are_refused(store: SqliteDraftStore) -> None:
    stored = issue_key(store, "stored", NOW).key
    ring = KeyRing(store, [CONFIGURED])

    assert ring.authenticate(CONFIGURED) == Caller(configured_key_id(hash_key(CONFIGURED)))
    for key in (stored, CONFIGURED):
        for wrong in near_misses(key):
            if wrong:
                with pytest.raises(Unauthorized, match="Invalid or revoked"):
                    ring.authenticate(wrong)
            else:
                with pytest.raises(Unauthorized, match="required"):
                    ring.authenticate(wrong)


def test_a_revoked_key_is_refused_at_once(store: SqliteDraftStore) -> None:
    issued = issue_key(store, "soon revoked", NOW)
    ring = KeyRing(store)
    assert ring.authenticate(issued.key).key_id == issued.record.id

    store.revoke_api_key(issued.record.id, NOW + 1)

    with pytest.raises(Unauthorized, match="Invalid or revoked"):
        ring.authenticate(issued.key)


def _calls(function: object) -> set[str]:
    return {i.argval for i in dis.get_instructions(function) if i.opname.startswith("LOAD_")}  # type: ignore[arg-type]


def test_hashes_are_compared_in_constant_time() -> None:
    # Equality of key hashes goes through hmac.compare_digest, and nothing else compares them:
    # `same_hash` calls compare_digest, and key_id_of compares only through same_hash.
    assert "compare_digest" in _calls(same_hash)
    assert "same_hash" in _calls(KeyRing.key_id_of)
    assert not any(i.opname == "COMPARE_OP" for i in dis.get_instructions(KeyRing.key_id_of)), (
        "no == / != on hashes in key_id_of"
    )
    known = hash_key(CONFIGURED)
    assert same_hash(known, hash_key(CONFIGURED))
    for wrong in near_misses(CONFIGURED):
        assert not same_hash(known, hash_key(wrong))
    assert not same_hash(known, known[:-1])
