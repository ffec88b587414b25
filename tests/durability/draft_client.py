"""The verbs the durability tests drive, and reading a saved version back through the oracle.

Works over any httpx client: a real server's (`for_server`) or a Starlette TestClient, which is
an httpx client too. Calls return raw responses where a test must judge failures itself; the
`ok`-style helpers fail the test, with the server's answer, unless they get a success.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from draft_oracle import DraftSummary, load_summary, unresolved_refs
from support.closing import ClosedOnExit
from support.downloads import draft_id_of, unzip_draft

API_PREFIX = "/openapi/capcut-mate/v1"
SECOND = 1_000_000


def for_server(base_url: str, timeout: float = 30.0) -> DraftClient:
    """A client of its own for the server at `base_url` (one per thread: httpx pools are)."""
    return DraftClient(httpx.Client(base_url=base_url, timeout=timeout, trust_env=False))


class DraftClient(ClosedOnExit):
    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def post(self, verb: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.post(f"{API_PREFIX}/{verb}", json=body)

    def ok(self, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.post(verb, body)
        assert response.status_code == 200, (verb, response.status_code, response.text)
        data: dict[str, Any] = response.json()
        assert data["code"] == 0, data
        return data

    def create_draft(self) -> str:
        return str(self.ok("create_draft", {"width": 1280, "height": 720})["draft_url"])

    def add_caption(self, draft_url: str, text: str) -> httpx.Response:
        return self.add_captions(draft_url, [text])

    def add_captions(self, draft_url: str, texts: list[str]) -> httpx.Response:
        """One edit: a new caption track holding `texts`, one second each, in order."""
        captions = [
            {"text": text, "start": index * SECOND, "end": (index + 1) * SECOND}
            for index, text in enumerate(texts)
        ]
        return self.post("add_captions", {"draft_url": draft_url, "captions": captions})

    def save(self, draft_url: str) -> httpx.Response:
        return self.post("save_draft", {"draft_url": draft_url})

    def info(self, draft_url: str) -> dict[str, Any]:
        return self.ok("get_draft_info", {"draft_url": draft_url})

    def versions(self, draft_url: str) -> list[dict[str, Any]]:
        versions: list[dict[str, Any]] = self.ok("list_versions", {"draft_url": draft_url})[
            "versions"
        ]
        return versions

    def load_version(self, draft_url: str, version: int | None, root: Path) -> DraftSummary:
        """Download a saved version as a zip and load it with pyJianYingDraft.

        Also fails the test if a segment of the folder names a material the folder lacks.
        """
        draft_id = draft_id_of(draft_url)
        params: dict[str, str | int] = {"draft_id": draft_id}
        if version is not None:
            params["version"] = version
        try:
            response = self.http.get(f"{API_PREFIX}/download_draft", params=params)
        except httpx.HTTPError as exc:
            raise AssertionError(f"version {version} could not be downloaded: {exc!r}") from exc
        assert response.status_code == 200, (version, response.status_code, response.text)
        target = root / f"v{version or 'latest'}"
        unzip_draft(response.content, target)
        folder = target / draft_id
        assert unresolved_refs(folder) == {}, (version, unresolved_refs(folder))
        return load_summary(folder)

    def close(self) -> None:
        self.http.close()


def caption_texts(info: dict[str, Any]) -> list[str]:
    """Texts of the caption segments of a get_draft_info answer, tracks bottom first."""
    return [
        segment["text"]
        for track in info["tracks"]
        if track["type"] == "text"
        for segment in track["segments"]
    ]
