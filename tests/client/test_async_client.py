"""`AsyncClient` against a real server: the same verbs, errors, retries and auto-save."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from client.conftest import MediaUrls
from draftsmith.client import (
    SECOND,
    AsyncClient,
    Audio,
    Caption,
    DraftNotFound,
    Image,
    RetryPolicy,
    ServerUnreachable,
    Video,
)
from support.event_loop import run_coroutine
from support.server import ServerProcess, free_port


def test_every_method_works_awaited(
    shared_server: ServerProcess, media_urls: MediaUrls, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with AsyncClient(shared_server.base_url, trust_env=False) as client:
            assert await client.ready()
            created = await client.create_draft(640, 360, "async workflow")
            draft = created.draft_url
            await client.add_videos(draft, [Video(media_urls.video, 0, SECOND)])
            await client.add_audios(draft, [Audio(media_urls.audio, 0, SECOND)])
            await client.add_images(created.draft_id, [Image(media_urls.image, 0, SECOND)])
            await client.add_captions(draft, [Caption("async", 0, SECOND)])
            info = await client.get_draft_info(draft)
            assert info.unsaved_changes and info.segment_count == 4

            saved = await client.save(draft)
            assert (saved.version, saved.created) == (1, True)
            assert (await client.get_draft(draft, 1)).version == 1
            zipped = await client.download_draft(draft, tmp_path / "a.zip")
            assert zipped.size > 0 and len(zipped.entries) == 6
            folder = await client.download_draft(draft, tmp_path / "dir", extract=True)
            assert (folder.path / "draft_info.json").is_file()

            await client.add_captions(draft, [Caption("two", SECOND, 2 * SECOND)])
            assert (await client.save_draft(draft)).version == 2
            restored = await client.restore_version(draft, 1)
            assert restored.version == 3
            assert [v.version for v in await client.list_versions(draft)] == [1, 2, 3]
            listed = await client.list_drafts(query="async workflow")
            assert [d.draft_id for d in listed] == [created.draft_id]

            assert await client.delete_draft(draft)
            with pytest.raises(DraftNotFound):
                await client.save(draft, retries=5)

    run_coroutine(scenario())


def test_async_auto_save_saves_after_an_edit(shared_server: ServerProcess) -> None:
    async def scenario() -> None:
        async with AsyncClient(shared_server.base_url, trust_env=False) as client:
            draft = (await client.create_draft()).draft_url
            async with client.auto_save(draft, every=0.1) as saver:
                await asyncio.sleep(0.4)
                assert await client.list_versions(draft) == []
                await client.add_captions(draft, [Caption("edit", 0, SECOND)])
                for _ in range(200):
                    if saver.last_result is not None:
                        break
                    await asyncio.sleep(0.05)
                assert saver.last_result is not None and saver.last_result.version == 1
                await asyncio.sleep(0.4)
                assert len(await client.list_versions(draft)) == 1
            assert not saver.running and saver.saves == 1

    run_coroutine(scenario())


def test_async_retries_use_the_same_policy() -> None:
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    async def scenario() -> None:
        policy = RetryPolicy(jitter=lambda: 1.0)
        base = f"http://127.0.0.1:{free_port()}"
        async with AsyncClient(base, retry=policy, sleep=record, trust_env=False) as client:
            with pytest.raises(ServerUnreachable):
                await client.get_draft_info("20240101000000" + "a" * 16)

    run_coroutine(scenario())
    assert waits == [0.5, 1.0, 2.0]
