"""A block whose segment the server adjusted (its `warnings`) is marked on the timeline, and
its details say what was adjusted; a block without warnings has no mark."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from support.api import SECOND, Api
from support.media_server import MediaServer
from support.server import ServerProcess
from ui.browser import Screenshot


def test_a_block_with_warnings_shows_them(
    page: Page,
    shared_server: ServerProcess,
    api: Api,
    media_server: MediaServer,
    screenshot: Screenshot,
) -> None:
    draft_url = api.create_draft()
    # tone.mp3 lasts 3 s: the segment is clamped to it, and says so.
    audio = [{"audio_url": media_server.url("tone.mp3"), "start": 0, "end": 5 * SECOND}]
    clamped = api.ok("add_audios", {"draft_url": draft_url, "audio_infos": audio})
    [message] = [w["message"] for w in clamped["warnings"]]
    api.add_caption(draft_url, "no warnings here")

    page.goto(f"{shared_server.base_url}/#/drafts/{draft_url.rsplit('=', 1)[1]}")
    warned = page.locator(".lane-audio .block")
    expect(warned).to_have_class("block kind-audio warned")
    expect(warned.locator(".block-warning")).to_be_visible()
    expect(warned).to_have_attribute("aria-label", "Audio “tone.mp3”, 0:00.0 to 0:03.0, 1 warning")
    plain = page.locator(".lane-text .block")
    expect(plain.locator(".block-warning")).to_have_count(0)

    warned.focus()
    tooltip = page.locator("#tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("Warning")
    expect(tooltip).to_contain_text(message)
    screenshot(page, "warning-mark")
    plain.focus()
    expect(tooltip).not_to_contain_text("Warning")
