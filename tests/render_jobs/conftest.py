"""Servers that render: ffmpeg slowed to real time so tests can act while a render runs, and
media long enough to catch one running."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import imageio_ffmpeg
import pytest

from support.api import Api, ApiOpener
from support.media import make_video
from support.media_server import MediaServer
from support.server import ServerProcess

LONG_SECONDS = 6.0
# As tests/conftest.py's TEST_SERVER_ENV: the media servers are on loopback.
SERVER_ENV = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1"}


@pytest.fixture(scope="session")
def slow_ffmpeg_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Server settings whose renders read their first input no faster than it plays (`-re`),
    so a draft that opens on an N-second video takes about N seconds to render."""
    wrapper = tmp_path_factory.mktemp("slow-ffmpeg") / "ffmpeg"
    wrapper.write_text(f'#!/bin/sh\nexec "{imageio_ffmpeg.get_ffmpeg_exe()}" -re "$@"\n')
    wrapper.chmod(0o755)
    return {**SERVER_ENV, "IMAGEIO_FFMPEG_EXE": str(wrapper)}


@pytest.fixture(scope="session")
def long_media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MediaServer]:
    """Serves long.mp4, a LONG_SECONDS test pattern with sound."""
    directory = tmp_path_factory.mktemp("long-media")
    make_video(directory / "long.mp4", seconds=LONG_SECONDS)
    with MediaServer(directory) as media:
        yield media


@pytest.fixture
def slow_server(tmp_path: Path, slow_ffmpeg_env: dict[str, str]) -> Iterator[ServerProcess]:
    """A server of its own, one render worker, real-time ffmpeg."""
    with ServerProcess(tmp_path / "data", env=slow_ffmpeg_env) as server:
        yield server


@pytest.fixture
def slow_api(slow_server: ServerProcess, apis: ApiOpener) -> Api:
    return apis(slow_server.base_url)
