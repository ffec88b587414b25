"""Fixtures for the UI tests: one Chromium per session, a fresh page per test, a draft with
every kind of track built through the API."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright

from support.media_server import MediaServer
from support.server import ServerProcess
from ui.browser import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    SCREENSHOT_DIR,
    SECOND,
    Api,
    BuiltDraft,
    Screenshot,
    chromium_path,
    draft_id_of,
)

ACTION_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def chromium() -> Iterator[BrowserContext]:
    """Debian's Chromium, headless, with a user data directory of its own."""
    executable = chromium_path()
    with (
        tempfile.TemporaryDirectory(prefix="draftsmith-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=DESKTOP,
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        yield context
        context.close()


@pytest.fixture
def page(chromium: BrowserContext) -> Iterator[Page]:
    """A fresh page at desktop size; the test fails if the page threw an uncaught error."""
    page = chromium.new_page()
    page.set_viewport_size(DESKTOP)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert not errors, errors


@pytest.fixture
def api(shared_server: ServerProcess, http: httpx.Client) -> Api:
    return Api(http, shared_server.base_url)


@pytest.fixture
def screenshot() -> Screenshot:
    """Save the page at desktop and at phone size as `<name>-desktop.png`, `<name>-phone.png`."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> None:
        # From the top: a scrolled page would draw its sticky top bar part-way down.
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=SCREENSHOT_DIR / f"{name}-desktop.png", full_page=True)
        page.set_viewport_size(PHONE)
        # Let the timeline refit to the narrow screen before the picture is taken.
        page.wait_for_timeout(250)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=SCREENSHOT_DIR / f"{name}-phone.png", full_page=True)
        page.set_viewport_size(DESKTOP)
        page.wait_for_timeout(100)

    return take


@pytest.fixture
def full_draft(api: Api, media_server: MediaServer) -> BuiltDraft:
    """A 1280x720 draft of 5 s: a track of two video clips, an image, an audio track and a
    caption. In the editor's order the lanes are: caption, image (the top video layer), the two
    clips, audio.
    """
    name = f"Promo {secrets.token_hex(3)}"
    url = api.create(name)
    api.videos(
        url,
        (media_server.url("bars.mp4"), 0, 3 * SECOND),
        (media_server.url("red.mp4"), 3 * SECOND, 5 * SECOND),
    )
    api.image(url, media_server.url("still.png"), SECOND, 2 * SECOND + SECOND // 2)
    api.audio(url, media_server.url("tone.mp3"), 0, 3 * SECOND)
    api.caption(url, "Hello from the first caption", 0, 2 * SECOND)
    return BuiltDraft(url, draft_id_of(url), name)
