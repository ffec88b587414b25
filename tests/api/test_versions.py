"""Saved versions: numbered, immutable, listed, downloadable, restorable, pruned when told."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

from draft_oracle import load_summary
from support.api import SECOND, Api, ApiOpener, relative_path
from support.downloads import draft_id_of, unzip_draft
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess

TICK = 0.01
"""Timestamps have millisecond resolution: sleep this long to make "later" strict."""


def when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def content_bytes(api: Api, draft_id: str, version: int) -> bytes:
    files = api.get_draft(draft_id, version)["files"]
    [url] = [u for u in files if relative_path(u, draft_id) == "draft_content.json"]
    return api.file_bytes(url)


def test_info_fields_follow_edits_and_saves(api: Api) -> None:
    draft_url = api.create_draft()
    created = api.info(draft_url)
    assert created["current_version"] == 0
    assert created["last_saved_version"] is None
    assert created["unsaved_changes"] is False
    assert created["last_saved_at"] is None
    assert created["created_at"] == created["updated_at"]
    assert (created["segment_count"], created["track_count"], created["duration"]) == (0, 0, 0)

    time.sleep(TICK)
    api.add_caption(draft_url, "one", 0, 2 * SECOND)
    edited = api.info(draft_url)
    assert edited["current_version"] == 1
    assert edited["unsaved_changes"] is True
    assert edited["last_saved_version"] is None
    assert edited["created_at"] == created["created_at"]
    assert when(edited["updated_at"]) > when(created["updated_at"])
    assert (edited["segment_count"], edited["track_count"], edited["duration"]) == (
        1,
        1,
        2 * SECOND,
    )

    time.sleep(TICK)
    saved = api.save(draft_url)
    assert (saved["version"], saved["created"], saved["current_version"]) == (1, True, 1)
    after_save = api.info(draft_url)
    assert after_save["current_version"] == 1, "saving publishes; it is not an edit"
    assert after_save["last_saved_version"] == 1
    assert after_save["unsaved_changes"] is False
    assert after_save["updated_at"] == edited["updated_at"]
    assert when(after_save["last_saved_at"]) > when(edited["updated_at"])

    time.sleep(TICK)
    again = api.save(draft_url)
    assert (again["version"], again["created"]) == (1, False)
    assert api.info(draft_url) == after_save
    assert len(api.versions(draft_url)) == 1

    time.sleep(TICK)
    api.add_caption(draft_url, "two", 2 * SECOND, 3 * SECOND)
    edited_again = api.info(draft_url)
    assert (edited_again["current_version"], edited_again["last_saved_version"]) == (2, 1)
    assert edited_again["unsaved_changes"] is True
    assert edited_again["last_saved_at"] == after_save["last_saved_at"]
    assert when(edited_again["updated_at"]) > when(after_save["last_saved_at"])

    second = api.save(draft_url, label="second cut")
    assert (second["version"], second["created"], second["current_version"]) == (2, True, 2)
    final = api.info(draft_url)
    assert (final["last_saved_version"], final["unsaved_changes"]) == (2, False)
    assert when(final["last_saved_at"]) > when(after_save["last_saved_at"])


def test_list_get_and_download_each_version(
    api: Api,
    media_server: MediaServer,
    standard_media: StandardMedia,
    tmp_path: Path,
) -> None:
    draft_url = api.create_draft()
    draft_id = draft_id_of(draft_url)
    api.add_video(draft_url, media_server.url(standard_media.bars.name), 0, 3 * SECOND)
    api.save(draft_url, label="video only")
    api.add_caption(draft_url, "with a caption")
    api.save(draft_url)

    versions = api.versions(draft_url)
    assert [(v["version"], v["current_version"], v["label"]) for v in versions] == [
        (1, 1, "video only"),
        (2, 2, None),
    ]
    assert [(v["segment_count"], v["duration"]) for v in versions] == [
        (1, 3 * SECOND),
        (2, 3 * SECOND),
    ]
    assert [v["file_count"] for v in versions] == [4, 4]
    assert when(versions[0]["created_at"]) <= when(versions[1]["created_at"])

    assert api.get_draft(draft_id)["version"] == 2
    first = api.get_draft(draft_id, 1)
    assert first["version"] == 1
    assert all("/draft_files/v1/" in url for url in first["files"])

    one = load_summary(api.download_folder(draft_id, tmp_path / "v1", version=1))
    two = load_summary(api.download_folder(draft_id, tmp_path / "v2", version=2))
    assert [kind for kind, _ in one.tracks] == ["video"]
    assert [kind for kind, _ in two.tracks] == ["video", "text"]
    assert two.captions == ["with a caption"]

    for version, expected in [(1, one), (2, two)]:
        response = api.http.get(
            api.url("download_draft"), params={"draft_id": draft_id, "version": version}
        )
        assert response.status_code == 200, response.text
        assert f"-v{version}.zip" in response.headers["content-disposition"]
        root = tmp_path / f"zip{version}"
        unzip_draft(response.content, root)
        assert load_summary(root / draft_id) == expected
    posted = api.http.post(api.url("download_draft"), json={"draft_url": draft_url, "version": 1})
    assert posted.status_code == 200, posted.text
    unzip_draft(posted.content, tmp_path / "posted")
    assert load_summary(tmp_path / "posted" / draft_id) == one


def test_restore_makes_a_new_version_and_never_rewrites_history(
    api: Api,
    media_server: MediaServer,
    standard_media: StandardMedia,
    tmp_path: Path,
) -> None:
    draft_url = api.create_draft()
    draft_id = draft_id_of(draft_url)
    api.add_video(draft_url, media_server.url(standard_media.red.name), 0, 2 * SECOND)
    api.add_caption(draft_url, "first take")
    api.save(draft_url)
    api.add_caption(draft_url, "second take", SECOND, 2 * SECOND)
    api.save(draft_url)
    api.add_caption(draft_url, "unsaved, about to be replaced", 0, SECOND)
    history = {version: content_bytes(api, draft_id, version) for version in (1, 2)}
    revision = api.info(draft_url)["current_version"]

    restored = api.ok("restore_version", {"draft_url": draft_url, "version": 1})
    assert (restored["version"], restored["restored_from"]) == (3, 1)

    versions = api.versions(draft_url)
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[2]["label"] == "restored from version 1"
    assert {version: content_bytes(api, draft_id, version) for version in (1, 2)} == history
    info = api.info(draft_url)
    assert info["current_version"] == revision + 1
    assert (info["last_saved_version"], info["unsaved_changes"]) == (3, False)
    texts = [s["text"] for t in info["tracks"] if t["type"] == "text" for s in t["segments"]]
    assert texts == ["first take"]

    one = load_summary(api.download_folder(draft_id, tmp_path / "v1", version=1))
    three = load_summary(api.download_folder(draft_id, tmp_path / "v3", version=3))
    two = load_summary(api.download_folder(draft_id, tmp_path / "v2", version=2))
    assert three == one
    assert three != two

    # Editing after a restore builds on the restored state.
    api.add_caption(draft_url, "after restore", SECOND, 2 * SECOND)
    four = api.save(draft_url)
    assert four["version"] == 4
    assert load_summary(api.download_folder(draft_id, tmp_path / "v4", 4)).captions == [
        "first take",
        "after restore",
    ]


def test_keep_versions_prunes_old_but_never_the_newest(tmp_path: Path, apis: ApiOpener) -> None:
    env = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1", "DRAFTSMITH_KEEP_VERSIONS": "2"}
    with ServerProcess(tmp_path / "data", env=env) as server:
        api = apis(server.base_url)
        draft_url = api.create_draft()
        draft_id = draft_id_of(draft_url)
        kept: dict[int, bytes] = {}
        for number in range(1, 5):
            api.add_caption(draft_url, f"caption {number}", number * SECOND, (number + 1) * SECOND)
            assert api.save(draft_url)["version"] == number
            kept[number] = content_bytes(api, draft_id, number)
            listed = [v["version"] for v in api.versions(draft_url)]
            assert listed == list(range(max(1, number - 1), number + 1))

        assert [v["version"] for v in api.versions(draft_url)] == [3, 4]
        for gone in (1, 2):
            response = api.http.get(
                api.url("get_draft"), params={"draft_id": draft_id, "version": gone}
            )
            assert response.status_code == 404, response.text
        assert api.get_draft(draft_id)["version"] == 4
        assert content_bytes(api, draft_id, 3) == kept[3]
        assert content_bytes(api, draft_id, 4) == kept[4]
        # An unchanged save keeps the newest; it does not prune it or number a new one.
        unchanged = api.save(draft_url)
        assert (unchanged["version"], unchanged["created"]) == (4, False)
        assert [v["version"] for v in api.versions(draft_url)] == [3, 4]
        info: dict[str, Any] = api.info(draft_url)
        assert (info["last_saved_version"], info["unsaved_changes"]) == (4, False)


def test_restore_of_pruned_version_is_404(tmp_path: Path, apis: ApiOpener) -> None:
    env = {"DRAFTSMITH_KEEP_VERSIONS": "1"}
    with ServerProcess(tmp_path / "data", env=env) as server:
        api = apis(server.base_url)
        draft_url = api.create_draft()
        api.add_caption(draft_url, "a")
        api.save(draft_url)
        api.add_caption(draft_url, "b", SECOND, 2 * SECOND)
        api.save(draft_url)
        api.add_caption(draft_url, "c", 2 * SECOND, 3 * SECOND)
        api.save(draft_url)
        before = api.info(draft_url)
        assert [v["version"] for v in api.versions(draft_url)] == [3]
        for version in (1, 2):
            response = api.post("restore_version", {"draft_url": draft_url, "version": version})
            assert response.status_code == 404, response.text
            assert f"Version {version}" in response.json()["detail"]
        assert api.info(draft_url) == before
