"""The draft page in real Chromium against a real server: timeline, live status, versions."""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from support.api import SECOND, Api
from support.server import ServerProcess
from ui.browser import BuiltDraft, Screenshot


def test_timeline_has_a_lane_per_track_and_blocks_to_scale(
    page: Page, shared_server: ServerProcess, full_draft: BuiltDraft, screenshot: Screenshot
) -> None:
    page.goto(f"{shared_server.base_url}/#/drafts/{full_draft.id}")
    lanes = page.locator(".lane")
    expect(lanes).to_have_count(4)
    assert lanes.evaluate_all("ls => ls.map(l => l.dataset.type)") == [
        "text",
        "video",
        "video",
        "audio",
    ]
    expect(lanes.nth(0).locator(".block-text")).to_have_text(["Hello from the first caption"])
    expect(lanes.nth(1).locator(".block")).to_have_count(1)
    expect(lanes.nth(2).locator(".block")).to_have_count(2)
    expect(lanes.nth(3).locator(".block")).to_have_count(1)
    expect(page.locator("#fact-canvas")).to_contain_text("1280×720")
    expect(page.locator("#fact-duration")).to_have_text("0:05.0")
    expect(page.locator("#fact-segments")).to_have_text("5")

    # Drawn to scale: x = start * scale and width = duration * scale, for one scale.
    bars, red = (box(b) for b in lanes.nth(2).locator(".block").all())
    (image,) = (box(b) for b in lanes.nth(1).locator(".block").all())
    (text,) = (box(b) for b in lanes.nth(0).locator(".block").all())
    scale = (red[0] - bars[0]) / 3
    assert scale > 20
    assert bars[1] == pytest.approx(3 * scale, abs=2)
    assert red[1] == pytest.approx(2 * scale, abs=2)
    assert image[0] - bars[0] == pytest.approx(1 * scale, abs=2)
    assert image[1] == pytest.approx(1.5 * scale, abs=2)
    assert (text[0], text[1]) == pytest.approx((bars[0], 2 * scale), abs=2)

    # Thumbnails made at ingest: one per video or image block, none for audio.
    page.wait_for_function(
        "[...document.querySelectorAll('.block img.thumb')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    widths = page.locator(".block img.thumb").evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert widths == [160, 160, 160]
    expect(lanes.nth(3).locator("img")).to_have_count(0)

    # Details on focus, and arrow keys move between blocks.
    lanes.nth(0).locator(".block").focus()
    tooltip = page.locator("#tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("Hello from the first caption")
    expect(tooltip).to_contain_text("0:02.0")
    page.keyboard.press("ArrowDown")
    expect(tooltip).to_contain_text("still.png")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    expect(tooltip).to_contain_text("red.mp4")
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    screenshot(page, "draft-page")


def box(block: Locator) -> tuple[float, float]:
    bounds = block.bounding_box()
    assert bounds is not None
    return bounds["x"], bounds["width"]


def test_status_follows_api_edits_and_saves_without_reload(
    page: Page,
    shared_server: ServerProcess,
    api: Api,
    full_draft: BuiltDraft,
    screenshot: Screenshot,
) -> None:
    api.save(full_draft.url, label="first cut")
    page.goto(f"{shared_server.base_url}/#/drafts/{full_draft.id}")
    status = page.locator("#save-status")
    expect(status).to_have_attribute("data-state", "saved")
    expect(status).to_contain_text("Saved as version 1")
    page.evaluate("window.loadedOnce = true")

    api.add_caption(full_draft.url, "Added while the page was open", 3 * SECOND, 4 * SECOND)
    expect(status).to_have_attribute("data-state", "unsaved")
    expect(status).to_contain_text("Unsaved changes since")
    expect(page.locator(".block-text", has_text="Added while the page was open")).to_be_visible()
    expect(page.locator("#fact-segments")).to_have_text("6")
    assert page.evaluate("window.loadedOnce") is True, "the page was reloaded"
    screenshot(page, "draft-unsaved")

    page.locator("#save-label").fill("second cut")
    page.locator("#save-button").click()
    expect(status).to_have_attribute("data-state", "saved")
    expect(status).to_contain_text("Saved as version 2")
    rows = page.locator(".versions-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("v2")
    expect(rows.first).to_contain_text("second cut")
    expect(rows.first.locator(".changes")).to_contain_text("+1 added")
    expect(rows.nth(1).locator(".changes")).to_contain_text("+5 added")
    assert api.info(full_draft.url)["last_saved_version"] == 2


def test_restore_asks_first_then_adds_a_version(
    page: Page,
    shared_server: ServerProcess,
    api: Api,
    full_draft: BuiltDraft,
    screenshot: Screenshot,
) -> None:
    api.save(full_draft.url, label="first cut")
    api.add_caption(full_draft.url, "Only in version two", 3 * SECOND, 4 * SECOND)
    api.save(full_draft.url)
    page.goto(f"{shared_server.base_url}/#/drafts/{full_draft.id}")
    versions = page.locator("section.versions")
    expect(versions).to_have_attribute("data-count", "2")
    restore_v1 = page.get_by_role("button", name="Restore version 1")
    dialog = page.locator("#confirm-dialog")

    restore_v1.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Restore version 1?")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(versions).to_have_attribute("data-count", "2")

    restore_v1.click()
    screenshot(page, "restore-confirm")
    page.locator("#confirm-ok").click()
    expect(versions).to_have_attribute("data-count", "3")
    newest = page.locator(".versions-table tbody tr").first
    expect(newest).to_contain_text("v3")
    expect(newest).to_contain_text("restored from version 1")
    expect(newest.locator(".changes")).to_contain_text("−1 removed")
    expect(page.locator(".block-text", has_text="Only in version two")).to_have_count(0)
    expect(page.locator("#save-status")).to_contain_text("Saved as version 3")
    screenshot(page, "versions")


def test_download_a_version_as_a_zip(
    page: Page, shared_server: ServerProcess, api: Api, full_draft: BuiltDraft
) -> None:
    api.save(full_draft.url)
    page.goto(f"{shared_server.base_url}/#/drafts/{full_draft.id}")
    button = page.get_by_role("link", name="Download version 1 as a zip")
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == f"{full_draft.id}-v1.zip"
    path = download.path()
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        names = archive.namelist()
    assert f"{full_draft.id}/draft_content.json" in names


def test_copy_draft_url_and_keyboard_reach(
    page: Page, chromium: BrowserContext, shared_server: ServerProcess, full_draft: BuiltDraft
) -> None:
    chromium.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{shared_server.base_url}/#/drafts/{full_draft.id}")
    expect(page.locator(".block")).to_have_count(5)
    reached: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break  # past the last control
        reached.append(
            page.evaluate(
                "() => { const e = document.activeElement;"
                " return e.id || e.getAttribute('aria-label') || e.textContent.trim(); }"
            )
        )
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", f"no visible focus on {reached[-1]!r}"
    for wanted in ("save-button", "copy-url", "Zoom in"):
        assert wanted in reached, reached
    assert any(name.startswith("Caption “Hello") for name in reached), reached

    page.locator("#copy-url").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".toast")).to_contain_text("draft_url copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"/openapi/capcut-mate/v1/get_draft?draft_id={full_draft.id}")


def test_errors_are_shown_in_plain_words(page: Page, shared_server: ServerProcess) -> None:
    page.goto(f"{shared_server.base_url}/#/drafts/20200101000000{'0' * 16}")
    expect(page.locator("h1")).to_have_text("Draft not found")
    expect(page.locator(".notice.error")).to_contain_text("There is no such draft")
    page.goto(f"{shared_server.base_url}/#/drafts/not..a..draft")
    expect(page.locator(".notice.error")).to_contain_text("This address does not name a draft")
    expect(page.locator(".notice.error")).not_to_contain_text("draft_url")
