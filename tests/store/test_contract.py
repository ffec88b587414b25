"""The DraftStore contract, run against every adapter: what one caller at a time observes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace

import pytest

from draftsmith.chunks import joined, whole
from draftsmith.errors import (
    Conflict,
    DraftNotFound,
    NoSavedVersion,
    NotFound,
    SaveFailed,
    VersionNotFound,
)
from draftsmith.store.port import DraftStore
from draftsmith.store.records import DraftHeader, FileEntry, SaveOutcome
from draftsmith.timeline.model import Canvas, Draft, Media, MediaKind

from .builders import CREATED_AT_US, IMAGE, S, new_draft, sample_tracks, text_track, video_track

NOW = 1_763_900_000_000_000
CONTENT_CHUNKS = (*whole(b'{"tracks":'), *whole(b"[]}"))
CONTENT = joined(CONTENT_CHUNKS)
CONTENT_SHA = hashlib.sha256(CONTENT).hexdigest()
FILES = (
    FileEntry("draft_content.json", CONTENT_SHA, len(CONTENT), in_store=True),
    FileEntry("x/y.mp4", "e" * 64, 9),
)


def save(store: DraftStore, draft_id: str, *, keep: int = 0, at: int = NOW) -> SaveOutcome:
    """Publish the current state, the way the service does."""
    header, draft = store.load(draft_id)
    return store.add_version(
        draft_id,
        revision=header.revision,
        snapshot=draft,
        files=FILES,
        contents={CONTENT_SHA: CONTENT_CHUNKS},
        label=f"at revision {header.revision}",
        keep_versions=keep,
        now_us=at,
    )


def test_create_draft_starts_empty_at_revision_zero(store: DraftStore) -> None:
    draft = new_draft()

    header = store.create_draft(draft, NOW)

    assert header == DraftHeader(
        id=draft.id,
        name=draft.name,
        canvas=Canvas(1080, 1920, 25),
        created_at_us=CREATED_AT_US,
        updated_at_us=NOW,
        revision=0,
        saved_version=0,
        saved_revision=0,
        saved_at_us=None,
        segment_count=0,
        duration_us=0,
    )
    assert store.header(draft.id) == header
    assert store.load(draft.id) == (header, draft)


def test_load_gives_back_the_tracks_stored(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    tracks = sample_tracks()

    for track in tracks:
        store.append_track(draft.id, track, NOW + 1)

    header, loaded = store.load(draft.id)
    assert loaded == replace(draft, tracks=tracks)
    assert header == store.header(draft.id)
    assert (header.revision, header.segment_count, header.duration_us) == (3, 5, 7 * S)


def test_creating_an_existing_id_fails_and_keeps_the_draft(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    store.append_track(draft.id, text_track("t1"), NOW + 1)
    before = store.load(draft.id)

    with pytest.raises(SaveFailed):
        store.create_draft(replace(draft, name="other"), NOW + 2)

    assert store.load(draft.id) == before


UNKNOWN = "dft_missing"
OPERATIONS_ON_A_DRAFT: dict[str, Callable[[DraftStore], object]] = {
    "header": lambda s: s.header(UNKNOWN),
    "load": lambda s: s.load(UNKNOWN),
    "append_track": lambda s: s.append_track(UNKNOWN, text_track("t"), NOW),
    "replace_tracks": lambda s: s.replace_tracks(UNKNOWN, sample_tracks(), 0, NOW),
    "add_version": lambda s: s.add_version(
        UNKNOWN,
        revision=1,
        snapshot=new_draft(UNKNOWN),
        files=(),
        contents={},
        label=None,
        keep_versions=0,
        now_us=NOW,
    ),
    "versions": lambda s: s.versions(UNKNOWN),
    "newest version": lambda s: s.version(UNKNOWN, None),
    "version": lambda s: s.version(UNKNOWN, 1),
    "version_snapshot": lambda s: s.version_snapshot(UNKNOWN, 1),
    "delete_draft": lambda s: s.delete_draft(UNKNOWN),
}


@pytest.mark.parametrize("operation", OPERATIONS_ON_A_DRAFT.values(), ids=OPERATIONS_ON_A_DRAFT)
def test_unknown_draft_is_not_found(
    store: DraftStore, operation: Callable[[DraftStore], object]
) -> None:
    store.create_draft(new_draft("dft_other"), NOW)

    with pytest.raises(DraftNotFound):
        operation(store)

    assert [h.id for h in store.list_drafts(limit=10, offset=0, query=None)] == ["dft_other"]


def test_append_track_stacks_on_top_and_bumps_the_header(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)

    first = store.append_track(draft.id, video_track("v1"), NOW + 10)
    second = store.append_track(draft.id, text_track("t1", start_us=S), NOW + 20)
    third = store.append_track(draft.id, text_track("t2"), NOW + 30)

    assert [(h.revision, h.segment_count, h.duration_us) for h in (first, second, third)] == [
        (1, 2, 5 * S),
        (2, 4, 8 * S),
        (3, 6, 8 * S),
    ]
    assert third.updated_at_us == NOW + 30
    assert third.created_at_us == CREATED_AT_US
    assert [t.id for t in store.load(draft.id)[1].tracks] == ["v1", "t1", "t2"]


def test_replace_tracks_replaces_everything_at_the_expected_revision(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    store.append_track(draft.id, video_track("old"), NOW + 1)
    tracks = (text_track("t1"), video_track("v1"))

    header = store.replace_tracks(draft.id, tracks, 1, NOW + 2)

    assert (header.revision, header.segment_count, header.duration_us) == (2, 4, 7 * S)
    assert header.updated_at_us == NOW + 2
    assert store.load(draft.id) == (header, replace(draft, tracks=tracks))
    emptied = store.replace_tracks(draft.id, (), 2, NOW + 3)
    assert (emptied.revision, emptied.segment_count, emptied.duration_us) == (3, 0, 0)
    assert store.load(draft.id)[1].tracks == ()


def test_replace_tracks_at_a_stale_revision_conflicts_and_changes_nothing(
    store: DraftStore,
) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    store.append_track(draft.id, video_track("v1"), NOW + 1)
    store.append_track(draft.id, text_track("t1"), NOW + 2)
    before = store.load(draft.id)

    with pytest.raises(Conflict):
        store.replace_tracks(draft.id, (text_track("x"),), 1, NOW + 3)

    assert store.load(draft.id) == before


def test_add_version_numbers_versions_one_two_three(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)

    outcomes = []
    for step in range(3):
        store.append_track(draft.id, text_track(f"t{step}"), NOW + step)
        outcomes.append(save(store, draft.id, at=NOW + 100 + step))

    assert [(o.version.version, o.version.revision, o.created) for o in outcomes] == [
        (1, 1, True),
        (2, 2, True),
        (3, 3, True),
    ]
    newest = store.version(draft.id, outcomes[-1].version.version)
    assert (newest.draft_id, newest.created_at_us, newest.label) == (
        draft.id,
        NOW + 102,
        "at revision 3",
    )
    assert (newest.files, newest.segment_count, newest.duration_us) == (FILES, 6, 7 * S)
    header = store.header(draft.id)
    assert (header.saved_version, header.saved_revision, header.saved_at_us) == (3, 3, NOW + 102)
    assert not header.unsaved_changes


def test_saving_an_unchanged_draft_returns_the_existing_version(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    store.append_track(draft.id, text_track("t1"), NOW)
    first = save(store, draft.id, at=NOW + 1)

    again = save(store, draft.id, at=NOW + 2)

    assert again == SaveOutcome(first.version, created=False)
    assert [v.version for v in store.versions(draft.id)] == [1]
    assert store.header(draft.id).saved_at_us == NOW + 1


def test_an_older_revision_saved_after_a_newer_one_returns_the_newest(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    store.append_track(draft.id, text_track("t1"), NOW)
    _, at_one = store.load(draft.id)
    store.append_track(draft.id, text_track("t2"), NOW)
    newest = save(store, draft.id).version

    late = store.add_version(
        draft.id,
        revision=1,
        snapshot=at_one,
        files=(),
        contents={"f" * 64: whole(b"late")},
        label="late",
        keep_versions=0,
        now_us=NOW + 5,
    )

    assert late == SaveOutcome(newest, created=False)
    assert newest.revision == 2
    assert store.versions(draft.id) == [newest]
    with pytest.raises(NotFound):
        store.version_file(draft.id, newest.version, "f" * 64)


def test_a_version_keeps_its_files_contents_with_it(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    store.append_track(draft.id, text_track("t1"), NOW)

    version = store.version(draft.id, save(store, draft.id).version.version)

    assert version.files == FILES
    assert store.version_file(draft.id, version.version, CONTENT_SHA) == CONTENT
    with pytest.raises(NotFound):
        store.version_file(draft.id, version.version, "e" * 64)
    with pytest.raises(NotFound):
        store.version_file(draft.id, version.version + 1, CONTENT_SHA)


def test_pruned_and_deleted_versions_take_their_files_with_them(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    store.append_track(draft.id, text_track("t1"), NOW)
    first = save(store, draft.id, keep=1).version
    store.append_track(draft.id, text_track("t2"), NOW)
    second = save(store, draft.id, keep=1).version

    with pytest.raises(NotFound):
        store.version_file(draft.id, first.version, CONTENT_SHA)
    assert store.version_file(draft.id, second.version, CONTENT_SHA) == CONTENT
    store.delete_draft(draft.id)
    with pytest.raises(NotFound):
        store.version_file(draft.id, second.version, CONTENT_SHA)


def test_keep_versions_prunes_old_versions_never_the_newest(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    for step in range(4):
        store.append_track(draft.id, text_track(f"t{step}"), NOW)
        save(store, draft.id, keep=0)
    assert [v.version for v in store.versions(draft.id)] == [1, 2, 3, 4]

    store.append_track(draft.id, text_track("t4"), NOW)
    save(store, draft.id, keep=2)
    assert [v.version for v in store.versions(draft.id)] == [4, 5]

    store.append_track(draft.id, text_track("t5"), NOW)
    kept = save(store, draft.id, keep=1).version
    assert store.versions(draft.id) == [kept]
    assert store.version(draft.id, None) == kept
    assert save(store, draft.id, keep=1) == SaveOutcome(kept, created=False)


def test_version_lookups(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    assert store.versions(draft.id) == []
    with pytest.raises(NoSavedVersion):
        store.version(draft.id, None)
    with pytest.raises(VersionNotFound):
        store.version(draft.id, 1)
    with pytest.raises(VersionNotFound):
        store.version_snapshot(draft.id, 1)

    store.append_track(draft.id, text_track("t1"), NOW)
    one = save(store, draft.id).version
    store.append_track(draft.id, text_track("t2"), NOW)
    two = save(store, draft.id).version

    assert store.versions(draft.id) == [one, two]
    assert store.version(draft.id, None) == two
    assert store.version(draft.id, 1) == one
    with pytest.raises(VersionNotFound):
        store.version(draft.id, 3)
    with pytest.raises(VersionNotFound):
        store.version_snapshot(draft.id, 3)


def test_a_version_snapshot_is_the_draft_as_saved_and_never_changes(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    tracks = sample_tracks()
    store.replace_tracks(draft.id, tracks, 0, NOW)
    _, saved = store.load(draft.id)
    save(store, draft.id)

    store.replace_tracks(draft.id, (text_track("later"),), 1, NOW + 1)
    save(store, draft.id)

    assert saved == replace(draft, tracks=tracks)
    assert store.version_snapshot(draft.id, 1) == saved
    assert store.version_snapshot(draft.id, 2).tracks == (text_track("later"),)


def _create_at(store: DraftStore, draft_id: str, name: str, updated_at_us: int) -> None:
    store.create_draft(new_draft(draft_id, name), updated_at_us)


def test_list_drafts_puts_the_most_recently_changed_first(store: DraftStore) -> None:
    _create_at(store, "dft_a", "A", NOW + 1)
    _create_at(store, "dft_b", "B", NOW + 2)
    _create_at(store, "dft_c", "C", NOW + 3)
    _create_at(store, "dft_d", "D", NOW + 3)

    def ids() -> list[str]:
        return [h.id for h in store.list_drafts(limit=10, offset=0, query=None)]

    assert ids() == ["dft_c", "dft_d", "dft_b", "dft_a"]
    store.append_track("dft_a", text_track("t1"), NOW + 4)
    assert ids() == ["dft_a", "dft_c", "dft_d", "dft_b"]
    assert store.list_drafts(limit=1, offset=0, query=None)[0] == store.header("dft_a")


def test_list_drafts_pages(store: DraftStore) -> None:
    for number in range(7):
        _create_at(store, f"dft_{number}", f"draft {number}", NOW + number)

    pages = [
        [h.id for h in store.list_drafts(limit=3, offset=offset, query=None)]
        for offset in (0, 3, 6, 9)
    ]

    assert pages == [["dft_6", "dft_5", "dft_4"], ["dft_3", "dft_2", "dft_1"], ["dft_0"], []]


def test_list_drafts_matches_id_or_name_with_wildcards_taken_literally(
    store: DraftStore,
) -> None:
    _create_at(store, "dft_abc123", "Summer trip", NOW + 1)
    _create_at(store, "dft_abd999", "100% done", NOW + 2)
    _create_at(store, "dft_xyz", "snake_case name", NOW + 3)
    _create_at(store, "dftXabc", "plain", NOW + 4)

    def found(query: str | None) -> list[str]:
        return [h.id for h in store.list_drafts(limit=10, offset=0, query=query)]

    assert found("dft_ab") == ["dft_abd999", "dft_abc123"]
    assert found("dft_abc") == ["dft_abc123"]
    assert found("summer") == ["dft_abc123"]
    assert found("TRIP") == ["dft_abc123"]
    assert found("0% d") == ["dft_abd999"]
    assert found("%") == ["dft_abd999"]
    assert found("e_c") == ["dft_xyz"]
    assert found("_") == ["dft_xyz", "dft_abd999", "dft_abc123"]
    assert found("\\") == []
    assert found("nothing like it") == []
    assert found("") == found(None) == ["dftXabc", "dft_xyz", "dft_abd999", "dft_abc123"]


def test_delete_draft_removes_it_with_its_tracks_and_versions(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)
    store.create_draft(new_draft("dft_kept"), NOW)
    store.append_track(draft.id, video_track("v1"), NOW)
    save(store, draft.id)

    store.delete_draft(draft.id)

    with pytest.raises(DraftNotFound):
        store.header(draft.id)
    assert [h.id for h in store.list_drafts(limit=10, offset=0, query=None)] == ["dft_kept"]
    store.create_draft(draft, NOW + 1)
    assert store.load(draft.id)[1].tracks == ()
    assert store.versions(draft.id) == []
    with pytest.raises(VersionNotFound):
        store.version_snapshot(draft.id, 1)


def test_remember_media_and_media_for_url(store: DraftStore) -> None:
    url = "https://example.com/still.png?x=1"
    assert store.media_for_url(url) is None

    store.remember_media(url, IMAGE)
    assert store.media_for_url(url) == IMAGE
    assert store.media_for_url("https://example.com/still.png") is None

    replaced = Media("f" * 64, MediaKind.VIDEO, "mp4", 5, 2 * S, 10, 20, has_audio=True)
    store.remember_media(url, replaced)
    assert store.media_for_url(url) == replaced


def test_ping_answers_when_the_store_is_up(store: DraftStore) -> None:
    store.ping()


def test_an_untouched_draft_value_round_trips(store: DraftStore) -> None:
    draft = Draft("dft_unicode", '草稿 ✓ "quoted"', Canvas(), 0)

    store.create_draft(draft, 0)

    assert store.load(draft.id)[1] == draft


def test_a_drafts_profile_stays_with_it_and_its_versions(store: DraftStore) -> None:
    draft = replace(new_draft(), profile="capcut")

    assert store.create_draft(draft, NOW).profile == "capcut"
    store.append_track(draft.id, text_track("t1"), NOW + 1)
    save(store, draft.id)
    store.replace_tracks(draft.id, (), 1, NOW + 2)

    header, loaded = store.load(draft.id)
    assert (header.profile, loaded.profile) == ("capcut", "capcut")
    assert store.header(draft.id).profile == "capcut"
    assert store.version_snapshot(draft.id, 1).profile == "capcut"
    assert [h.profile for h in store.list_drafts(limit=5, offset=0, query=None)] == ["capcut"]
    assert store.create_draft(new_draft("dft_two"), NOW).profile == "all"
