"""Fixtures for the UI tests: one Chromium per session, a fresh page per test, a draft with
every kind of track built through the API."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright

from draftsmith.client import Video
from support.api import SECOND, Api, ApiOpener
from support.downloads import draft_id_of
from support.media_server import MediaServer
from support.server import ServerProcess
from ui.browser import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    SCREENSHOT_DIR,
    BuiltDraft,
    Screenshot,
    chromium_path,
)

ACTION_TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as started:
        yield started


@contextmanager
def _chromium_context(playwright: Playwright) -> Iterator[BrowserContext]:
    """Chromium (the system's, else Playwright's), headless, with a user data directory of its
    own; the run's header names which."""
    with tempfile.TemporaryDirectory(prefix="draftsmith-chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=chromium_path(playwright),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=DESKTOP,
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        yield context
        context.close()


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[BrowserContext]:
    """The session's Chromium, shared by every test's page."""
    with _chromium_context(playwright) as context:
        yield context


@pytest.fixture
def page_with_own_clock(playwright: Playwright) -> Iterator[Page]:
    """A page in a Chromium of its own: Playwright's clock belongs to the whole browser
    context, and a clock held still would stop every later page's timers."""
    with _chromium_context(playwright) as context:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
    assert not errors, errors


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
def api(shared_server: ServerProcess, apis: ApiOpener) -> Api:
    return apis(shared_server.base_url)


@pytest.fixture
def screenshot() -> Screenshot:
    """Save the page at desktop and at phone size as `<name>-desktop.png`, `<name>-phone.png`."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> None:
        # From the top: a scrolled page would draw its sticky top bar part-way down.
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=SCREENSHOT_DIR / f"{name}-desktop.png", full_page=True)
        # A block's details are placed for the desktop layout: let them go with its focus.
        page.evaluate("document.activeElement?.blur()")
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
    url = api.create_draft(name=name)
    clips = [
        Video(media_server.url("bars.mp4"), 0, 3 * SECOND),
        Video(media_server.url("red.mp4"), 3 * SECOND, 5 * SECOND),
    ]
    api.client.add_videos(url, clips)
    api.add_image(url, media_server.url("still.png"), SECOND, 2 * SECOND + SECOND // 2)
    api.add_audio(url, media_server.url("tone.mp3"), 0, 3 * SECOND)
    api.add_caption(url, "Hello from the first caption", 0, 2 * SECOND)
    return BuiltDraft(url, draft_id_of(url), name)
