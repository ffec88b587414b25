"""The drafts list, validation, render and API keys, in real Chromium against a real server."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from support.api import SECOND, Api, Status
from support.downloads import draft_id_of
from support.server import ServerProcess
from ui.browser import BuiltDraft, Screenshot

PAGE_SIZE = 20
RENDER_TIMEOUT_MS = 120_000
TEST_API_KEY = "ui-test-key-" + "0" * 20


def test_drafts_list_shows_status_searches_and_pages(
    page: Page, shared_server: ServerProcess, api: Api, screenshot: Screenshot
) -> None:
    tag = f"batch{secrets.token_hex(3)}"
    urls = [api.create_draft(name=f"{tag} draft {n:02d}") for n in range(PAGE_SIZE + 1)]
    api.add_caption(urls[0], "Saved caption", 0, 2 * SECOND)
    api.save(urls[0])
    api.add_caption(urls[1], "Never saved caption", 0, 3 * SECOND)

    page.goto(f"{shared_server.base_url}/#/drafts")
    search = page.get_by_role("searchbox", name="Search drafts by id or name")
    search.fill(tag)
    search.press("Enter")
    rows = page.locator(".drafts-table tbody tr")
    expect(rows).to_have_count(PAGE_SIZE)
    # Newest change first: the two edited drafts, then the others newest created first.
    expect(rows.nth(0)).to_contain_text(f"{tag} draft 01")
    expect(rows.nth(0)).to_contain_text("Never saved")
    expect(rows.nth(0)).to_contain_text("0:03.0")
    expect(rows.nth(1)).to_contain_text(f"{tag} draft 00")
    expect(rows.nth(1)).to_contain_text("v1")
    expect(rows.nth(1).locator(".badge")).to_have_text("Saved")
    expect(rows.nth(2)).to_contain_text(f"{tag} draft 20")
    expect(rows.nth(2)).to_contain_text("1280×720")
    expect(rows.nth(2).locator(".badge")).to_have_text("Empty")
    screenshot(page, "drafts-list")

    page.get_by_role("link", name="Older →").click()
    expect(rows).to_have_count(1)
    expect(page.locator(".page-no")).to_have_text("Page 2")
    expect(rows.first).to_contain_text(f"{tag} draft 02")

    # An edit made through the API shows as a badge when the list is read again.
    api.add_caption(urls[0], "Second caption", 2 * SECOND, 3 * SECOND)
    page.get_by_role("link", name="← Newer").click()
    saved_row = rows.filter(has_text=f"{tag} draft 00")
    expect(saved_row.locator(".badge")).to_have_text("Unsaved changes")

    wanted = draft_id_of(urls[5])
    search.fill(wanted)
    search.press("Enter")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text(f"{tag} draft 05")


def test_validate_shows_the_verdict(
    page: Page, shared_server: ServerProcess, api: Api, full_draft: BuiltDraft
) -> None:
    page.goto(f"{shared_server.base_url}/#/drafts/{full_draft.id}")
    result = page.locator(".validate-result")
    page.locator("#validate-button").click()
    expect(result).to_contain_text("no saved version")
    api.save(full_draft.url)
    page.locator("#validate-button").click()
    expect(result.locator(".notice")).to_contain_text("Valid")


def test_render_plays_the_video(
    page: Page,
    shared_server: ServerProcess,
    api: Api,
    full_draft: BuiltDraft,
    screenshot: Screenshot,
) -> None:
    api.save(full_draft.url)
    page.goto(f"{shared_server.base_url}/#/drafts/{full_draft.id}")
    panel = page.locator("section.render")
    expect(panel).not_to_have_attribute("data-state", "unavailable")
    page.locator("#render-button").click()
    page.wait_for_function(
        "() => ['completed', 'failed'].includes(document.querySelector('section.render')"
        ".dataset.state)",
        timeout=RENDER_TIMEOUT_MS,
    )
    expect(panel).to_have_attribute("data-state", "completed")
    assert page.locator("#render-progress").evaluate("bar => bar.value") == 100
    expect(panel.locator(".percent")).to_have_text("100 %")
    video = page.locator("#render-video")
    video.evaluate("v => v.play()")
    page.wait_for_function(
        "() => { const v = document.querySelector('#render-video');"
        " return v.currentTime > 0 && !v.error; }",
        timeout=20_000,
    )
    expect(panel.get_by_role("link", name="Download MP4")).to_be_visible()
    screenshot(page, "render")


def test_api_key_is_asked_for_and_sent(page: Page, tmp_path: Path, http: httpx.Client) -> None:
    env = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1", "DRAFTSMITH_API_KEYS": TEST_API_KEY}
    with ServerProcess(tmp_path / "data", env=env) as server:
        refused = http.post(server.api("list_drafts"), json={})
        assert refused.status_code == 401, refused.text
        page.goto(f"{server.base_url}/#/drafts")
        dialog = page.locator("#key-dialog")
        expect(dialog).to_be_visible()
        page.locator("#key-input").fill(TEST_API_KEY)
        page.locator("#key-save").click()
        expect(page.locator(".results")).to_contain_text("No drafts yet")
        expect(page.locator("#key-button")).to_have_text("API key ✓")


def rendered(api: Api, draft_url: str) -> Status:
    """Render the draft's saved version and wait for the job to finish."""
    api.gen_video(draft_url)
    return api.wait(draft_url, timeout=RENDER_TIMEOUT_MS / 1000)[0]


def test_drafts_list_shows_render_states_without_a_request_per_row(
    page: Page, shared_server: ServerProcess, api: Api
) -> None:
    tag = f"renders{secrets.token_hex(3)}"
    done = api.create_draft(320, 240, f"{tag} rendered")
    api.add_caption(done, "Rendered caption", 0, SECOND)
    api.save(done)
    assert rendered(api, done)["status"] == "completed"
    api.create_draft(name=f"{tag} never rendered")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(f"{shared_server.base_url}/#/drafts?q={tag}")
    rows = page.locator(".drafts-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=f"{tag} rendered").locator(".render-cell")).to_have_text("Rendered")
    expect(rows.filter(has_text=f"{tag} never rendered").locator(".render-cell")).to_have_text("—")

    assert not [url for url in requests if "gen_video_status" in url], requests
    assert len([url for url in requests if "/ui/api/drafts?" in url]) == 1, requests
