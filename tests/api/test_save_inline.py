"""A save with nothing to save, on the local (SQLite) store, is answered without a worker
thread, API key lookup included: it still answers while every worker thread is taken, and a
save with something to save waits for one, as every write does."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
import pytest
from pydantic import SecretStr

from draftsmith.bootstrap import http_app
from draftsmith.config import Settings
from support.api import API_PREFIX, SECOND
from support.event_loop import run_coroutine

CAPTION = {"start": 0, "end": SECOND, "text": "saved"}
API_KEY = "ds_inline-save-test-key"


async def post(client: httpx.AsyncClient, verb: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(f"{API_PREFIX}/{verb}", json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def saves_with_the_pool_taken(
    data_dir: Path, keys: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    app = http_app(Settings(data_dir=data_dir, api_keys=[SecretStr(key) for key in keys]))
    transport = httpx.ASGITransport(app=app)
    headers = {"X-API-Key": keys[0]} if keys else {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1", headers=headers
        ) as client,
    ):
        draft_url = (await post(client, "create_draft", {"width": 1280, "height": 720}))[
            "draft_url"
        ]
        captions = {"draft_url": draft_url, "captions": json.dumps([CAPTION])}
        await post(client, "add_captions", captions)
        await post(client, "save_draft", {"draft_url": draft_url})
        # From here on one worker thread serves the app, and a blocked call holds it.
        anyio.to_thread.current_default_thread_limiter().total_tokens = 1
        release = threading.Event()
        holder = asyncio.ensure_future(anyio.to_thread.run_sync(release.wait))
        await asyncio.sleep(0.05)
        try:
            unchanged = await asyncio.wait_for(
                post(client, "save_draft", {"draft_url": draft_url}), timeout=10
            )
            # An edit's write takes a worker thread, so it waits for the held one.
            edit = asyncio.ensure_future(post(client, "add_captions", captions))
            await asyncio.sleep(0.3)
            assert not edit.done()
        finally:
            release.set()
        await holder
        await asyncio.wait_for(edit, timeout=30)
        created = await post(client, "save_draft", {"draft_url": draft_url})
    return unchanged, created


@pytest.mark.parametrize("keys", [[], [API_KEY]], ids=["keys-off", "keys-on"])
def test_an_unchanged_save_needs_no_worker_thread(tmp_path: Path, keys: list[str]) -> None:
    unchanged, created = run_coroutine(saves_with_the_pool_taken(tmp_path / "data", keys))
    assert (unchanged["version"], unchanged["created"], unchanged["warnings"]) == (1, False, [])
    assert (created["version"], created["created"]) == (2, True)
    assert created["current_version"] == unchanged["current_version"] + 1
