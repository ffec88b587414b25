"""The draft page a user can trust (issue "Web UI you can trust"), each finding in real Chromium
against a real server, at desktop and at phone size."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, Response, Route, ViewportSize, expect

from draftsmith.client import Video
from support.api import SECOND, Api, ApiOpener
from support.downloads import draft_id_of
from support.media_server import MediaServer
from support.server import ServerProcess
from ui.browser import DESKTOP, PHONE, Screenshot

FIRST_LOAD_MS = 30_000
"""The first page of a worker loads the API document too; a busy machine makes it slow."""
RENDER_MS = 120_000
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
PRIVATE = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1"}

# WCAG 2 contrast of an element's text with the first opaque background behind it.
CONTRAST_JS = """
(element) => {
  // "rgb(r, g, b)" or, for color-mix(), "color(srgb r g b / a)" with channels 0-1.
  const rgb = (text) => {
    const values = text.match(/[\\d.]+/g).map(Number);
    if (!text.startsWith("color(")) return values;
    return [...values.slice(0, 3).map((v) => v * 255), ...values.slice(3)];
  };
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let node = element;
  let background = null;
  while (node && node.nodeType === 1) {
    const value = rgb(getComputedStyle(node).backgroundColor);
    if (value.length < 4 || value[3] > 0.9) { background = value; break; }
    node = node.parentElement;
  }
  background ??= rgb(getComputedStyle(document.documentElement).backgroundColor);
  const [a, b] = [lum(rgb(getComputedStyle(element).color)), lum(background)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


def open_draft(page: Page, base_url: str, draft_id: str, size: ViewportSize) -> None:
    page.set_viewport_size(size)
    page.goto(f"{base_url}/#/drafts/{draft_id}")
    expect(page.locator("#save-button")).to_be_enabled(timeout=FIRST_LOAD_MS)


def contrast(page: Page, selector: str) -> list[float]:
    return [loc.evaluate(CONTRAST_JS) for loc in page.locator(selector).all()]


@SIZES
def test_1_effect_and_filter_lanes_have_names_colours_and_readable_text(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize, screenshot: Screenshot
) -> None:
    url = api.create_draft(name=f"Styled {secrets.token_hex(3)}")
    api.add_caption(url, "Caption", 0, 2 * SECOND)
    api.ok(
        "add_effects",
        {
            "draft_url": url,
            "effect_infos": [{"effect_title": "录制边框 III", "start": 0, "end": 2 * SECOND}],
        },
    )
    api.ok(
        "add_filters",
        {
            "draft_url": url,
            "filter_infos": [{"filter_title": "森山", "start": 0, "end": 2 * SECOND}],
        },
    )
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        open_draft(page, shared_server.base_url, draft_id_of(url), size)
        names = page.locator(".lane-name").all_inner_texts()
        assert sorted(names) == ["Effect 1", "Filter 1", "Text 1"], names
        colours = {
            kind: page.locator(f".block.kind-{kind}").evaluate(
                "b => getComputedStyle(b).backgroundColor"
            )
            for kind in ("effect", "filter", "text")
        }
        assert len(set(colours.values())) == 3, colours
        for kind in ("effect", "filter"):
            icon = page.locator(f".lane-{kind} .lane-icon")
            assert icon.evaluate(
                "i => getComputedStyle(i).backgroundImage !== 'none'"
                " || getComputedStyle(i).backgroundColor !== 'rgba(0, 0, 0, 0)'"
            )
            assert min(contrast(page, f".block.kind-{kind} .block-label")) >= 4.5, (scheme, kind)
    page.emulate_media(color_scheme="light")
    if size == DESKTOP:
        screenshot(page, "effect-filter-lanes")


@SIZES
def test_2_3_10_a_render_started_elsewhere_appears_and_goes_out_of_date(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    url = api.create_draft(320, 240)
    api.add_caption(url, "Rendered", 0, SECOND)
    api.save(url)
    open_draft(page, shared_server.base_url, draft_id_of(url), size)
    panel = page.locator("section.render")
    expect(panel).to_have_attribute("data-state", "none")

    api.gen_video(url)  # through the API, not the page
    expect(panel).to_have_attribute("data-state", "completed", timeout=RENDER_MS)
    status = panel.locator(".render-status")
    expect(status).to_contain_text("Rendered · version 1")
    expect(panel).to_have_attribute("data-stale", "false")
    # A frame is shown before the video is played: not a black box.
    page.wait_for_function(
        "() => { const v = document.querySelector('#render-video');"
        " return v && v.readyState >= 2; }"
    )
    assert page.locator("#render-video").evaluate("v => v.paused")
    brightest = page.locator("#render-video").evaluate(
        "v => { const c = document.createElement('canvas'); c.width = 32; c.height = 24;"
        " const g = c.getContext('2d'); g.drawImage(v, 0, 0, 32, 24);"
        " return Math.max(...g.getImageData(0, 0, 32, 24).data.filter((_, i) => i % 4 !== 3)); }"
    )
    assert brightest > 40, "the video shows a black box before it is played"

    api.add_caption(url, "After the render", SECOND, 2 * SECOND)
    expect(panel).to_have_attribute("data-stale", "true")
    expect(status).to_contain_text("Out of date: the draft has unsaved changes since")
    api.save(url)
    expect(status).to_contain_text("Out of date: the draft was saved as version 2 since")
    expect(status).to_contain_text("version 1")
    expect(page.locator("#render-progress")).to_be_hidden()


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path / "data", env=PRIVATE) as server:
        yield server


@SIZES
def test_4_a_server_that_went_away_is_said_in_words(
    page: Page, own_server: ServerProcess, apis: ApiOpener, size: ViewportSize
) -> None:
    api = apis(own_server.base_url)
    url = api.create_draft()
    api.add_caption(url, "hello", 0, SECOND)
    api.save(url)
    open_draft(page, own_server.base_url, draft_id_of(url), size)
    status = page.locator("#save-status")
    expect(status).to_contain_text("Saved as version 1")
    own_server.stop()
    expect(status).to_have_attribute("data-state", "offline", timeout=20_000)
    expect(status).to_contain_text("Cannot reach the server")
    expect(page.locator(".live")).to_have_text("Offline")
    expect(page.locator("#save-button")).to_be_disabled()


@SIZES
def test_4_a_draft_deleted_elsewhere_is_said_and_its_controls_stop(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    url = api.create_draft()
    api.add_caption(url, "hello", 0, SECOND)
    open_draft(page, shared_server.base_url, draft_id_of(url), size)
    api.ok("delete_draft", {"draft_url": url})
    status = page.locator("#save-status")
    expect(status).to_have_attribute("data-state", "gone")
    expect(status).to_contain_text("This draft was deleted")
    expect(page.locator(".live")).not_to_have_class("live on")
    for control in ("#save-button", "#copy-url", "#render-button", "#save-label"):
        expect(page.locator(control)).to_be_disabled()


@SIZES
def test_5_a_never_rendered_draft_causes_no_failed_request(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    url = api.create_draft()
    api.add_caption(url, "never rendered", 0, SECOND)
    failed: list[str] = []
    errors: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    renders: list[Response] = []
    page.on("response", lambda r: renders.append(r) if r.url.endswith("/render") else None)
    open_draft(page, shared_server.base_url, draft_id_of(url), size)
    expect(page.locator("section.render")).to_have_attribute("data-state", "none")
    # The render state is read again every few seconds: wait for a second read.
    page.wait_for_timeout(3500)
    assert len(renders) >= 2, "the render state is polled"
    assert not failed, failed
    assert not errors, errors


@SIZES
def test_6_messages_stay_with_their_draft_and_errors_can_be_closed(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    first = api.create_draft()
    api.add_caption(first, "first", 0, SECOND)
    second = api.create_draft()
    api.add_caption(second, "second", 0, SECOND)
    open_draft(page, shared_server.base_url, draft_id_of(first), size)
    page.locator("#save-button").click()
    expect(page.locator(".toast")).to_contain_text("Saved as version 1")
    page.goto(f"{shared_server.base_url}/#/drafts/{draft_id_of(second)}")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "never")
    expect(page.locator(".toast")).to_have_count(0)

    page.locator("#download-latest").click()  # never saved: an error
    error = page.locator(".toast.error")
    expect(error).to_contain_text("save the draft first")
    page.wait_for_timeout(1000)
    close = error.get_by_role("button", name="Dismiss message")
    expect(close).to_be_visible()
    close.click()
    expect(page.locator(".toast")).to_have_count(0)


@SIZES
def test_7_transitions_are_marked_between_clips(
    page: Page,
    shared_server: ServerProcess,
    api: Api,
    media_server: MediaServer,
    size: ViewportSize,
    screenshot: Screenshot,
) -> None:
    url = api.create_draft()
    api.client.add_videos(
        url,
        [
            Video(media_server.url("bars.mp4"), 0, 2 * SECOND, transition="叠化"),
            Video(media_server.url("red.mp4"), 2 * SECOND, 4 * SECOND),
        ],
    )
    open_draft(page, shared_server.base_url, draft_id_of(url), size)
    mark = page.locator(".transition-mark")
    expect(mark).to_have_count(1)
    expect(mark).to_have_attribute(
        "aria-label", "Transition “叠化”, 0:00.5, from “bars.mp4” into the next clip"
    )
    blocks = page.locator(".lane-video .block").all()
    second = blocks[1].bounding_box()
    marked = mark.bounding_box()
    assert second is not None and marked is not None
    assert marked["x"] + marked["width"] / 2 == pytest.approx(second["x"], abs=3)
    if size == DESKTOP:
        screenshot(page, "transition")


@SIZES
def test_8_lane_names_stay_put_when_tracks_are_added(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    url = api.create_draft()
    api.add_caption(url, "first track", 0, 2 * SECOND)
    open_draft(page, shared_server.base_url, draft_id_of(url), size)
    first = page.locator(".lane-text").first
    track_id = first.get_attribute("data-track-id")
    expect(first.locator(".lane-name")).to_have_text("Text 1")
    api.add_caption(url, "second track", 0, 2 * SECOND)
    expect(page.locator(".lane-text")).to_have_count(2)
    old = page.locator(f'.lane[data-track-id="{track_id}"] .lane-name')
    expect(old).to_have_text("Text 1")
    expect(page.locator(f'.lane-text:not([data-track-id="{track_id}"]) .lane-name')).to_have_text(
        "Text 2"
    )


@SIZES
def test_9_the_page_says_it_is_loading(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    url = api.create_draft(name=f"Slow {secrets.token_hex(3)}")
    api.add_caption(url, "slow", 0, SECOND)
    held: list[Route] = []
    released: list[bool] = []

    def hold(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/timeline", hold)
    page.set_viewport_size(size)
    page.goto(f"{shared_server.base_url}/#/drafts/{draft_id_of(url)}")
    expect(page.locator("h1")).to_have_text("Loading draft…", timeout=FIRST_LOAD_MS)
    expect(page.locator(".timeline")).to_contain_text("Loading timeline…")
    expect(page.locator("#save-button")).to_be_disabled()
    expect(page.locator("h1")).not_to_contain_text(draft_id_of(url))
    # The held request reaches `hold` when Playwright next handles its events, which a page
    # that already shows its loading state may not have given it the time to do.
    for _ in range(200):
        if held:
            break
        page.wait_for_timeout(50)
    assert held
    released.append(True)
    for route in held:
        route.continue_()
    expect(page.locator("h1")).to_have_text(api.info(url)["name"])
    expect(page.locator("#save-button")).to_be_enabled()


@SIZES
def test_10_plain_words_render_needs_content_and_restore_is_not_offered_on_the_latest(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    empty = api.create_draft()
    open_draft(page, shared_server.base_url, draft_id_of(empty), size)
    expect(page.locator("#render-button")).to_be_disabled()
    page.locator("#validate-button").click()
    result = page.locator(".validate-result")
    expect(result).to_contain_text("Save it first")
    expect(result).not_to_contain_text("save_draft")

    url = api.create_draft()
    api.add_caption(url, "one", 0, SECOND)
    api.save(url)
    api.add_caption(url, "two", SECOND, 2 * SECOND)
    api.save(url)
    open_draft(page, shared_server.base_url, draft_id_of(url), size)
    rows = page.locator(".versions-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first.get_by_role("button", name="Restore version 2")).to_have_count(0)
    expect(rows.nth(1).get_by_role("button", name="Restore version 1")).to_be_visible()


@SIZES
def test_10_a_short_draft_has_an_end_and_a_useful_ruler(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    url = api.create_draft()
    api.add_caption(url, "two seconds", 0, 2 * SECOND)
    open_draft(page, shared_server.base_url, draft_id_of(url), size)
    block = page.locator(".block").bounding_box()
    end = page.locator(".tl-end").bounding_box()
    assert block is not None and end is not None
    assert end["x"] == pytest.approx(block["x"] + block["width"], abs=3)
    ticks = page.locator(".tick").all_inner_texts()
    assert len(ticks) >= 5, ticks
    assert ticks[-1] in ("0:02", "0:02.0"), ticks
    for name in page.locator(".lane-name").all():
        assert name.evaluate("n => n.scrollWidth <= n.clientWidth"), name.inner_text()


@SIZES
def test_10_a_long_draft_of_many_captions_stays_readable(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    url = api.create_draft()
    captions: list[dict[str, Any]] = [
        {"text": f"Caption number {n}", "start": n * 5 * SECOND, "end": (n + 1) * 5 * SECOND}
        for n in range(60)
    ]
    api.ok("add_captions", {"draft_url": url, "captions": captions})
    open_draft(page, shared_server.base_url, draft_id_of(url), size)
    expect(page.locator(".block")).to_have_count(60)
    width = page.locator(".block").first.bounding_box()
    assert width is not None and width["width"] >= 60
    assert page.locator(".tl-scroll").evaluate("s => s.scrollWidth > s.clientWidth")


@SIZES
def test_open_in_the_editor_gives_a_command_to_copy(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    url = api.create_draft()
    api.add_caption(url, "hello", 0, SECOND)
    open_draft(page, shared_server.base_url, draft_id_of(url), size)
    help_box = page.locator("#editor-help")
    help_box.locator("summary").click()
    command = f"draftsmith install --server {shared_server.base_url} {draft_id_of(url)}"
    expect(page.locator("#install-command")).to_have_text(command)
    page.locator("#copy-install").click()
    expect(page.locator(".toast")).to_contain_text("Install command copied")
    assert page.evaluate("navigator.clipboard.readText()") == command


@SIZES
def test_text_has_aa_contrast_in_both_themes(
    page: Page,
    shared_server: ServerProcess,
    api: Api,
    media_server: MediaServer,
    size: ViewportSize,
) -> None:
    url = api.create_draft()
    api.client.add_videos(url, [Video(media_server.url("bars.mp4"), 0, 2 * SECOND)])
    api.add_audio(url, media_server.url("tone.mp3"), 0, 2 * SECOND)
    api.add_caption(url, "hello", 0, SECOND)
    api.save(url)
    text_elements = (
        "h1, h2, .facts dt, .facts dd, .save-status, .lane-name, .tick, .block-label, .block-text,"
        " .scale-label, .render-status, .versions-table td, .versions-table th, .crumbs,"
        " button:not(:disabled), a.button, .muted"
    )
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        open_draft(page, shared_server.base_url, draft_id_of(url), size)
        expect(page.locator(".versions-table tbody tr")).to_have_count(1)
        low = [
            (loc.evaluate("e => e.className || e.tagName"), loc.inner_text()[:30], round(ratio, 2))
            for loc in page.locator(text_elements).all()
            if loc.is_visible()
            and loc.inner_text().strip()
            and (ratio := loc.evaluate(CONTRAST_JS)) < 4.5
        ]
        assert not low, (scheme, low)
    page.emulate_media(color_scheme="light")


def test_the_render_view_answers_a_draft_never_rendered_without_an_error(
    shared_server: ServerProcess, api: Api, http: httpx.Client
) -> None:
    url = api.create_draft()
    view = f"{shared_server.base_url}/ui/api/drafts/{draft_id_of(url)}/render"
    answer = http.get(view)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"job": None}
    missing = http.get(f"{shared_server.base_url}/ui/api/drafts/20200101000000{'0' * 16}/render")
    assert missing.status_code == 404, missing.text


@SIZES
def test_the_playhead_follows_the_player_and_a_click_on_the_timeline_seeks(
    page: Page, shared_server: ServerProcess, api: Api, size: ViewportSize
) -> None:
    url = api.create_draft(320, 240)
    api.add_caption(url, "two seconds", 0, 2 * SECOND)
    api.save(url)
    api.gen_video(url)
    assert api.wait(url, timeout=RENDER_MS / 1000)[0]["status"] == "completed"
    open_draft(page, shared_server.base_url, draft_id_of(url), size)
    page.wait_for_function(
        "() => { const v = document.querySelector('#render-video');"
        " return v && v.readyState >= 2; }"
    )
    playhead = page.locator("#playhead")
    expect(playhead).to_be_visible()
    body = page.locator(".lane-text .lane-body")
    body.scroll_into_view_if_needed()
    bounds = body.bounding_box()
    block = page.locator(".block").bounding_box()
    assert bounds is not None and block is not None
    scale = block["width"] / 2  # px per second
    body.click(position={"x": 1.5 * scale, "y": 5})
    page.wait_for_function(
        "() => Math.abs(document.querySelector('#render-video').currentTime - 1.5) < 0.1"
    )
    head = playhead.bounding_box()
    assert head is not None
    assert head["x"] + head["width"] / 2 == pytest.approx(bounds["x"] + 1.5 * scale, abs=4)
