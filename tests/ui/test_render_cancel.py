"""The render panel's Cancel button, in real Chromium against a real server whose renders stay
queued (no render worker), so the button is there to press."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from support.api import SECOND, ApiOpener
from support.downloads import draft_id_of
from support.server import ServerProcess

QUEUE_ONLY = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1", "DRAFTSMITH_RENDER_WORKERS": "0"}


@pytest.fixture(scope="module")
def queue_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("ui-queue-only"), env=QUEUE_ONLY) as server:
        yield server


def test_a_queued_render_is_cancelled_from_the_render_panel(
    page: Page, queue_only: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(queue_only.base_url)
    name = f"Cancel me {secrets.token_hex(3)}"
    draft_url = api.create_draft(name=name)
    api.add_caption(draft_url, "queued, never rendered", 0, 2 * SECOND)
    api.save(draft_url)
    page.goto(f"{queue_only.base_url}/#/drafts/{draft_id_of(draft_url)}")
    panel = page.locator("section.render")
    cancel = page.locator("#render-cancel")
    expect(panel).to_have_attribute("data-state", "none")
    expect(cancel).to_be_hidden()

    page.locator("#render-button").click()
    expect(panel).to_have_attribute("data-state", "pending")
    expect(page.locator("#render-button")).to_be_disabled()
    cancel.click()

    expect(panel).to_have_attribute("data-state", "cancelled")
    expect(panel.locator(".render-status")).to_contain_text("Render cancelled")
    expect(cancel).to_be_hidden()
    expect(page.locator("#render-button")).to_be_enabled()
    assert api.status(draft_url)["status"] == "cancelled"

    page.goto(f"{queue_only.base_url}/#/drafts")
    row = page.locator(".drafts-table tbody tr").filter(has_text=name)
    expect(row.locator(".render-cell")).to_have_text("Render cancelled")
