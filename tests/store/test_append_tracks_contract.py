"""append_tracks, compose's one write, against every adapter: several tracks (and optionally
the draft itself) in one transaction, all or nothing."""

from __future__ import annotations

import json

import pytest

from draftsmith.errors import DraftNotFound, DraftQuotaExceeded
from draftsmith.store.idempotency import Idempotency, Replayed
from draftsmith.store.port import DraftStore
from draftsmith.store.records import DraftHeader

from .builders import new_draft, sample_tracks, text_track, video_track
from .test_contract import NOW

DAY_US = 24 * 3600 * 1_000_000


def test_tracks_are_stacked_in_order_with_one_revision(store: DraftStore) -> None:
    store.create_draft(new_draft(), NOW)
    store.append_track("dft_one", text_track("t0"), NOW)

    header = store.append_tracks("dft_one", sample_tracks(), NOW + 1)

    _, draft = store.load("dft_one")
    assert [t.id for t in draft.tracks] == ["t0", "v1", "a1", "t1"]
    assert header.revision == 2
    assert header.segment_count == sum(len(t.segments) for t in draft.tracks)
    assert header.duration_us == max(t.end for t in draft.tracks)


def test_a_new_draft_is_created_with_its_tracks(store: DraftStore) -> None:
    header = store.append_tracks("dft_one", sample_tracks(), NOW, new=new_draft(), owner="k1")

    assert header.revision == 1
    assert [d.id for d in store.list_drafts(limit=10, offset=0, query=None, owner="k1")] == [
        "dft_one"
    ]
    assert len(store.load("dft_one")[1].tracks) == 3


def test_nothing_is_stored_when_the_quota_refuses_the_new_draft(store: DraftStore) -> None:
    store.create_draft(new_draft("dft_two"), NOW, owner="k1")

    with pytest.raises(DraftQuotaExceeded):
        store.append_tracks(
            "dft_one", sample_tracks(), NOW, new=new_draft(), owner="k1", max_owned=1
        )

    with pytest.raises(DraftNotFound):
        store.header("dft_one")


def test_an_unknown_draft_stores_nothing(store: DraftStore) -> None:
    with pytest.raises(DraftNotFound):
        store.append_tracks("dft_gone", sample_tracks(), NOW)


def test_a_repeated_key_replays_and_writes_nothing(store: DraftStore) -> None:
    def once() -> Idempotency[DraftHeader]:
        return Idempotency(
            "", "k1", "b1", NOW, NOW - DAY_US, lambda h: json.dumps({"r": h.revision})
        )

    store.append_tracks("dft_one", (video_track("v1"),), NOW, new=new_draft(), once=once())

    with pytest.raises(Replayed) as caught:
        store.append_tracks("dft_one", (video_track("v2"),), NOW, new=new_draft(), once=once())

    assert json.loads(caught.value.response) == {"r": 1}
    assert [t.id for t in store.load("dft_one")[1].tracks] == ["v1"]
