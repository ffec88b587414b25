"""The UpkeepStore contract, run against every adapter: references for garbage collection and
backups, media marked used, exports kept with their version, shared token buckets, job counts."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from draftsmith.store.port import DraftStore, JobStore, UpkeepStore
from draftsmith.store.records import FileEntry
from draftsmith.timeline.model import Media, MediaKind

from .builders import IMAGE, VIDEO, audio_track, new_draft, video_track
from .test_contract import NOW, save

S_US = 1_000_000
EXPORTED = (
    FileEntry("draft_content.json", "1" * 64, 10),
    FileEntry("draft_meta_info.json", "2" * 64, 20),
)
LOOSE = Media("d" * 64, MediaKind.IMAGE, "png", 5, None, 4, 4, thumbnail_sha256="e" * 64)


def upkeep(store: DraftStore) -> UpkeepStore:
    assert isinstance(store, UpkeepStore)
    return store


def test_references_are_the_media_of_tracks_versions_exports_and_rendered_videos(
    store: DraftStore,
) -> None:
    saved, current, exported = new_draft("dft_saved"), new_draft("dft_current"), new_draft("dft_x")
    for draft in (saved, current, exported):
        store.create_draft(draft, NOW)
    # A version keeps media the draft no longer has: its track was replaced after the save.
    store.append_track(saved.id, video_track("t1"), NOW)
    save(store, saved.id)
    header = store.header(saved.id)
    store.replace_tracks(saved.id, (), header.revision, NOW)
    store.append_track(current.id, audio_track("t2"), NOW)
    store.append_track(exported.id, audio_track("t3"), NOW)
    save(store, exported.id)
    upkeep(store).add_version_export(exported.id, 1, "capcut", EXPORTED)
    jobs = store
    assert isinstance(jobs, JobStore)
    job = jobs.create_render_job(exported.id, 1, None, NOW)
    claimed = jobs.claim_render_job("w", NOW, S_US, 3)
    assert claimed is not None and claimed.id == job.id
    assert jobs.complete_render_job(job.id, "w", "7" * 64, 100, NOW)

    found = upkeep(store).referenced_blobs()

    # The save's media files ("e"*64 of FILES) and the snapshot's media with its thumbnail.
    wanted = {VIDEO.sha256, "9" * 64, IMAGE.sha256, "c" * 64, "e" * 64, "1" * 64, "2" * 64}
    assert found == wanted | {"7" * 64}


def test_deleting_a_draft_drops_its_references(store: DraftStore) -> None:
    draft = new_draft("dft_gone")
    store.create_draft(draft, NOW)
    store.append_track(draft.id, video_track("t1"), NOW)
    save(store, draft.id)
    upkeep(store).add_version_export(draft.id, 1, "capcut", EXPORTED)

    store.delete_draft(draft.id)

    assert upkeep(store).referenced_blobs() == set()


def test_references_are_read_past_one_page_of_drafts(store: DraftStore) -> None:
    for index in range(230):
        draft = new_draft(f"dft_{index:04d}")
        store.create_draft(draft, NOW)
    store.append_track("dft_0229", audio_track("t"), NOW)

    assert upkeep(store).referenced_blobs() == {"c" * 64}


def test_an_export_is_recorded_once_and_goes_with_its_version(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    store.append_track(draft.id, audio_track("t1"), NOW)
    save(store, draft.id)
    kept = upkeep(store)
    assert kept.version_export(draft.id, 1, "capcut") is None

    kept.add_version_export(draft.id, 1, "capcut", EXPORTED)
    kept.add_version_export(draft.id, 1, "capcut", EXPORTED[:1])
    kept.add_version_export(draft.id, 7, "capcut", EXPORTED)

    assert kept.version_export(draft.id, 1, "capcut") == EXPORTED
    assert kept.version_export(draft.id, 1, "jianying") is None
    assert kept.version_export(draft.id, 7, "capcut") is None
    store.append_track(draft.id, audio_track("t2"), NOW)
    save(store, draft.id, keep=1)
    assert kept.version_export(draft.id, 1, "capcut") is None


def test_use_media_marks_a_known_url_and_answers_none_for_an_unknown_one(
    store: DraftStore,
) -> None:
    kept = upkeep(store)
    assert kept.use_media("https://example.com/a.png", NOW) is None
    store.remember_media("https://example.com/a.png", LOOSE, NOW - 10 * S_US)

    assert kept.use_media("https://example.com/a.png", NOW) == LOOSE

    removed = kept.collect_blobs([LOOSE.sha256], NOW - S_US, lambda names: names)
    assert removed == []


def test_use_media_writes_no_mark_over_one_still_fresh(store: DraftStore) -> None:
    kept = upkeep(store)
    url = "https://example.com/a.png"
    store.remember_media(url, LOOSE, NOW - 10 * S_US)

    assert kept.use_media(url, NOW, fresh_after_us=NOW - 20 * S_US) == LOOSE
    # Still marked at NOW - 10 s: a collection spares what was used since NOW - 11 s ...
    assert kept.collect_blobs([LOOSE.sha256], NOW - 11 * S_US, lambda names: names) == []
    # ... but not since NOW - 9 s; a stale mark is written again.
    assert kept.use_media(url, NOW, fresh_after_us=NOW - 5 * S_US) == LOOSE
    assert kept.collect_blobs([LOOSE.sha256], NOW - 9 * S_US, lambda names: names) == []
    assert kept.use_media("https://example.com/b.png", NOW, fresh_after_us=NOW) is None


def test_collect_blobs_removes_what_no_recent_media_names_and_forgets_its_sources(
    store: DraftStore,
) -> None:
    kept = upkeep(store)
    recent = Media("5" * 64, MediaKind.IMAGE, "png", 5, None, 4, 4, thumbnail_sha256="6" * 64)
    store.remember_media("https://example.com/old.png", LOOSE, NOW - 100 * S_US)
    store.remember_media("https://example.com/new.png", recent, NOW)
    asked: list[list[str]] = []

    def remove(names: list[str]) -> list[str]:
        asked.append(names)
        return [name for name in names if name != "8" * 64]

    candidates = [LOOSE.sha256, "e" * 64, "6" * 64, "8" * 64, "f" * 64]
    removed = kept.collect_blobs(candidates, NOW - S_US, remove, batch=2)

    assert asked == [[LOOSE.sha256, "e" * 64], ["8" * 64], ["f" * 64]]
    assert removed == [LOOSE.sha256, "e" * 64, "f" * 64]
    assert store.media_for_url("https://example.com/old.png") is None
    assert store.media_for_url("https://example.com/new.png") == recent


def test_a_source_naming_a_blob_that_was_kept_is_remembered(store: DraftStore) -> None:
    store.remember_media("https://example.com/old.png", LOOSE, NOW - 100 * S_US)

    removed = upkeep(store).collect_blobs([LOOSE.sha256], NOW - S_US, lambda names: [])

    assert removed == []
    assert store.media_for_url("https://example.com/old.png") == LOOSE


def test_take_token_spends_a_burst_then_refills_at_the_rate(store: DraftStore) -> None:
    kept = upkeep(store)
    assert [kept.take_token("draft:a", 2.0, 3, NOW) for _ in range(3)] == [0, 0, 0]
    assert kept.take_token("draft:a", 2.0, 3, NOW) == 1
    assert kept.take_token("draft:b", 2.0, 3, NOW) == 0
    # Half a second later one token is back; the refusal spent nothing.
    assert kept.take_token("draft:a", 2.0, 3, NOW + S_US // 2) == 0
    assert kept.take_token("draft:a", 2.0, 3, NOW + S_US // 2) == 1
    # Never more than the burst, however long it rested.
    later = NOW + 3600 * S_US
    assert [kept.take_token("draft:a", 2.0, 3, later) for _ in range(4)] == [0, 0, 0, 1]
    slow = [kept.take_token("client:x", 0.1, 1, NOW) for _ in range(2)]
    assert slow == [0, 10]


def test_concurrent_takes_spend_each_token_once(store: DraftStore) -> None:
    kept = upkeep(store)
    kept.take_token("draft:warm", 1.0, 1, NOW)
    start = threading.Barrier(8)

    def take(_: int) -> int:
        start.wait(timeout=30)
        return kept.take_token("draft:hot", 0.001, 20, NOW)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(take, range(40)))

    assert answers.count(0) == 20


def test_forget_rate_buckets_drops_untouched_buckets_of_one_prefix(store: DraftStore) -> None:
    kept = upkeep(store)
    kept.take_token("draft:old", 1.0, 1, NOW)
    kept.take_token("draft:new", 1.0, 1, NOW + 10 * S_US)
    kept.take_token("client:old", 1.0, 1, NOW)
    kept.take_token("draft_x:old", 1.0, 1, NOW)

    assert kept.forget_rate_buckets("draft:", NOW + S_US) == 1

    assert kept.take_token("draft:old", 1.0, 1, NOW + S_US) == 0
    assert kept.take_token("draft:new", 1.0, 1, NOW + 10 * S_US) == 1
    assert kept.take_token("client:old", 1.0, 1, NOW) == 1


@pytest.mark.parametrize("jobs_made", [0, 3])
def test_render_job_counts_by_status(store: DraftStore, jobs_made: int) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    store.append_track(draft.id, audio_track("t1"), NOW)
    assert isinstance(store, JobStore)
    for version in range(1, jobs_made + 1):
        save(store, draft.id)
        store.create_render_job(draft.id, version, None, NOW)
        store.append_track(draft.id, audio_track(f"t{version + 1}"), NOW)
    if jobs_made:
        store.claim_render_job("w", NOW, S_US, 3)

    counts = upkeep(store).render_job_counts()

    assert counts == ({"pending": 2, "processing": 1} if jobs_made else {})
