"""Fixtures shared by the whole suite: real media, a media server, the real server; and the
session's PostgreSQL, which the run's header names with the browser the UI tests drive."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from support.api import Api, ApiOpener
from support.media import StandardMedia, build_standard_media
from support.media_server import MediaServer
from support.postgres import session_postgres
from support.server import ServerProcess
from ui.browser import browser_line

# The server refuses loopback media URLs unless told otherwise; the media server is loopback.
TEST_SERVER_ENV = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1"}
SERVER_FIXTURES = frozenset({"server", "shared_server"})
POSTGRES_LINE = pytest.StashKey[str]()
POSTGRES_SESSION = pytest.StashKey[ExitStack]()


def pytest_configure(config: pytest.Config) -> None:
    # One PostgreSQL for the whole run, chosen (or started) by the main process before any
    # xdist worker exists: workers inherit its URL through the environment.
    if hasattr(config, "workerinput") or config.getoption("help"):
        return
    session = ExitStack()
    config.stash[POSTGRES_LINE] = session.enter_context(session_postgres())
    config.stash[POSTGRES_SESSION] = session


def pytest_unconfigure(config: pytest.Config) -> None:
    if POSTGRES_SESSION in config.stash:
        config.stash[POSTGRES_SESSION].close()
        del config.stash[POSTGRES_SESSION]


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        config.stash.get(POSTGRES_LINE, "postgresql: chosen by the main process"),
        browser_line(),
    ]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def standard_media(tmp_path_factory: pytest.TempPathFactory) -> StandardMedia:
    """bars.mp4, red.mp4, tone.mp3, still.png and fake.mp4, made once per session."""
    return build_standard_media(tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="session")
def media_dir(standard_media: StandardMedia) -> Path:
    """Directory holding the standard media set; treat it as read-only."""
    return standard_media.directory


@pytest.fixture(scope="session")
def media_server(media_dir: Path) -> Iterator[MediaServer]:
    """Serves `media_dir` on 127.0.0.1, with /redirect, /slow, /big and /status/CODE."""
    with MediaServer(media_dir) as media:
        yield media


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of its own with a fresh data directory; free to stop, kill or restart."""
    with ServerProcess(tmp_path / "data", env=TEST_SERVER_ENV) as process:
        yield process


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server per test session (per xdist worker); isolate by draft, never stop it."""
    with ServerProcess(tmp_path_factory.mktemp("shared-data"), env=TEST_SERVER_ENV) as process:
        yield process


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """A plain client; ignores proxy settings of the environment, everything here is local."""
    with httpx.Client(timeout=30, trust_env=False) as client:
        yield client


@pytest.fixture
def apis() -> Iterator[ApiOpener]:
    """`apis(base_url, key=None)`: the API of any server, closed when the test ends."""
    with ExitStack() as opened:

        def open_api(base_url: str, key: str | None = None) -> Api:
            return opened.enter_context(Api(base_url, key=key))

        yield open_api
