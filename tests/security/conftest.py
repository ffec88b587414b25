"""Servers with API keys on, and a client that presents a key the way a workflow would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.server import ServerProcess

API_PREFIX = "/openapi/capcut-mate/v1"
SECOND = 1_000_000
KEY_A = "ds_test-key-alice-0123456789abcdef"
KEY_B = "ds_test-key-bob-0123456789abcdef00"
KEYED_ENV = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1", "DRAFTSMITH_API_KEYS": f"{KEY_A},{KEY_B}"}


class KeyedApi:
    """Calls one server's verbs, presenting `key` (or none) as a Bearer token."""

    def __init__(self, http: httpx.Client, base_url: str, key: str | None) -> None:
        self.http = http
        self.base_url = base_url
        self.key = key

    def headers(self) -> dict[str, str]:
        return {} if self.key is None else {"Authorization": f"Bearer {self.key}"}

    def url(self, verb: str) -> str:
        return f"{self.base_url}{API_PREFIX}/{verb}"

    def post(self, verb: str, body: Any) -> httpx.Response:
        return self.http.post(self.url(verb), json=body, headers=self.headers())

    def get(self, url: str, **params: Any) -> httpx.Response:
        return self.http.get(url, params=params, headers=self.headers())

    def ok(self, verb: str, body: Any) -> dict[str, Any]:
        response = self.post(verb, body)
        assert response.status_code == 200, (verb, response.status_code, response.text)
        data: dict[str, Any] = response.json()
        return data

    def create_draft(self) -> str:
        return str(self.ok("create_draft", {"width": 640, "height": 360})["draft_url"])

    def add_caption(self, draft_url: str, text: str) -> dict[str, Any]:
        captions = [{"text": text, "start": 0, "end": SECOND}]
        return self.ok("add_captions", {"draft_url": draft_url, "captions": captions})

    def saved_draft(self) -> tuple[str, str]:
        """A new draft with one caption, saved once: (draft_url, draft_id)."""
        draft_url = self.create_draft()
        self.add_caption(draft_url, "hello")
        self.ok("save_draft", {"draft_url": draft_url})
        return draft_url, draft_url.rsplit("draft_id=", 1)[1]

    def as_key(self, key: str | None) -> KeyedApi:
        return KeyedApi(self.http, self.base_url, key)


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server with two configured keys, A and B, shared by a module's tests."""
    with ServerProcess(tmp_path_factory.mktemp("keyed"), env=KEYED_ENV) as server:
        yield server


@pytest.fixture
def alice(keyed_server: ServerProcess, http: httpx.Client) -> KeyedApi:
    return KeyedApi(http, keyed_server.base_url, KEY_A)


@pytest.fixture
def bob(keyed_server: ServerProcess, http: httpx.Client) -> KeyedApi:
    return KeyedApi(http, keyed_server.base_url, KEY_B)


def data_dir_args(server: ServerProcess) -> list[str]:
    return ["--data-dir", str(server.data_dir)]
