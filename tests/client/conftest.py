"""Fixtures for the client tests: clients of the shared server and media URLs to add."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from draftsmith.client import Client, RetryNotice
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess


@dataclass(frozen=True)
class MediaUrls:
    """URLs of the standard media on the media server."""

    video: str
    audio: str
    image: str


@pytest.fixture(scope="session")
def media_urls(media_server: MediaServer, standard_media: StandardMedia) -> MediaUrls:
    return MediaUrls(
        video=media_server.url(standard_media.bars.name),
        audio=media_server.url(standard_media.tone.name),
        image=media_server.url(standard_media.still.name),
    )


@pytest.fixture
def notices() -> list[RetryNotice]:
    """Collects what a client's `on_retry` is told."""
    return []


@pytest.fixture
def client(shared_server: ServerProcess, notices: list[RetryNotice]) -> Iterator[Client]:
    """A client of the shared server; isolate by creating drafts of your own."""
    with Client(shared_server.base_url, on_retry=notices.append, trust_env=False) as client:
        yield client
