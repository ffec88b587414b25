"""A store that fails mid-write leaves the last good state intact, and says so with the right
status: 500 `Save failed` when a write fails, 503 `Service unavailable` with Retry-After when
the store cannot be reached.

The first tests switch faults on through the DraftStore port (a wrapper around the real SQLite
store, in process). The last one fills a real disk: a tmpfs mounted as the data directory of a
real server.
"""

from __future__ import annotations

import os
import sqlite3
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import httpx
import pytest
from starlette.exceptions import StarletteDeprecationWarning

from draftsmith.bootstrap import http_app
from draftsmith.config import Settings
from draftsmith.store.sqlite import SqliteDraftStore
from durability.conftest import load_version
from support.api import API_PREFIX, Api, caption_texts
from support.faulty_store import FaultyStore
from support.server import ServerProcess
from support.small_disk import fill_up, mounted_tmpfs

with warnings.catch_warnings():
    # Starlette would rather drive its TestClient with httpx2; httpx is what this project has.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


@pytest.fixture
def faulty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FaultyStore:
    for name in list(os.environ):
        if name.startswith("DRAFTSMITH_"):
            monkeypatch.delenv(name)
    return FaultyStore(SqliteDraftStore(tmp_path / "draftsmith.sqlite3"))


@pytest.fixture
def client(tmp_path: Path, faulty: FaultyStore) -> Iterator[Api]:
    settings = Settings(data_dir=tmp_path)
    app = http_app(settings, store=faulty.as_store())
    # The app answers only the hosts it trusts (web/browser_guard.py): loopback here.
    with TestClient(app, base_url="http://127.0.0.1") as http:
        # With httpx2 installed (the mcp SDK brings it) Starlette builds TestClient on it rather
        # than on httpx; both answer alike for what the raw layer of Api does.
        yield Api(http=cast(httpx.Client, http))


def new_draft(client: Api) -> str:
    """create_draft on the raw layer: draftsmith.Client cannot reach an app in a TestClient."""
    return str(client.ok("create_draft", {"width": 1280, "height": 720})["draft_url"])


def assert_save_failed(response: httpx.Response) -> None:
    assert response.status_code == 500, response.text
    assert response.json() == {"detail": "Save failed", "code": "save_failed"}


def test_failed_edit_changes_nothing(client: Api, faulty: FaultyStore) -> None:
    draft_url = new_draft(client)
    assert client.post_captions(draft_url, ["kept"]).status_code == 200
    client.ok("save_draft", {"draft_url": draft_url})
    before = client.info(draft_url)

    faulty.failing = {"append_track"}
    assert_save_failed(client.post_captions(draft_url, ["lost"]))
    assert client.info(draft_url) == before

    faulty.failing = set()
    after = client.post_captions(draft_url, ["next"])
    assert after.status_code == 200, after.text
    assert after.json()["current_version"] == before["current_version"] + 1
    assert caption_texts(client.info(draft_url)) == ["kept", "next"]


def test_failed_save_keeps_the_previous_version(
    client: Api, faulty: FaultyStore, tmp_path: Path
) -> None:
    draft_url = new_draft(client)
    assert client.post_captions(draft_url, ["first"]).status_code == 200
    first = client.ok("save_draft", {"draft_url": draft_url})
    assert first["version"] == 1
    assert client.post_captions(draft_url, ["second"]).status_code == 200
    versions_before = client.versions(draft_url)

    faulty.failing = {"add_version"}
    assert_save_failed(client.post("save_draft", {"draft_url": draft_url}))
    assert client.versions(draft_url) == versions_before
    info = client.info(draft_url)
    assert (info["last_saved_version"], info["unsaved_changes"]) == (1, True), info
    latest = client.http.get(f"{API_PREFIX}/get_draft", params={"draft_id": info["draft_id"]})
    assert latest.json()["version"] == 1, latest.text
    assert load_version(client, draft_url, None, tmp_path / "during").captions == ["first"]

    faulty.failing = set()
    second = client.ok("save_draft", {"draft_url": draft_url})
    assert (second["version"], second["created"]) == (2, True), second
    assert [v["version"] for v in client.versions(draft_url)] == [1, 2]
    assert load_version(client, draft_url, 1, tmp_path / "after").captions == ["first"]
    assert load_version(client, draft_url, 2, tmp_path / "after").captions == ["first", "second"]


def test_unreachable_store_answers_503_with_retry_after(client: Api, faulty: FaultyStore) -> None:
    draft_url = new_draft(client)
    assert client.post_captions(draft_url, ["kept"]).status_code == 200
    client.ok("save_draft", {"draft_url": draft_url})
    before = client.info(draft_url)
    draft_id = before["draft_id"]
    body = {"draft_url": draft_url}

    faulty.down = True
    responses = {
        "create_draft": client.post("create_draft", {}),
        "add_captions": client.post_captions(draft_url, ["lost"]),
        "save_draft": client.post("save_draft", {"draft_url": draft_url}),
        "get_draft_info": client.post("get_draft_info", body),
        "list_versions": client.post("list_versions", body),
        "list_drafts": client.post("list_drafts", {}),
        "get_draft": client.http.get(f"{API_PREFIX}/get_draft", params={"draft_id": draft_id}),
        "download_draft": client.http.get(
            f"{API_PREFIX}/download_draft", params={"draft_id": draft_id}
        ),
        "readyz": client.http.get("/readyz"),
    }
    for verb, response in responses.items():
        assert response.status_code == 503, (verb, response.status_code, response.text)
        assert response.json()["detail"] == "Service unavailable", (verb, response.text)
        retry_after = response.headers.get("retry-after", "")
        assert retry_after.isdigit() and int(retry_after) >= 1, (verb, response.headers)

    faulty.down = False
    assert client.info(draft_url) == before
    assert client.http.get("/readyz").status_code == 200


# --- a real full disk --------------------------------------------------------------------------

TMPFS_SIZE = "2m"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, mounted for this test only (as root, chmod would not stop writes)."""
    with mounted_tmpfs(tmp_path / "disk", f"size={TMPFS_SIZE}") as mount_point:
        yield mount_point


@pytest.mark.slow
def test_edits_on_a_full_disk_fail_cleanly_and_lose_nothing(
    small_disk: Path, tmp_path: Path
) -> None:
    # (tests/api/test_save_draft_errors.py fills a disk under save_draft; this is the edit path.)
    # click keeps the last --data-dir given: the data goes to the small disk, while the server
    # log stays in tmp_path where a full disk cannot swallow it.
    with (
        ServerProcess(tmp_path / "log", args=["--data-dir", str(small_disk)]) as server,
        Api(server.base_url) as client,
    ):
        draft_url = client.create_draft()
        acked: list[list[str]] = [["one"], ["two"]]
        for texts in acked:
            assert client.post_captions(draft_url, texts).status_code == 200
        assert client.ok("save_draft", {"draft_url": draft_url})["version"] == 1

        filler = fill_up(small_disk)
        failed = 0
        for number in range(6):
            # Several captions in one edit: a half-applied edit would show as a short track.
            texts = [f"full-{number}-{part}" for part in range(number % 3 + 1)]
            response = client.post_captions(draft_url, texts)
            if response.status_code == 200:
                acked.append(texts)
            else:
                assert_save_failed(response)
                failed += 1
            # Reads still work, and show exactly the edits that were acknowledged.
            info = client.info(draft_url)
            assert caption_texts(info) == [text for edit in acked for text in edit]
            assert info["current_version"] == len(acked), info
        assert failed, "no edit failed: the disk was not full, so nothing was tested"

        filler.unlink()
        assert client.post_captions(draft_url, ["after"]).status_code == 200
        acked.append(["after"])
        server.stop()
        database = sqlite3.connect(small_disk / "draftsmith.sqlite3")
        try:
            assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            database.close()

        server.start()
        expected = [text for edit in acked for text in edit]
        info = client.info(draft_url)
        assert caption_texts(info) == expected
        assert info["current_version"] == len(acked), info
        assert client.ok("save_draft", {"draft_url": draft_url})["version"] == 2
        assert load_version(client, draft_url, 1, tmp_path / "after").captions == ["one", "two"]
        assert load_version(client, draft_url, 2, tmp_path / "after").captions == expected
