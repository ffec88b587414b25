"""The store's security contract, run against every adapter: draft owners, the per-owner draft
quota, API keys (hashes only) and server secrets."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from draftsmith.errors import DraftQuotaExceeded, NotFound
from draftsmith.store.port import DraftStore, KeyStore
from draftsmith.store.records import ApiKeyRecord

from .builders import new_draft

NOW = 1_763_900_000_000_000


def keys_of(store: DraftStore) -> KeyStore:
    assert isinstance(store, KeyStore)
    return store


def test_a_draft_remembers_its_owner(store: DraftStore) -> None:
    owned = store.create_draft(new_draft("dft_owned"), NOW, owner="key_a")
    shared = store.create_draft(new_draft("dft_shared"), NOW)

    assert (owned.owner, shared.owner) == ("key_a", None)
    assert store.header("dft_owned").owner == "key_a"
    assert store.load("dft_owned")[0].owner == "key_a"


def test_list_drafts_filters_by_owner(store: DraftStore) -> None:
    for draft_id, owner in (("dft_a1", "key_a"), ("dft_b1", "key_b"), ("dft_n", None)):
        store.create_draft(new_draft(draft_id, name=f"name {draft_id}"), NOW, owner=owner)
    store.create_draft(new_draft("dft_a2", name="other"), NOW + 1, owner="key_a")

    def ids(**kwargs: object) -> list[str]:
        listed = store.list_drafts(limit=10, offset=0, **kwargs)  # type: ignore[arg-type]
        return [h.id for h in listed]

    assert ids(query=None, owner="key_a") == ["dft_a2", "dft_a1"]
    assert ids(query="name", owner="key_a") == ["dft_a1"]
    assert ids(query=None, owner="key_c") == []
    assert sorted(ids(query=None)) == ["dft_a1", "dft_a2", "dft_b1", "dft_n"]


def test_the_draft_quota_counts_per_owner(store: DraftStore) -> None:
    store.create_draft(new_draft("dft_1"), NOW, owner="key_a", max_owned=2)
    store.create_draft(new_draft("dft_2"), NOW, owner="key_a", max_owned=2)
    store.create_draft(new_draft("dft_3"), NOW, owner="key_b", max_owned=2)
    store.create_draft(new_draft("dft_4"), NOW, max_owned=2)

    with pytest.raises(DraftQuotaExceeded):
        store.create_draft(new_draft("dft_5"), NOW, owner="key_a", max_owned=2)

    held = store.list_drafts(limit=10, offset=0, query=None, owner="key_a")
    assert sorted(h.id for h in held) == ["dft_1", "dft_2"]
    store.delete_draft("dft_1")
    store.create_draft(new_draft("dft_5"), NOW, owner="key_a", max_owned=2)
    store.create_draft(new_draft("dft_6"), NOW, owner="key_a", max_owned=0)


def test_concurrent_creates_never_pass_the_quota(store: DraftStore) -> None:
    results: list[str] = []
    lock = threading.Lock()

    def create(index: int) -> Callable[[], None]:
        def run() -> None:
            try:
                store.create_draft(new_draft(f"dft_c{index}"), NOW, owner="key_a", max_owned=3)
                outcome = "created"
            except DraftQuotaExceeded:
                outcome = "refused"
            with lock:
                results.append(outcome)

        return run

    threads = [threading.Thread(target=create(i)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["created"] * 3 + ["refused"] * 5
    assert len(store.list_drafts(limit=10, offset=0, query=None, owner="key_a")) == 3


def test_api_keys_are_stored_found_by_hash_and_revoked(store: DraftStore) -> None:
    keys = keys_of(store)
    assert not keys.has_api_keys()
    first = ApiKeyRecord("key_1", "first", "a" * 64, NOW)
    second = ApiKeyRecord("key_2", "second", "b" * 64, NOW + 1)
    keys.add_api_key(first)
    keys.add_api_key(second)

    assert keys.has_api_keys()
    assert keys.api_key_by_hash("a" * 64) == first
    assert keys.api_key_by_hash("c" * 64) is None
    assert keys.api_keys() == [first, second]

    revoked = keys.revoke_api_key("key_1", NOW + 5)
    assert revoked == ApiKeyRecord("key_1", "first", "a" * 64, NOW, NOW + 5)
    assert revoked.revoked
    assert keys.revoke_api_key("key_1", NOW + 9).revoked_at_us == NOW + 5, "the first time stays"
    assert keys.api_key_by_hash("a" * 64) == revoked
    assert keys.has_api_keys(), "revoked keys still count: keys never switch off again"
    with pytest.raises(NotFound):
        keys.revoke_api_key("key_missing", NOW)


def test_a_server_secret_is_made_once_and_shared(store: DraftStore) -> None:
    keys = keys_of(store)
    first = keys.server_secret("url_signing", b"\x01" * 32)

    assert first == b"\x01" * 32
    assert keys.server_secret("url_signing", b"\x02" * 32) == first
    assert keys.server_secret("other", b"\x03" * 32) == b"\x03" * 32
