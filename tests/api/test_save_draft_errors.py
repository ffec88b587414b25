"""save_draft answers every row of the error table in API.md with its exact status and detail."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.exceptions import StarletteDeprecationWarning

from draftsmith.bootstrap import http_app
from draftsmith.config import Settings
from draftsmith.store.sqlite import SqliteDraftStore
from support.api import API_PREFIX, SECOND, Api, ApiOpener
from support.downloads import draft_id_of
from support.faulty_store import FaultyStore
from support.media_server import MediaServer
from support.server import ServerProcess
from support.small_disk import fill_up, mounted_tmpfs

with warnings.catch_warnings():
    # Starlette would rather drive its TestClient with httpx2; httpx is what this project has.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

ALLOW_PRIVATE = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1"}
GOOD_ID = "20260101000000" + "0123456789abcdef"
GOOD_URL = f"http://example.com{API_PREFIX}/get_draft?draft_id={GOOD_ID}"


def assert_error(response: httpx.Response, status: int, detail: str) -> None:
    assert (response.status_code, response.json().get("detail")) == (status, detail), response.text
    assert "code" in response.json()


def assert_saved(response: httpx.Response, draft_url: str) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    assert data["draft_url"] == draft_url
    assert data["code"] == 0
    assert data["message"] == "success"
    assert isinstance(data["version"], int)
    return data


# --- 400 draft_url is required ------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [{}, {"draft_url": None}, {"draft_url": ""}, {"draft_url": "   "}, {"label": "x"}],
    ids=["missing", "null", "empty", "blank", "other-fields-only"],
)
def test_missing_draft_url_is_required(api: Api, body: dict[str, Any]) -> None:
    assert_error(api.post("save_draft", body), 400, "draft_url is required")


@pytest.mark.parametrize("content", [b"", b"null"], ids=["no-body", "json-null"])
def test_no_body_is_draft_url_required(api: Api, content: bytes) -> None:
    response = api.http.post(api.url("save_draft"), content=content)
    assert_error(response, 400, "draft_url is required")


# --- 400 Invalid draft_url format -----------------------------------------------------------

PREFIX = f"http://example.com{API_PREFIX}/get_draft"
MALFORMED: dict[str, object] = {
    "not-a-url": "hello",
    "bare-id": GOOD_ID,
    "ftp": f"ftp://example.com{API_PREFIX}/get_draft?draft_id={GOOD_ID}",
    "file": f"file:///{API_PREFIX}/get_draft?draft_id={GOOD_ID}",
    "javascript": f"javascript:alert(1)//get_draft?draft_id={GOOD_ID}",
    "no-host": f"http:{API_PREFIX}/get_draft?draft_id={GOOD_ID}",
    "empty-host": f"http:///get_draft?draft_id={GOOD_ID}",
    "no-scheme": f"example.com{API_PREFIX}/get_draft?draft_id={GOOD_ID}",
    "path-not-get-draft": f"http://example.com{API_PREFIX}/save_draft?draft_id={GOOD_ID}",
    "path-get-draft-prefix": f"http://example.com{API_PREFIX}/get_draft/x?draft_id={GOOD_ID}",
    "path-get-drafts": f"http://example.com{API_PREFIX}/get_drafts?draft_id={GOOD_ID}",
    "no-query": PREFIX,
    "no-draft-id": f"{PREFIX}?id={GOOD_ID}",
    "two-draft-ids": f"{PREFIX}?draft_id={GOOD_ID}&draft_id={GOOD_ID}",
    "empty-id": f"{PREFIX}?draft_id=",
    "traversal": f"{PREFIX}?draft_id=../../etc/passwd",
    "encoded-traversal": f"{PREFIX}?draft_id=%2e%2e%2f",
    "half-encoded-traversal": f"{PREFIX}?draft_id=..%2f..%2f",
    "traversal-after-id": f"{PREFIX}?draft_id={GOOD_ID}/../../x",
    "absolute-path": f"{PREFIX}?draft_id=/etc/passwd",
    "too-short": f"{PREFIX}?draft_id=abc123",
    "overlong-33": f"{PREFIX}?draft_id={'A' * 33}",
    "overlong-own-style": f"{PREFIX}?draft_id=20260101000000{'a' * 33}",
    "overlong-5000": f"{PREFIX}?draft_id={'a' * 5000}",
    "dot": f"{PREFIX}?draft_id={GOOD_ID}.json",
    "percent": f"{PREFIX}?draft_id={GOOD_ID}%",
    "percent-encoded-percent": f"{PREFIX}?draft_id={GOOD_ID}%25",
    "space": f"{PREFIX}?draft_id={GOOD_ID[:20]}%20{GOOD_ID[20:]}",
    "plus-space": f"{PREFIX}?draft_id={GOOD_ID[:20]}+{GOOD_ID[20:]}",
    "unicode": f"{PREFIX}?draft_id={GOOD_ID[:20]}草稿{GOOD_ID[22:]}",
    "unicode-digits": f"{PREFIX}?draft_id={'٠' * 14}{'a' * 16}",
    "nul": f"{PREFIX}?draft_id={GOOD_ID}%00",
    "newline": f"{PREFIX}?draft_id={GOOD_ID}%0a",
    "underscore": f"{PREFIX}?draft_id={GOOD_ID[:20]}_{GOOD_ID[21:]}",
    "sql": f"{PREFIX}?draft_id={GOOD_ID}'%20OR%20'1'='1",
    "int": 123,
    "float": 1.5,
    "true": True,
    "list": [],
    "list-of-url": [GOOD_URL],
    "object": {},
}


@pytest.mark.parametrize("draft_url", list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_draft_url_is_invalid_format(api: Api, draft_url: object) -> None:
    assert_error(api.post("save_draft", {"draft_url": draft_url}), 400, "Invalid draft_url format")


def test_host_does_not_matter_only_path_and_id(api: Api) -> None:
    """The host may be a proxy's: a draft_url naming another host still names the draft."""
    draft_url = api.create_draft()
    api.add_caption(draft_url, "hello")
    elsewhere = (
        f"https://proxy.example:8443/some/prefix/get_draft?draft_id={draft_id_of(draft_url)}"
    )
    saved = assert_saved(api.post("save_draft", {"draft_url": elsewhere}), elsewhere)
    assert saved["version"] == 1
    assert api.info(draft_url)["last_saved_version"] == 1


# --- 404 Draft does not exist ---------------------------------------------------------------


@pytest.mark.parametrize(
    "draft_id",
    [GOOD_ID, "20260101000000" + "f" * 32, "2025092811473036584258", "AbCdEfGhIjKlMnOpQrSt"],
    ids=["own-style", "own-style-long", "capcut-mate-digits", "capcut-mate-alnum-20"],
)
def test_unknown_draft_does_not_exist(api: Api, draft_id: str) -> None:
    draft_url = f"{api.base_url}{API_PREFIX}/get_draft?draft_id={draft_id}"
    assert_error(api.post("save_draft", {"draft_url": draft_url}), 404, "Draft does not exist")


def test_deleted_draft_does_not_exist(api: Api) -> None:
    draft_url = api.create_draft()
    api.add_caption(draft_url, "soon gone")
    api.save(draft_url)
    api.ok("delete_draft", {"draft_url": draft_url})
    assert_error(api.post("save_draft", {"draft_url": draft_url}), 404, "Draft does not exist")
    assert_error(api.post("get_draft_info", {"draft_url": draft_url}), 404, "Draft does not exist")


# --- 409 Draft was modified -----------------------------------------------------------------


def test_stale_expected_version_is_draft_was_modified(api: Api) -> None:
    draft_url = api.create_draft()
    seen = api.add_caption(draft_url, "first").current_version
    api.add_caption(draft_url, "second", SECOND, 2 * SECOND)
    current = api.info(draft_url)["current_version"]
    assert current == seen + 1
    stale = api.post("save_draft", {"draft_url": draft_url, "expected_version": seen})
    assert_error(stale, 409, "Draft was modified")
    assert api.versions(draft_url) == []
    assert api.info(draft_url)["unsaved_changes"] is True
    fresh = api.post("save_draft", {"draft_url": draft_url, "expected_version": current})
    assert assert_saved(fresh, draft_url)["version"] == 1
    # Once saved, a stale expectation is still refused even though nothing is left to save.
    stale_again = api.post("save_draft", {"draft_url": draft_url, "expected_version": seen})
    assert_error(stale_again, 409, "Draft was modified")


# --- 200 --------------------------------------------------------------------------------------


def test_success_response(api: Api) -> None:
    draft_url = api.create_draft()
    api.add_caption(draft_url, "saved")
    data = assert_saved(api.post("save_draft", {"draft_url": draft_url}), draft_url)
    assert data["version"] == 1
    assert data["created"] is True


# --- 429 Too many requests --------------------------------------------------------------------


def test_save_too_often_is_too_many_requests(tmp_path: Path, apis: ApiOpener) -> None:
    env = {
        **ALLOW_PRIVATE,
        "DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0.01",
        "DRAFTSMITH_RATE_BURST": "1",
        "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0",
    }
    with ServerProcess(tmp_path / "data", env=env) as server:
        api = apis(server.base_url)
        draft_url = api.create_draft()
        api.add_caption(draft_url, "one")
        assert (
            assert_saved(api.post("save_draft", {"draft_url": draft_url}), draft_url)["version"]
            == 1
        )
        api.add_caption(draft_url, "two", SECOND, 2 * SECOND)
        before = api.versions(draft_url)
        limited = api.post("save_draft", {"draft_url": draft_url})
        assert_error(limited, 429, "Too many requests")
        assert int(limited.headers["Retry-After"]) >= 1
        assert api.versions(draft_url) == before
        info = api.info(draft_url)
        assert (info["last_saved_version"], info["unsaved_changes"]) == (1, True)
        # The limit is per draft: another draft saves at once.
        other = api.create_draft()
        api.add_caption(other, "other")
        assert_saved(api.post("save_draft", {"draft_url": other}), other)


# --- 503 Service unavailable ------------------------------------------------------------------


def test_maintenance_mode_is_service_unavailable(
    tmp_path: Path, apis: ApiOpener, media_server_url: str
) -> None:
    with ServerProcess(tmp_path / "data", env=ALLOW_PRIVATE) as server:
        api = apis(server.base_url)
        draft_url = api.create_draft()
        api.add_caption(draft_url, "before maintenance")
        api.save(draft_url)
        api.add_caption(draft_url, "unsaved", SECOND, 2 * SECOND)
        server.restart(env={"DRAFTSMITH_MAINTENANCE": "1"})
        info_before = api.info(draft_url)

        response = api.post("save_draft", {"draft_url": draft_url})
        assert_error(response, 503, "Service unavailable")
        assert int(response.headers["Retry-After"]) >= 1

        writes: list[tuple[str, dict[str, Any]]] = [
            ("create_draft", {"width": 1280, "height": 720}),
            (
                "add_videos",
                {
                    "draft_url": draft_url,
                    "video_infos": [{"video_url": media_server_url, "start": 0, "end": SECOND}],
                },
            ),
            (
                "add_audios",
                {
                    "draft_url": draft_url,
                    "audio_infos": [{"audio_url": media_server_url, "start": 0, "end": SECOND}],
                },
            ),
            (
                "add_images",
                {
                    "draft_url": draft_url,
                    "image_infos": [{"image_url": media_server_url, "start": 0, "end": SECOND}],
                },
            ),
            (
                "add_captions",
                {"draft_url": draft_url, "captions": [{"text": "x", "start": 0, "end": 1}]},
            ),
        ]
        for verb, body in writes:
            refused = api.post(verb, body)
            assert_error(refused, 503, "Service unavailable")
            assert "Retry-After" in refused.headers, verb
        # Reads keep working, and nothing changed.
        assert api.info(draft_url) == info_before
        assert api.get_draft(draft_id_of(draft_url))["version"] == 1


@pytest.fixture
def media_server_url(media_server: MediaServer) -> str:
    return media_server.url("bars.mp4")


# --- 500 Save failed: through the store port ---------------------------------------------------


def latest_content(client: TestClient, draft_id: str) -> tuple[int, bytes]:
    listed = client.get(f"{API_PREFIX}/get_draft", params={"draft_id": draft_id})
    assert listed.status_code == 200, listed.text
    urls = [u for u in listed.json()["files"] if u.endswith("/draft_content.json")]
    assert len(urls) == 1
    # The URL names the configured public host; the test client routes any host to the app.
    content = client.get(urls[0])
    assert content.status_code == 200, content.text
    return int(listed.json()["version"]), content.content


def test_store_failure_is_save_failed_and_keeps_the_last_version(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", allow_private_urls=True)
    store = FaultyStore(SqliteDraftStore(settings.sqlite_path()))
    app = http_app(settings, store=store.as_store(), keys=store.inner)
    # The app answers only the hosts it trusts (web/browser_guard.py): loopback here.
    with TestClient(app, base_url="http://127.0.0.1") as client:
        created = client.post(f"{API_PREFIX}/create_draft", json={"width": 640, "height": 360})
        draft_url = created.json()["draft_url"]
        draft_id = draft_id_of(draft_url)

        def caption(text: str, start: int) -> None:
            body = {
                "draft_url": draft_url,
                "captions": [{"text": text, "start": start, "end": start + SECOND}],
            }
            assert client.post(f"{API_PREFIX}/add_captions", json=body).status_code == 200

        caption("kept", 0)
        first = client.post(f"{API_PREFIX}/save_draft", json={"draft_url": draft_url})
        assert first.status_code == 200, first.text
        version, content = latest_content(client, draft_id)
        assert version == 1
        caption("lost?", SECOND)

        store.failing = {"add_version"}
        failed = client.post(f"{API_PREFIX}/save_draft", json={"draft_url": draft_url})
        assert (failed.status_code, failed.json()["detail"]) == (500, "Save failed")
        assert "Traceback" not in failed.text
        assert latest_content(client, draft_id) == (1, content)
        versions = client.post(f"{API_PREFIX}/list_versions", json={"draft_url": draft_url})
        assert [v["version"] for v in versions.json()["versions"]] == [1]
        info = client.post(f"{API_PREFIX}/get_draft_info", json={"draft_url": draft_url}).json()
        assert (info["last_saved_version"], info["unsaved_changes"]) == (1, True)
        assert info["segment_count"] == 2, "the unsaved edit survives a failed save"

        store.failing = set()
        retried = client.post(f"{API_PREFIX}/save_draft", json={"draft_url": draft_url})
        assert (retried.status_code, retried.json()["version"]) == (200, 2)
        assert latest_content(client, draft_id)[1] != content


# --- 500 Save failed: a full disk, for real ---------------------------------------------------

TMPFS_BYTES = 8 * 1024 * 1024


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A freshly mounted 8 MiB tmpfs; skipped only where mounting is not permitted."""
    with mounted_tmpfs(tmp_path / "disk", f"size={TMPFS_BYTES},mode=0755") as mount_point:
        yield mount_point


def test_full_disk_is_save_failed_and_keeps_the_last_version(
    tmp_path: Path, small_disk: Path, apis: ApiOpener
) -> None:
    # The log stays off the small disk; --data-dir given last wins.
    with ServerProcess(
        tmp_path / "logs", env=ALLOW_PRIVATE, args=["--data-dir", str(small_disk)]
    ) as server:
        api = apis(server.base_url)
        draft_url = api.create_draft()
        draft_id = draft_id_of(draft_url)
        api.add_caption(draft_url, "saved before the disk filled up")
        assert api.save(draft_url)["version"] == 1
        files = api.get_draft(draft_id)["files"]
        originals = {url: api.file_bytes(url) for url in files}
        assert (small_disk / "draftsmith.sqlite3").is_file(), "the server is not using the disk"
        api.add_caption(draft_url, "unsaved edit", SECOND, 2 * SECOND)

        filler = fill_up(small_disk)
        assert os.statvfs(small_disk).f_bavail == 0
        try:
            late = api.post(
                "add_captions",
                {
                    "draft_url": draft_url,
                    "captions": [{"text": "while full", "start": 0, "end": SECOND}],
                },
            )
            if late.status_code != 200:
                assert_error(late, 500, "Save failed")
            assert_error(api.post("save_draft", {"draft_url": draft_url}), 500, "Save failed")
            # Reads still work on a full disk, and show the last good version.
            assert api.get_draft(draft_id)["files"] == files
            assert {url: api.file_bytes(url) for url in files} == originals
        finally:
            filler.unlink()

        assert [v["version"] for v in api.versions(draft_url)] == [1]
        assert api.get_draft(draft_id)["version"] == 1
        assert {url: api.file_bytes(url) for url in files} == originals
        info = api.info(draft_url)
        assert (info["last_saved_version"], info["unsaved_changes"]) == (1, True)
        # With space again, the same draft saves.
        assert api.save(draft_url)["version"] == 2
