"""Support for the UI tests: a headless Chromium driven by Playwright, the drafts they build,
and screenshots kept as CI artifacts."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, Playwright, ViewportSize, sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "artifacts" / "screenshots"
"""Where every page's screenshots go, desktop and phone size; CI keeps this folder."""
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # The render test plays the video from a script, not from a click.
    "--autoplay-policy=no-user-gesture-required",
]


def system_chromium() -> str | None:
    """The system's chromium: Debian's package, which scripts/test installs where apt exists."""
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


def chromium_path(playwright: Playwright) -> str | None:
    """The Chromium the UI tests drive: the system's, else Playwright's own build (None: the
    one Playwright launches by default), which scripts/test installs where there is no apt.

    Neither installed, the UI tests fail under CI and are skipped elsewhere, saying how to get one.
    """
    found = system_chromium()
    if found is not None:
        return found
    if Path(playwright.chromium.executable_path).exists():
        return None
    message = (
        "no chromium installed: run scripts/test (apt-get install chromium, "
        "or python -m playwright install chromium)"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def browser_line() -> str:
    """One line for the test run's header: which Chromium the UI tests drive."""
    found = system_chromium()
    if found is not None:
        return f"ui browser: {found} (the system's chromium)"
    with sync_playwright() as playwright:
        bundled = playwright.chromium.executable_path
    if Path(bundled).exists():
        return f"ui browser: {bundled} (Playwright's chromium)"
    return "ui browser: none installed; the UI tests fail under CI, else skip (see scripts/test)"


Screenshot = Callable[[Page, str], None]
"""`screenshot(page, name)`: keep the page as `<name>-desktop.png` and `<name>-phone.png`."""


@dataclass(frozen=True)
class BuiltDraft:
    url: str
    id: str
    name: str
