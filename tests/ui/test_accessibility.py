"""Accessibility of every page, in real Chromium at desktop and phone size: axe-core finds no
serious or critical violation in the light or the dark theme, and the keyboard reaches every
control, with a visible focus, and seeks the player from the timeline."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, ViewportSize, expect

from draftsmith.client import Video
from support.api import SECOND, Api
from support.downloads import draft_id_of
from support.media_server import MediaServer
from support.server import ServerProcess
from ui.browser import DESKTOP, PHONE

SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
FIRST_LOAD_MS = 30_000
RENDER_MS = 120_000
BLOCKING = ("serious", "critical")
AXE = Axe()


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    results = AXE.run(page, options={"resultTypes": ["violations"]})
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.fixture
def shown_draft(api: Api, media_server: MediaServer) -> str:
    """A small draft with every kind of block and a finished render of it."""
    url = api.create_draft(320, 240, name="Accessible draft")
    api.client.add_videos(
        url,
        [
            Video(media_server.url("bars.mp4"), 0, 2 * SECOND, transition="叠化"),
            Video(media_server.url("red.mp4"), 2 * SECOND, 3 * SECOND),
        ],
    )
    api.add_image(url, media_server.url("still.png"), SECOND, 2 * SECOND)
    api.add_audio(url, media_server.url("tone.mp3"), 0, 3 * SECOND)
    api.add_caption(url, "Read me", 0, 2 * SECOND)
    api.save(url)
    api.gen_video(url)
    done, _ = api.wait(url, timeout=RENDER_MS / 1000)
    assert done["status"] == "completed", done
    # The list then shows every status badge: saved, unsaved changes and never saved.
    api.add_caption(api.create_draft(name="Never saved"), "draft", 0, SECOND)
    changed = api.create_draft(name="Changed since saved")
    api.save(changed)
    api.add_caption(changed, "later", 0, SECOND)
    return draft_id_of(url)


def open_page(page: Page, url: str, ready: str) -> None:
    page.goto(url)
    expect(page.locator(ready).first).to_be_visible(timeout=FIRST_LOAD_MS)


@SIZES
def test_axe_finds_no_serious_violation_on_any_page(
    page: Page, shared_server: ServerProcess, shown_draft: str, size: ViewportSize
) -> None:
    base = shared_server.base_url
    page.set_viewport_size(size)
    found: dict[str, list[dict[str, Any]]] = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        open_page(page, f"{base}/#/drafts", ".drafts-table tbody tr")
        found[f"drafts list, {scheme}"] = violations(page)
        open_page(page, f"{base}/#/drafts/{shown_draft}", "#render-video")
        expect(page.locator("#save-button")).to_be_enabled()
        page.locator("#preview-button").click()
        expect(page.locator("#preview-panel")).to_have_attribute(
            "data-state", "ready", timeout=RENDER_MS
        )
        page.locator("#editor-help summary").click()
        found[f"draft page, {scheme}"] = violations(page)
        page.locator("#key-button").click()
        expect(page.locator("#key-dialog")).to_be_visible()
        found[f"API key dialog, {scheme}"] = violations(page)
        page.keyboard.press("Escape")
        open_page(page, f"{base}/#/drafts/20200101000000{'0' * 16}", ".notice.error")
        found[f"draft not found, {scheme}"] = violations(page)
    page.emulate_media(color_scheme="light")
    assert not {name: items for name, items in found.items() if items}, found


FOCUS_JS = """
() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {
    name: e.id || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40),
    ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
  };
}
"""


def tab_through(page: Page) -> list[str]:
    """Tab from the top of the page to its end; each stop must show a focus ring."""
    page.locator(".skip-link").focus()
    reached: list[str] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        focus = page.evaluate(FOCUS_JS)
        assert focus["ring"], f"no visible focus on {focus['name']!r}"
        if reached and focus["name"] == reached[0]:
            break
        reached.append(focus["name"])
    return reached


def shown_controls(page: Page) -> list[str]:
    names: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('main button:not(:disabled), main a[href],"
        ' main input:not(:disabled), main summary, main [tabindex="0"]\')]'
        ".filter(e => e.getClientRects().length)"
        ".map(e => e.id || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40))"
    )
    return names


@SIZES
def test_the_drafts_list_is_reached_by_keyboard(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    url = api.create_draft(name="Keyboard list")
    api.add_caption(url, "listed", 0, SECOND)
    page.set_viewport_size(size)
    open_page(page, f"{shared_server.base_url}/#/drafts", ".drafts-table tbody tr")
    reached = tab_through(page)
    missing = [name for name in shown_controls(page) if name not in reached]
    assert not missing, (missing, reached)


@SIZES
def test_the_keyboard_reaches_every_control_with_a_visible_focus(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    url = api.create_draft(320, 240)
    api.add_caption(url, "Tab to me", 0, 2 * SECOND)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size(size)
    page.goto(f"{shared_server.base_url}/#/drafts/{draft_id_of(url)}")
    expect(page.locator("#save-button")).to_be_enabled(timeout=FIRST_LOAD_MS)
    page.locator("#preview-button").click()
    expect(page.locator("#preview-panel")).to_have_attribute(
        "data-state", "ready", timeout=RENDER_MS
    )
    page.locator("#editor-help summary").click()
    reached = tab_through(page)
    # Every control the page shows, the new ones included, is reached.
    missing = [name for name in shown_controls(page) if name not in reached]
    assert not missing, (missing, reached)
    for wanted in ("preview-button", "timeline-ruler", "copy-install", "Zoom in", "save-button"):
        assert wanted in reached, reached

    # The copy button works from the keyboard.
    page.locator("#copy-install").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".toast")).to_contain_text("Install command copied")

    # Seeking from the keyboard: the ruler is a slider over the preview.
    ruler = page.locator("#timeline-ruler")
    ruler.focus()
    page.keyboard.press("End")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('#preview-video').currentTime - 2) < 0.1"
    )
    page.keyboard.press("Shift+ArrowLeft")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('#preview-video').currentTime - 1.9) < 0.05"
    )
    expect(ruler).to_have_attribute("aria-valuetext", "Playhead at 0:01.9")
