"""A thin typed client for the HTTP API, as a capcut-mate workflow would call it.

It asserts nothing about error responses: tests look at those themselves. Helpers named after a
verb expect success and fail the test, with the server's answer, when it does not come.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from support.downloads import draft_id_of, unzip_draft

__all__ = ["draft_id_of", "unzip_draft"]

API_PREFIX = "/openapi/capcut-mate/v1"
FILES_MARKER = f"{API_PREFIX}/draft_files/"
SECOND = 1_000_000


def relative_path(file_url: str, draft_id: str) -> str:
    """`assets/videos/x.mp4` for `.../draft_files/v<N>/<draft_id>/assets/videos/x.mp4`."""
    path = urlsplit(file_url).path
    assert FILES_MARKER in path, file_url
    version_part, owner, rest = path.split(FILES_MARKER, 1)[1].split("/", 2)
    assert version_part.startswith("v"), file_url
    assert owner == draft_id, file_url
    return unquote(rest)


class DraftApi:
    """Calls one server's verbs with one httpx client."""

    def __init__(self, http: httpx.Client, base_url: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    def url(self, verb: str) -> str:
        return f"{self.base_url}{API_PREFIX}/{verb}"

    def post(self, verb: str, body: Any) -> httpx.Response:
        return self.http.post(self.url(verb), json=body)

    def ok(self, verb: str, body: Any) -> dict[str, Any]:
        """POST `verb` and return its JSON, failing the test unless it is a capcut-mate success."""
        response = self.post(verb, body)
        assert response.status_code == 200, (verb, response.status_code, response.text)
        data: dict[str, Any] = response.json()
        assert data["code"] == 0, data
        assert data["message"] == "success", data
        return data

    def create_draft(self, width: int = 1280, height: int = 720) -> str:
        return str(self.ok("create_draft", {"width": width, "height": height})["draft_url"])

    def add_caption(
        self, draft_url: str, text: str, start: int = 0, end: int = SECOND
    ) -> dict[str, Any]:
        captions = [{"text": text, "start": start, "end": end}]
        return self.ok("add_captions", {"draft_url": draft_url, "captions": captions})

    def add_video(self, draft_url: str, video_url: str, start: int, end: int) -> dict[str, Any]:
        infos = [{"video_url": video_url, "start": start, "end": end}]
        return self.ok("add_videos", {"draft_url": draft_url, "video_infos": infos})

    def save(self, draft_url: str, **extra: Any) -> dict[str, Any]:
        return self.ok("save_draft", {"draft_url": draft_url, **extra})

    def info(self, draft_url: str) -> dict[str, Any]:
        return self.ok("get_draft_info", {"draft_url": draft_url})

    def versions(self, draft_url: str) -> list[dict[str, Any]]:
        versions: list[dict[str, Any]] = self.ok("list_versions", {"draft_url": draft_url})[
            "versions"
        ]
        return versions

    def get_draft(self, draft_id: str, version: int | None = None) -> dict[str, Any]:
        params: dict[str, str | int] = {"draft_id": draft_id}
        if version is not None:
            params["version"] = version
        response = self.http.get(self.url("get_draft"), params=params)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        assert data["code"] == 0, data
        return data

    def file_bytes(self, file_url: str) -> bytes:
        response = self.http.get(file_url)
        assert response.status_code == 200, (file_url, response.status_code, response.text)
        return response.content

    def download_folder(self, draft_id: str, root: Path, version: int | None = None) -> Path:
        """Fetch every file get_draft lists into `root/<draft_id>/`, keeping relative paths."""
        folder = root / draft_id
        for file_url in self.get_draft(draft_id, version)["files"]:
            target = folder / relative_path(file_url, draft_id)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.file_bytes(file_url))
        return folder
