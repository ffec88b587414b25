"""One JSON line per request with a request id; never a key, a signature or a body. And the
loud warning when the server listens beyond this machine without keys."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from support.access_log import lines_until
from support.api import ApiOpener
from support.server import ServerProcess

from .conftest import KEY_A, KEY_B, KEYED_ENV


@pytest.fixture
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("logged"), env=KEYED_ENV) as server:
        yield server


def test_one_line_per_request_without_secrets(
    keyed: ServerProcess, http: httpx.Client, apis: ApiOpener
) -> None:
    alice = apis(keyed.base_url, KEY_A)
    secret_text = "caption-text-that-must-not-be-logged"
    draft_url = alice.create_draft()
    alice.add_caption(draft_url, secret_text)
    alice.ok("save_draft", {"draft_url": draft_url})
    listed = alice.get(alice.url("get_draft"), draft_id=draft_url.rsplit("=", 1)[1]).json()
    signed = listed["files"][0]
    sig = signed.rsplit("sig=", 1)[1]
    assert http.get(signed).status_code == 200
    chosen = http.post(
        alice.url("list_drafts"), json={}, headers={"X-API-Key": KEY_B, "X-Request-ID": "wf-42.a"}
    )
    refused = http.post(alice.url("list_drafts"), json={}, headers={"X-API-Key": "ds_wrong" * 3})
    odd = http.get(keyed.base_url + "/healthz", headers={"X-Request-ID": "bad id\twith spaces"})

    lines = lines_until(keyed, odd.headers["x-request-id"])
    text = keyed.log_text()

    ids = [line["request_id"] for line in lines]
    assert len(ids) == len(set(ids)), "one line per request, each with its own id"
    assert chosen.headers["x-request-id"] == "wf-42.a"
    assert odd.headers["x-request-id"] != "bad id\twith spaces"
    by_id = {line["request_id"]: line for line in lines}
    assert by_id["wf-42.a"]["status"] == 200
    assert by_id["wf-42.a"]["key_id"].startswith("cfg_")
    assert by_id[refused.headers["x-request-id"]]["status"] == 401
    assert by_id[odd.headers["x-request-id"]]["path"] == "/healthz"
    verbs = [line["path"].rsplit("/", 1)[-1] for line in lines if "/v1/" in line["path"]]
    assert verbs[:4] == ["create_draft", "add_captions", "save_draft", "get_draft"]
    for line in lines:
        assert set(line) >= {"time", "request_id", "method", "path", "status", "duration_ms"}
        assert "?" not in line["path"]
    for secret in (KEY_A, KEY_B, "ds_wrong", sig, secret_text, "Bearer"):
        assert secret not in text, secret


@pytest.mark.parametrize(
    ("host", "env", "warned"),
    [
        ("0.0.0.0", {}, True),
        ("0.0.0.0", KEYED_ENV, False),
        ("127.0.0.1", {}, False),
    ],
    ids=["exposed", "exposed-with-keys", "loopback"],
)
def test_listening_beyond_this_machine_without_keys_warns(
    tmp_path_factory: pytest.TempPathFactory, host: str, env: dict[str, str], warned: bool
) -> None:
    directory = tmp_path_factory.mktemp("bind")
    with ServerProcess(directory, env=env, args=["--host", host]) as server:
        text = server.log_text()
    assert ("WITHOUT API KEYS" in text) is warned, text
    if warned:
        assert f"listening on {host}" in text
