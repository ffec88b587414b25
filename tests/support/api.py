"""The HTTP API as tests call it: `Api`, the one helper for every test that talks to a server.

It has two layers. The verbs tests build drafts with (`create_draft`, `add_caption`,
`add_video`..., `video_draft`, `saved_draft`) go through the project's own `draftsmith.Client`,
as a user's program would; a failure raises the client's error, which carries the server's
detail and status. The raw layer (`post`, `get`, `ok`, and the reads and render verbs built on
`ok`) sends exactly what the test says and returns the httpx response or the JSON as it came,
for tests that send malformed requests or judge status codes, headers and bodies. It works over
any httpx client, a Starlette TestClient included; the Client needs a real server.

Helpers that expect success fail the test, with the server's answer, when it does not come.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import httpx

from draftsmith.client import SECOND, Audio, Caption, Client, EditResult, Image, RetryPolicy, Video
from support.closing import ClosedOnExit
from support.downloads import draft_id_of, unzip_draft

__all__ = [
    "API_PREFIX",
    "SECOND",
    "Api",
    "ApiOpener",
    "Status",
    "caption_texts",
    "finished",
    "processing",
    "relative_path",
]

API_PREFIX = "/openapi/capcut-mate/v1"
FILES_MARKER = f"{API_PREFIX}/draft_files/"
TIMEOUT = 30.0

Status = dict[str, Any]
"""A gen_video (or gen_video_status) answer."""


def relative_path(file_url: str, draft_id: str) -> str:
    """`assets/videos/x.mp4` for `.../draft_files/v<N>/<draft_id>/assets/videos/x.mp4`."""
    path = urlsplit(file_url).path
    assert FILES_MARKER in path, file_url
    version_part, owner, rest = path.split(FILES_MARKER, 1)[1].split("/", 2)
    assert version_part.startswith("v"), file_url
    assert owner == draft_id, file_url
    return unquote(rest)


def caption_texts(info: dict[str, Any]) -> list[str]:
    """Texts of the caption segments of a get_draft_info answer, tracks bottom first."""
    return [
        segment["text"]
        for track in info["tracks"]
        if track["type"] == "text"
        for segment in track["segments"]
    ]


def finished(status: Status) -> bool:
    return status["status"] in ("completed", "failed")


def processing(status: Status) -> bool:
    return bool(status["status"] == "processing")


class Api(ClosedOnExit):
    """One server's API, presenting `key` (or none) as a Bearer token, as draftsmith.Client does.

    `http` is the raw layer's client: given, it is borrowed and left open; else the Api opens
    its own. The draftsmith.Client opens on first use. Closing the Api (or leaving its `with`
    block) closes what it opened, and the Apis that `as_key` and `at` made from it.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        key: str | None = None,
        http: httpx.Client | None = None,
        timeout: float = TIMEOUT,
    ) -> None:
        if http is None:
            if base_url is None:
                raise ValueError("an Api needs the server's base_url or an http client")
            http = httpx.Client(base_url=base_url, timeout=timeout, trust_env=False)
            self._owns_http = True
        else:
            self._owns_http = False
        self.http = http
        self.base_url = (base_url or str(http.base_url)).rstrip("/")
        self.key = key
        self.timeout = timeout
        self._client: Client | None = None
        self._opening = threading.Lock()
        self._derived: list[Api] = []

    # --- the project's client --------------------------------------------------------------

    @property
    def client(self) -> Client:
        """draftsmith.Client for this server and key. It never retries: a test sees the first
        failure, not a later success."""
        with self._opening:
            if self._client is None:
                self._client = Client(
                    self.base_url,
                    self.key,
                    timeout=self.timeout,
                    retry=RetryPolicy(retries=0),
                    trust_env=False,
                )
            return self._client

    def create_draft(self, width: int = 1280, height: int = 720, name: str | None = None) -> str:
        return self.client.create_draft(width, height, name).draft_url

    def add_caption(
        self, draft_url: str, text: str, start: int = 0, end: int = SECOND
    ) -> EditResult:
        return self.client.add_captions(draft_url, [Caption(text, start, end)])

    def add_video(self, draft_url: str, url: str, start: int, end: int) -> EditResult:
        return self.client.add_videos(draft_url, [Video(url, start, end)])

    def add_image(self, draft_url: str, url: str, start: int, end: int) -> EditResult:
        return self.client.add_images(draft_url, [Image(url, start, end)])

    def add_audio(self, draft_url: str, url: str, start: int, end: int) -> EditResult:
        return self.client.add_audios(draft_url, [Audio(url, start, end)])

    def saved_draft(self) -> tuple[str, str]:
        """A new draft with one caption, saved once: (draft_url, draft_id)."""
        draft_url = self.create_draft()
        self.add_caption(draft_url, "hello")
        self.client.save(draft_url)
        return draft_url, draft_id_of(draft_url)

    def video_draft(
        self, video_url: str, seconds: float, width: int = 320, height: int = 240
    ) -> str:
        """A saved draft that shows `video_url` for `seconds`, with a caption over it."""
        draft_url = self.create_draft(width, height)
        end = int(seconds * SECOND)
        self.add_video(draft_url, video_url, 0, end)
        self.add_caption(draft_url, "rendering", 0, end)
        self.client.save(draft_url)
        return draft_url

    # --- the raw layer -----------------------------------------------------------------------

    def headers(self) -> dict[str, str]:
        return {} if self.key is None else {"Authorization": f"Bearer {self.key}"}

    def url(self, verb: str) -> str:
        return f"{self.base_url}{API_PREFIX}/{verb}"

    def post(self, verb: str, body: Any, *, strict: bool | None = None) -> httpx.Response:
        """POST `verb`; `strict` sends X-Draftsmith-Strict (None: the server's setting)."""
        headers = self.headers()
        if strict is not None:
            headers["X-Draftsmith-Strict"] = "1" if strict else "0"
        return self.http.post(self.url(verb), json=body, headers=headers)

    def get(self, url: str, **params: Any) -> httpx.Response:
        return self.http.get(url, params=params, headers=self.headers())

    def ok(self, verb: str, body: Any, *, strict: bool | None = None) -> dict[str, Any]:
        """POST `verb` and return its JSON, failing the test unless it is a capcut-mate success."""
        response = self.post(verb, body, strict=strict)
        assert response.status_code == 200, (verb, response.status_code, response.text)
        data: dict[str, Any] = response.json()
        assert data["code"] == 0, data
        assert data["message"] == "success", data
        return data

    def post_captions(self, draft_url: str, texts: list[str]) -> httpx.Response:
        """One add_captions edit, answer unjudged: a new caption track holding `texts`, one
        second each, in order."""
        captions = [
            {"text": text, "start": index * SECOND, "end": (index + 1) * SECOND}
            for index, text in enumerate(texts)
        ]
        return self.post("add_captions", {"draft_url": draft_url, "captions": captions})

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
        response = self.get(self.url("get_draft"), **params)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        assert data["code"] == 0, data
        return data

    def file_bytes(self, file_url: str) -> bytes:
        """A file get_draft lists, fetched by its link alone (links are signed while keys
        are on)."""
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

    def download_draft(self, draft_url: str, root: Path, version: int | None = None) -> Path:
        """download_draft's zip of a saved version, extracted under `root/v<version>/`
        (`root/vlatest/` without one); returns the draft's folder there."""
        draft_id = draft_id_of(draft_url)
        params: dict[str, str | int] = {"draft_id": draft_id}
        if version is not None:
            params["version"] = version
        try:
            response = self.get(self.url("download_draft"), **params)
        except httpx.HTTPError as exc:
            raise AssertionError(f"version {version} could not be downloaded: {exc!r}") from exc
        assert response.status_code == 200, (version, response.status_code, response.text)
        target = root / f"v{version or 'latest'}"
        unzip_draft(response.content, target)
        return target / draft_id

    def gen_video(self, draft_url: str, **extra: Any) -> Status:
        return self.ok("gen_video", {"draft_url": draft_url, **extra})

    def status(self, draft_url: str) -> Status:
        return self.ok("gen_video_status", {"draft_url": draft_url})

    def wait(
        self,
        draft_url: str,
        until: Callable[[Status], bool] = finished,
        timeout: float = 60.0,
    ) -> tuple[Status, list[int]]:
        """Poll gen_video_status until `until` holds; returns that answer and every progress
        seen on the way."""
        deadline = time.monotonic() + timeout
        seen: list[int] = []
        while True:
            status = self.status(draft_url)
            seen.append(status["progress"])
            if until(status):
                return status, seen
            assert time.monotonic() < deadline, f"gave up waiting; last answer: {status}"
            time.sleep(0.05)

    def download_video(self, url: str, target: Path, **headers: str) -> Path:
        """A rendered MP4 into `target`, sending only the `headers` given."""
        response = self.http.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        assert response.headers["content-type"] == "video/mp4"
        target.write_bytes(response.content)
        return target

    # --- other keys and servers ---------------------------------------------------------------

    def as_key(self, key: str | None) -> Api:
        """This server's API presenting another key (None: no key), on the same raw client."""
        return self._derive(self.base_url, key)

    def at(self, base_url: str) -> Api:
        """The API of another server (another process of a cluster), same key and raw client."""
        return self._derive(base_url, self.key)

    def _derive(self, base_url: str, key: str | None) -> Api:
        api = Api(base_url, key=key, http=self.http, timeout=self.timeout)
        with self._opening:
            self._derived.append(api)
        return api

    def close(self) -> None:
        for api in self._derived:
            api.close()
        if self._client is not None:
            self._client.close()
        if self._owns_http:
            self.http.close()


class ApiOpener(Protocol):
    """The `apis` fixture: `apis(base_url, key=None)` opens an Api that closes after the test."""

    def __call__(self, base_url: str, key: str | None = None) -> Api: ...
