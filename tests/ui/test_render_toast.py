"""The "Render started." message goes once that render has finished: it never lingers over a
finished render. The page's clock is Playwright's, held still, so the message's own 4 s cannot
end it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from support.api import SECOND, Api
from support.downloads import draft_id_of
from support.server import ServerProcess
from ui.browser import DESKTOP, PHONE

SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])


@SIZES
def test_the_render_started_message_goes_when_the_render_is_done(
    page_with_own_clock: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    page = page_with_own_clock
    url = api.create_draft(320, 240)
    api.add_caption(url, "quick", 0, SECOND)
    api.save(url)
    page.clock.install()
    page.set_viewport_size(size)
    page.goto(f"{shared_server.base_url}/#/drafts/{draft_id_of(url)}")
    expect(page.locator("#render-button")).to_be_enabled(timeout=30_000)
    # Page time stands still from here, but for run_for below.
    page.clock.pause_at(page.evaluate("Date.now()") + 10)
    page.locator("#render-button").click()
    toast = page.locator(".toast")
    expect(toast).to_have_text("Render started.×")
    done, _ = api.wait(url)
    assert done["status"] == "completed", done
    # Less page time than the message's own 4 s: only the finished render can remove it.
    page.clock.run_for(1500)
    expect(page.locator("section.render")).to_have_attribute("data-state", "completed")
    expect(toast).to_have_count(0)
