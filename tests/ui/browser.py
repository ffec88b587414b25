"""Support for the UI tests: Debian's Chromium driven by Playwright, a small API client that
builds drafts the way a workflow would, and screenshots kept as CI artifacts."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, ViewportSize

from support.downloads import draft_id_of

__all__ = ["draft_id_of"]

API_PREFIX = "/openapi/capcut-mate/v1"
SECOND = 1_000_000
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "artifacts" / "screenshots"
"""Where every page's screenshots go, desktop and phone size; CI keeps this folder."""
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # The render test plays the video from a script, not from a click.
    "--autoplay-policy=no-user-gesture-required",
]


def chromium_path() -> str:
    """Debian's chromium (scripts/test installs it). Never a browser Playwright downloads.

    Missing, the UI tests fail under CI and are skipped elsewhere, saying how to get it.
    """
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if found is None:
        message = "Debian's chromium is not installed: run scripts/test or apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


Screenshot = Callable[[Page, str], None]
"""`screenshot(page, name)`: keep the page as `<name>-desktop.png` and `<name>-phone.png`."""


@dataclass(frozen=True)
class BuiltDraft:
    url: str
    id: str
    name: str


class Api:
    """The verbs a test needs, expecting success."""

    def __init__(self, http: httpx.Client, base_url: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    def post(self, verb: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.post(f"{self.base_url}{API_PREFIX}/{verb}", json=body)

    def ok(self, verb: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.post(verb, body)
        assert response.status_code == 200, (verb, response.status_code, response.text)
        data: dict[str, Any] = response.json()
        return data

    def create(self, name: str, width: int = 1280, height: int = 720) -> str:
        body = {"width": width, "height": height, "name": name}
        return str(self.ok("create_draft", body)["draft_url"])

    def caption(self, draft_url: str, text: str, start: int, end: int) -> None:
        captions = [{"text": text, "start": start, "end": end}]
        self.ok("add_captions", {"draft_url": draft_url, "captions": captions})

    def videos(self, draft_url: str, *spans: tuple[str, int, int]) -> None:
        infos = [{"video_url": url, "start": start, "end": end} for url, start, end in spans]
        self.ok("add_videos", {"draft_url": draft_url, "video_infos": infos})

    def image(self, draft_url: str, url: str, start: int, end: int) -> None:
        infos = [{"image_url": url, "start": start, "end": end}]
        self.ok("add_images", {"draft_url": draft_url, "image_infos": infos})

    def audio(self, draft_url: str, url: str, start: int, end: int) -> None:
        infos = [{"audio_url": url, "start": start, "end": end}]
        self.ok("add_audios", {"draft_url": draft_url, "audio_infos": infos})

    def save(self, draft_url: str, label: str | None = None) -> int:
        body: dict[str, Any] = {"draft_url": draft_url}
        if label:
            body["label"] = label
        return int(self.ok("save_draft", body)["version"])

    def info(self, draft_url: str) -> dict[str, Any]:
        return self.ok("get_draft_info", {"draft_url": draft_url})

    def has_verb(self, verb: str) -> bool:
        """Whether the server's OpenAPI document lists `verb` (features still being built)."""
        paths = self.http.get(f"{self.base_url}/openapi.json").json()["paths"]
        return f"{API_PREFIX}/{verb}" in paths
