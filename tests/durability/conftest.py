"""Fixtures of the durability tests: a real server whose save rate limit is off; and a saved
version read back with pyJianYingDraft.

These tests save as fast as they can on purpose; a 429 from frequency control would be the
limiter working, not the durability under test failing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from draft_oracle import DraftSummary, load_summary, unresolved_refs
from support.api import Api
from support.server import ServerProcess

UNLIMITED_ENV = {
    "DRAFTSMITH_ALLOW_PRIVATE_URLS": "1",
    "DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0",
    "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0",
}


@pytest.fixture
def unlimited_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of its own, fresh data directory, no save rate limit; free to kill."""
    with ServerProcess(tmp_path / "data", env=UNLIMITED_ENV) as process:
        yield process


def load_version(api: Api, draft_url: str, version: int | None, root: Path) -> DraftSummary:
    """Download a saved version as a zip and load it with pyJianYingDraft.

    Also fails the test if a segment of the folder names a material the folder lacks.
    """
    folder = api.download_draft(draft_url, root, version)
    assert unresolved_refs(folder) == {}, (version, unresolved_refs(folder))
    return load_summary(folder)
