"""Fixtures for the parity tests: the shared server's API."""

from __future__ import annotations

import httpx
import pytest

from api.draft_api import DraftApi
from support.server import ServerProcess


@pytest.fixture
def api(shared_server: ServerProcess, http: httpx.Client) -> DraftApi:
    """The shared server's API; isolate by creating a draft of your own."""
    return DraftApi(http, shared_server.base_url)
