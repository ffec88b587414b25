"""Fixtures for the parity tests: the shared server's API."""

from __future__ import annotations

import pytest

from support.api import Api, ApiOpener
from support.server import ServerProcess


@pytest.fixture
def api(shared_server: ServerProcess, apis: ApiOpener) -> Api:
    """The shared server's API; isolate by creating a draft of your own."""
    return apis(shared_server.base_url)
