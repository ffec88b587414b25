"""Fixtures for the MCP tests: a server with API keys on, and the media URLs to add."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agents.scenario import MediaUrls
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess

KEY_A = "mcp-test-key-aaaaaaaaaaaaaaaa"
KEY_B = "mcp-test-key-bbbbbbbbbbbbbbbb"
# As tests/conftest.py's TEST_SERVER_ENV: the media server is on loopback.
ALLOW_LOOPBACK_MEDIA = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1"}


@pytest.fixture(scope="session")
def media(media_server: MediaServer, standard_media: StandardMedia) -> MediaUrls:
    return MediaUrls(
        video=media_server.url(standard_media.bars.name),
        image=media_server.url(standard_media.still.name),
        audio=media_server.url(standard_media.tone.name),
    )


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of this module's own with two API keys configured, KEY_A and KEY_B."""
    env = {**ALLOW_LOOPBACK_MEDIA, "DRAFTSMITH_API_KEYS": f"{KEY_A},{KEY_B}"}
    with ServerProcess(tmp_path_factory.mktemp("mcp-keyed"), env=env) as process:
        yield process


@pytest.fixture(scope="module")
def mcp_url(keyed_server: ServerProcess) -> str:
    return f"{keyed_server.base_url}/mcp/"
