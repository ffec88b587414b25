"""Preview before render: a low-resolution render of the draft as it is now, saved or not,
made by the same renderer, played under the timeline's playhead and never taken for a render
of a version. Over HTTP and in real Chromium at desktop and phone size."""

from __future__ import annotations

import threading

import httpx
import pytest
from playwright.sync_api import Page, ViewportSize, expect

from draftsmith.errors import PreviewInProgress, Unavailable
from draftsmith.render.preview import PreviewEncoder, preview_canvas
from draftsmith.service.previews import PreviewGate
from draftsmith.timeline.model import Canvas
from support.api import SECOND, Api
from support.downloads import draft_id_of
from support.server import ServerProcess
from ui.browser import DESKTOP, PHONE, Screenshot

SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
FIRST_LOAD_MS = 30_000
PREVIEW_MS = 60_000


def test_a_preview_is_at_most_360_pixels_on_its_shorter_side() -> None:
    assert preview_canvas(Canvas(1920, 1080, 30)) == Canvas(640, 360, 30)
    assert preview_canvas(Canvas(1080, 1920, 60)) == Canvas(360, 640, 30)
    assert preview_canvas(Canvas(320, 240, 25)) == Canvas(320, 240, 25)
    args = PreviewEncoder().encoder_args(Canvas(1280, 720, 30))
    assert args[args.index("-preset") + 1] == "ultrafast"
    assert args[args.index("-s") + 1] == "640x360"


def test_one_preview_per_draft_and_a_bound_per_process() -> None:
    gate = PreviewGate(at_once=2)
    inside = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with gate.turn("a"):
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(10)
    with pytest.raises(PreviewInProgress), gate.turn("a"):
        pass
    with gate.turn("b"), pytest.raises(Unavailable), gate.turn("c"):
        pass
    release.set()
    holder.join()
    with gate.turn("a"):
        pass


def test_the_preview_endpoint_renders_the_unsaved_state_and_is_no_render_job(
    shared_server: ServerProcess, api: Api, http: httpx.Client
) -> None:
    url = api.create_draft(1280, 720)
    api.add_caption(url, "not saved", 0, SECOND)
    draft_id = draft_id_of(url)
    endpoint = f"{shared_server.base_url}/ui/api/drafts/{draft_id}/preview"
    answer = http.post(endpoint, timeout=PREVIEW_MS / 1000)
    assert answer.status_code == 200, answer.text
    preview = answer.json()
    assert preview["preview"] is True
    assert (preview["width"], preview["height"]) == (640, 360)
    assert preview["revision"] == api.info(url)["current_version"]
    assert preview["last_saved_version"] is None and preview["unsaved_changes"] is True
    assert preview["duration"] == SECOND
    assert [entry["feature"] for entry in preview["report"]] == ["caption"]
    video = http.get(f"{shared_server.base_url}/{preview['video_url']}")
    assert video.status_code == 200, video.text
    assert video.headers["content-type"] == "video/mp4"
    assert video.content[4:8] == b"ftyp"
    assert len(video.content) == preview["video_size"]
    ranged = http.get(
        f"{shared_server.base_url}/{preview['video_url']}", headers={"Range": "bytes=0-7"}
    )
    assert ranged.status_code == 206 and ranged.content == video.content[:8]

    # No render job, no version: gen_video_status knows nothing of it.
    status = api.post("gen_video_status", {"draft_url": url})
    assert status.status_code == 404, status.text
    assert status.json()["code"] == "render_job_not_found"
    assert api.versions(url) == []


def test_the_preview_endpoint_refuses_what_it_cannot_preview(
    shared_server: ServerProcess, api: Api, http: httpx.Client
) -> None:
    base = shared_server.base_url
    empty = draft_id_of(api.create_draft())
    answer = http.post(f"{base}/ui/api/drafts/{empty}/preview")
    assert answer.status_code == 400, answer.text
    assert "empty" in answer.json()["detail"]
    missing = http.post(f"{base}/ui/api/drafts/20200101000000{'0' * 16}/preview")
    assert missing.status_code == 404, missing.text
    url = api.create_draft()
    api.add_caption(url, "x", 0, SECOND)
    other = draft_id_of(url)
    not_a_preview = f"{base}/ui/api/drafts/{other}/previews/{'0' * 64}.mp4"
    assert http.get(not_a_preview).status_code == 404
    assert http.get(f"{base}/ui/api/drafts/{other}/previews/nothex.mp4").status_code == 400


def open_draft(page: Page, base_url: str, draft_id: str, size: ViewportSize) -> None:
    page.set_viewport_size(size)
    page.goto(f"{base_url}/#/drafts/{draft_id}")
    expect(page.locator("#save-button")).to_be_enabled(timeout=FIRST_LOAD_MS)


def video_time(page: Page) -> float:
    seconds: float = page.locator("#preview-video").evaluate("v => v.currentTime")
    return seconds


@SIZES
def test_preview_plays_under_the_playhead_and_is_never_a_render(
    page: Page,
    shared_server: ServerProcess,
    api: Api,
    size: ViewportSize,
    screenshot: Screenshot,
) -> None:
    url = api.create_draft(320, 240)
    api.add_caption(url, "Four seconds of preview", 0, 4 * SECOND)
    open_draft(page, shared_server.base_url, draft_id_of(url), size)
    panel = page.locator("#preview-panel")
    render = page.locator("section.render")
    expect(render).to_have_attribute("data-state", "none")

    page.locator("#preview-button").click()
    expect(panel).to_have_attribute("data-state", "ready", timeout=PREVIEW_MS)
    page.wait_for_function(
        "() => { const v = document.querySelector('#preview-video');"
        " return v && v.readyState >= 2; }"
    )
    status = page.locator("#preview-status")
    expect(status).to_contain_text("unsaved changes included")
    expect(status).to_contain_text("Not a render of a version")
    expect(panel.locator(".preview-badge")).to_have_text("Preview")
    expect(page.locator("#preview-video")).to_have_attribute(
        "aria-label",
        "Preview of the draft as it is now (low resolution; not a render of a version)",
    )
    expect(page.locator("#preview-button")).to_have_text("Update preview")
    # Still no render of any version, and nothing was saved.
    expect(render).to_have_attribute("data-state", "none")
    expect(page.locator("#save-status")).to_have_attribute("data-state", "never")

    # A click on the timeline moves the player, and the playhead with it.
    body = page.locator(".lane-text .lane-body")
    body.scroll_into_view_if_needed()
    bounds = body.bounding_box()
    block = page.locator(".block").bounding_box()
    assert bounds is not None and block is not None
    scale = block["width"] / 4  # px per second
    body.click(position={"x": 2.5 * scale, "y": 5})
    page.wait_for_function(
        "() => Math.abs(document.querySelector('#preview-video').currentTime - 2.5) < 0.1"
    )
    playhead = page.locator("#playhead")
    head = playhead.bounding_box()
    assert head is not None
    assert head["x"] + head["width"] / 2 == pytest.approx(bounds["x"] + 2.5 * scale, abs=4)

    # The keyboard seeks too: the ruler is a slider.
    ruler = page.locator("#timeline-ruler")
    ruler.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('#preview-video').currentTime - 1.5) < 0.1"
    )
    expect(ruler).to_have_attribute("aria-valuenow", "1.5")
    page.keyboard.press("Home")
    page.wait_for_function("() => document.querySelector('#preview-video').currentTime < 0.1")

    # While it plays, the playhead moves over the timeline.
    start = playhead.bounding_box()
    assert start is not None
    page.locator("#preview-video").evaluate("v => { v.muted = true; return v.play(); }")
    page.wait_for_function(
        "() => document.querySelector('#preview-video').currentTime > 1", timeout=20_000
    )
    moved = playhead.bounding_box()
    assert moved is not None and moved["x"] > start["x"] + scale / 2
    page.locator("#preview-video").evaluate("v => v.pause()")
    page.locator("#preview-video").evaluate("v => { v.currentTime = 0.5; }")
    page.evaluate("document.activeElement.blur()")
    if size == DESKTOP:
        screenshot(page, "preview")

    # A change after the preview makes it out of date, in words.
    api.add_caption(url, "later", 4 * SECOND, 5 * SECOND)
    expect(panel).to_have_attribute("data-stale", "true")
    expect(status).to_contain_text("Out of date: the draft changed since")
