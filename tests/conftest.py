"""Fixtures shared by the whole suite: real media, a media server, the real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support.media import StandardMedia, build_standard_media
from support.media_server import MediaServer
from support.server import ServerProcess

# The server refuses loopback media URLs unless told otherwise; the media server is loopback.
TEST_SERVER_ENV = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1"}
SERVER_FIXTURES = frozenset({"server", "shared_server"})


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
