"""`draftsmith mcp` over stdio, through the SDK's client: the same tools and scenario as over
HTTP, on a data directory that a `draftsmith serve` shares. The server only serves the links
the tools hand out (it renders nothing: DRAFTSMITH_RENDER_WORKERS=0), so the render is done by
the stdio process's own workers."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agents.conftest import ALLOW_LOOPBACK_MEDIA, KEY_A, KEY_B
from agents.mcp_client import call, call_error, stdio_session
from agents.scenario import (
    MediaUrls,
    build_scenario,
    check_folder,
    download_folder,
    render_to_completion,
    restore_first_version,
)
from agents.test_http import TOOLS
from draftsmith.bootstrap import build_drafts
from draftsmith.config import Settings
from draftsmith.errors import Unauthorized
from draftsmith.security.caller import UNRESTRICTED
from draftsmith.security.keys import configured_key_id, hash_key
from support.event_loop import run_coroutine
from support.server import ServerProcess, server_env


@pytest.fixture
def link_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server on the data directory the stdio process will use, rendering nothing."""
    env = {**ALLOW_LOOPBACK_MEDIA, "DRAFTSMITH_RENDER_WORKERS": "0"}
    with ServerProcess(tmp_path / "data", env=env) as process:
        yield process


def test_scenario_over_stdio(link_server: ServerProcess, media: MediaUrls, tmp_path: Path) -> None:
    args = ("--public-url", link_server.base_url)

    async def scenario() -> tuple[set[str], str, str, dict[str, Any]]:
        async with stdio_session(link_server.data_dir, args, ALLOW_LOOPBACK_MEDIA) as session:
            names = {tool.name for tool in (await session.list_tools()).tools}
            built = await build_scenario(session, media)
            error = await call_error(session, "save_draft", draft_id="2026" + "0" * 26)
            await restore_first_version(session, built.draft_id)
            status = dict(await render_to_completion(session, built.draft_id))
            listed = await call(session, "list_drafts", query="mcp scenario")
            assert [d["draft_id"] for d in listed["drafts"]] == [built.draft_id]
            return names, built.download_url, error, status

    names, download_url, error, status = run_coroutine(scenario())
    assert names >= TOOLS
    # The stdio process names the draft's files at the server sharing its store.
    assert download_url.startswith(link_server.base_url)
    check_folder(download_folder(download_url, tmp_path / "downloaded"))
    assert error.startswith("Draft does not exist (draft_not_found). ")
    assert status["status"] == "completed", status
    assert status["version"] == 3
    with httpx.Client(timeout=30, trust_env=False) as http:
        video = http.get(str(status["video_url"]))
    assert video.status_code == 200, video.text
    assert video.content[4:8] == b"ftyp"


def test_stdio_with_an_api_key_acts_as_that_key(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = {"DRAFTSMITH_API_KEYS": f"{KEY_A},{KEY_B}"}

    async def create() -> str:
        async with stdio_session(data_dir, ("--api-key", KEY_A), env) as session:
            return str((await call(session, "create_draft"))["draft_id"])

    draft_id = run_coroutine(create())
    drafts = build_drafts(Settings(data_dir=data_dir))
    try:
        owner = drafts.header(UNRESTRICTED, draft_id).owner
    finally:
        drafts.close()
    assert owner == configured_key_id(hash_key(KEY_A))


def test_stdio_refuses_to_start_with_a_key_that_is_not_live(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "draftsmith", "mcp", "--data-dir", str(tmp_path)]
    finished = subprocess.run(
        [*command, "--api-key", "not-a-key"],
        check=False,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=server_env({"DRAFTSMITH_API_KEYS": KEY_A}),
    )
    assert finished.returncode == Unauthorized().exit_code, finished.stderr
    assert "error: Invalid or revoked API key" in finished.stderr
    assert finished.stdout == ""
