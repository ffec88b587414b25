"""API keys over HTTP: required on every verb once on, checked, revocable, and a draft of
another key answering exactly as a draft that does not exist."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from support.api import API_PREFIX, SECOND, Api
from support.server import ServerProcess

from .conftest import KEY_A, data_dir_args

MISSING_ID = "20200101000000" + "0" * 16
NOT_FOUND = {"detail": "Draft does not exist", "code": "draft_not_found"}

# Every verb that names a draft, as (name, how to call it for a draft url/id).
Call = Callable[[Api, str, str], httpx.Response]


def _body(verb: str, **extra: Any) -> Call:
    return lambda api, url, _: api.post(verb, {"draft_url": url, **extra})


def _get(path: str, **params: Any) -> Call:
    def call(api: Api, _: str, draft_id: str) -> httpx.Response:
        query = {k: v.format(id=draft_id) if isinstance(v, str) else v for k, v in params.items()}
        return api.get(f"{api.base_url}{path.format(id=draft_id)}", **query)

    return call


VIDEO = [{"video_url": "http://127.0.0.1:1/x.mp4", "start": 0, "end": SECOND}]
DRAFT_VERBS: dict[str, Call] = {
    "add_videos": _body("add_videos", video_infos=VIDEO),
    "add_images": _body(
        "add_images", image_infos=[{"image_url": "http://127.0.0.1:1/x.png", "start": 0, "end": 1}]
    ),
    "add_audios": _body(
        "add_audios", audio_infos=[{"audio_url": "http://127.0.0.1:1/x.mp3", "start": 0, "end": 1}]
    ),
    "add_captions": _body("add_captions", captions=[{"text": "x", "start": 0, "end": SECOND}]),
    "save_draft": _body("save_draft"),
    "get_draft_info": _body("get_draft_info"),
    "list_versions": _body("list_versions"),
    "restore_version": _body("restore_version", version=1),
    "download_draft": _body("download_draft"),
    "validate_draft": _body("validate_draft"),
    "delete_draft": _body("delete_draft"),
    "get_draft": _get(f"{API_PREFIX}/get_draft", draft_id="{id}"),
    "download_draft GET": _get(f"{API_PREFIX}/download_draft", draft_id="{id}", version=1),
    "draft_files": _get(f"{API_PREFIX}/draft_files/v1/{{id}}/draft_content.json"),
    "ui timeline": _get("/ui/api/drafts/{id}/timeline"),
    "ui diff": _get("/ui/api/drafts/{id}/versions/1/diff"),
    "ui events": _get("/ui/api/drafts/{id}/events"),
}
OTHER_VERBS: dict[str, Call] = {
    "create_draft": lambda api, _, __: api.post("create_draft", {}),
    "list_drafts": lambda api, _, __: api.post("list_drafts", {}),
    "ui drafts list": _get("/ui/api/drafts"),
}


def missing_url(api: Api) -> str:
    return f"{api.base_url}{API_PREFIX}/get_draft?draft_id={MISSING_ID}"


def test_health_and_the_api_document_need_no_key(
    keyed_server: ServerProcess, http: httpx.Client
) -> None:
    for path in ("/healthz", "/readyz", "/openapi.json"):
        assert http.get(keyed_server.base_url + path).status_code == 200, path


@pytest.mark.parametrize("verb", [*DRAFT_VERBS, *OTHER_VERBS])
def test_every_verb_requires_a_key(alice: Api, verb: str) -> None:
    draft_url, draft_id = alice.saved_draft()
    call = {**DRAFT_VERBS, **OTHER_VERBS}[verb]

    response = call(alice.as_key(None), draft_url, draft_id)

    assert response.status_code == 401, response.text
    assert response.json() == {
        "detail": "API key required: send it as 'Authorization: Bearer <key>' or "
        "'X-API-Key: <key>'",
        "code": "unauthorized",
    }
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert alice.ok("get_draft_info", {"draft_url": draft_url})["current_version"] == 1


@pytest.mark.parametrize(
    "wrong",
    [
        KEY_A[:-1],
        KEY_A + "0",
        KEY_A[:-1] + ("0" if KEY_A[-1] != "0" else "1"),
        KEY_A.upper(),
        KEY_A[:10] + chr(ord(KEY_A[10]) ^ 1) + KEY_A[11:],
        "ds_",
        "x" * 5000,
    ],
    ids=["short", "long", "last-char", "case", "middle-bit", "prefix", "huge"],
)
def test_a_near_miss_key_is_refused(alice: Api, wrong: str) -> None:
    for headers in ({"Authorization": f"Bearer {wrong}"}, {"X-API-Key": wrong}):
        response = alice.http.post(alice.url("list_drafts"), json={}, headers=headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.json()["detail"] == "Invalid or revoked API key"


def test_the_key_works_in_either_header(alice: Api) -> None:
    for headers in ({"Authorization": f"Bearer {KEY_A}"}, {"X-API-Key": KEY_A}):
        response = alice.http.post(alice.url("create_draft"), json={}, headers=headers)
        assert response.status_code == 200, (headers, response.text)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "draftsmith", "keys", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_stored_key_works_until_it_is_revoked(keyed_server: ServerProcess, alice: Api) -> None:
    created = _cli("create", "--name", "n8n workflow", *data_dir_args(keyed_server))
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("ds_") and len(key) >= 40
    key_id = created.stderr.split("id:", 1)[1].split()[0]
    carol = alice.as_key(key)
    draft_url = carol.create_draft()
    assert [d["draft_url"] for d in carol.ok("list_drafts", {})["drafts"]] == [draft_url]

    listed = _cli("list", *data_dir_args(keyed_server))
    assert listed.returncode == 0, listed.stderr
    assert key_id in listed.stdout and "n8n workflow" in listed.stdout
    assert key not in listed.stdout
    for database in keyed_server.data_dir.glob("draftsmith.sqlite3*"):
        assert key.encode() not in database.read_bytes(), database

    revoked = _cli("revoke", key_id, *data_dir_args(keyed_server))
    assert revoked.returncode == 0, revoked.stderr

    response = carol.post("list_drafts", {})
    assert response.status_code == 401, response.text
    assert response.json()["detail"] == "Invalid or revoked API key"
    assert carol.post("get_draft_info", {"draft_url": draft_url}).status_code == 401
    assert _cli("revoke", "key_nonexistent", *data_dir_args(keyed_server)).returncode == 3


@pytest.mark.parametrize("verb", list(DRAFT_VERBS))
def test_another_keys_draft_does_not_exist(alice: Api, bob: Api, verb: str) -> None:
    draft_url, draft_id = alice.saved_draft()
    before = alice.ok("get_draft_info", {"draft_url": draft_url})
    call = DRAFT_VERBS[verb]

    foreign = call(bob, draft_url, draft_id)
    missing = call(bob, missing_url(bob), MISSING_ID)

    assert foreign.status_code == missing.status_code == 404, (foreign.text, missing.text)
    assert foreign.json() == missing.json() == NOT_FOUND
    assert alice.ok("get_draft_info", {"draft_url": draft_url}) == before
    if verb != "ui events":  # the owner's answer is a 15 s event stream
        assert call(alice, draft_url, draft_id).status_code in (200, 400), verb


def test_list_drafts_shows_only_the_callers_drafts(alice: Api, bob: Api) -> None:
    mine = {alice.create_draft() for _ in range(2)}
    theirs = bob.create_draft()

    listed = {d["draft_url"] for d in alice.ok("list_drafts", {"limit": 500})["drafts"]}

    assert mine <= listed
    assert theirs not in listed
    assert theirs in {d["draft_url"] for d in bob.ok("list_drafts", {"limit": 500})["drafts"]}


def test_the_ui_drafts_list_shows_only_the_callers_drafts(alice: Api, bob: Api) -> None:
    mine = alice.create_draft()
    theirs = bob.create_draft()

    response = alice.get(f"{alice.base_url}/ui/api/drafts", limit=500)

    assert response.status_code == 200, response.text
    listed = {d["draft_url"] for d in response.json()["drafts"]}
    assert mine in listed
    assert theirs not in listed
