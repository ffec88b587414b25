"""The render panel shows what the video draws of the draft next to the player, in real
Chromium against a real server."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from support.api import SECOND, ApiOpener
from support.downloads import draft_id_of
from support.server import ServerProcess


def test_the_report_is_shown_next_to_the_player(
    page: Page, shared_server: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft(320, 240)
    api.add_caption(draft_url, "hello", 0, SECOND)
    sticker = api.ok(
        "add_sticker",
        {"draft_url": draft_url, "sticker_id": "7326810673609018675", "start": 0, "end": SECOND},
    )["segment_id"]
    api.save(draft_url)
    api.gen_video(draft_url)
    done, _ = api.wait(draft_url)
    assert done["status"] == "completed", done

    page.goto(f"{shared_server.base_url}/#/drafts/{draft_id_of(draft_url)}")

    report = page.locator("#render-report")
    expect(page.locator("section.render")).to_have_attribute("data-state", "completed")
    expect(report).to_be_visible()
    expect(report.locator("details")).to_have_attribute("open", "")
    missing = report.locator(".report-group.not_drawn")
    expect(missing.locator("h3")).to_have_text("Not drawn (1)")
    expect(missing.locator("li")).to_contain_text("sticker 7326810673609018675")
    expect(missing.locator("li")).to_have_attribute("title", sticker)
    expect(report.locator(".report-group.exact li")).to_contain_text("caption")
