"""`Client.save` retrying against a real server that really fails for a while.

503 comes from maintenance mode and the restart that ends it, 429 from the per-draft rate
limit, 500 from a data directory on a full disk; nothing is mocked.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from draftsmith.client import (
    SECOND,
    Caption,
    Client,
    DraftNotFound,
    RateLimited,
    RetryNotice,
    RetryPolicy,
    SaveFailed,
    SaveResult,
    ServerUnreachable,
    Unavailable,
)
from support.server import ServerProcess, free_port
from support.small_disk import fill_up, mounted_tmpfs
from support.waiting import wait_for

# Short waits so that a test sees many attempts while the server is down.
QUICK = RetryPolicy(base=0.05, cap=0.1, max_wait=0.1)


def edited_draft(client: Client) -> str:
    draft = client.create_draft(640, 360).draft_url
    client.add_captions(draft, [Caption("edit", 0, SECOND)])
    return draft


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(1) as executor:
        yield executor


def test_save_rides_out_maintenance_and_the_restart_that_ends_it(
    server: ServerProcess, pool: ThreadPoolExecutor
) -> None:
    with Client(server.base_url, trust_env=False) as setup:
        draft = edited_draft(setup)
    server.restart(env={"DRAFTSMITH_MAINTENANCE": "1"})
    notices: list[RetryNotice] = []
    with Client(server.base_url, retry=QUICK, on_retry=notices.append, trust_env=False) as client:
        saving: Future[SaveResult] = pool.submit(client.save, draft, 500)
        wait_for(lambda: len(notices) >= 2)
        server.restart(env={"DRAFTSMITH_MAINTENANCE": "0"})
        result = saving.result(timeout=30)

    assert (result.version, result.created) == (1, True)
    refused = [n for n in notices if isinstance(n.error, ServerUnreachable)]
    maintenance = [n for n in notices if not isinstance(n.error, ServerUnreachable)]
    assert refused, "the restart must have been seen as connection errors"
    assert maintenance and all(type(n.error) is Unavailable for n in maintenance)
    first = maintenance[0]
    assert (first.error.status, first.error.retry_after) == (503, 30)
    # Retry-After asked for 30 s; the policy's max_wait capped the wait.
    assert first.delay == QUICK.max_wait
    assert [n.attempt for n in notices] == list(range(1, len(notices) + 1))
    assert notices.index(first) < notices.index(refused[0])


def test_save_waits_out_the_rate_limit_as_retry_after_says(tmp_path: Path) -> None:
    env = {"DRAFTSMITH_SAVE_RATE_PER_DRAFT": "1", "DRAFTSMITH_RATE_BURST": "1"}
    notices: list[RetryNotice] = []
    with (
        ServerProcess(tmp_path / "data", env=env) as server,
        Client(server.base_url, on_retry=notices.append, trust_env=False) as client,
    ):
        draft = edited_draft(client)
        assert client.save(draft).version == 1
        client.add_captions(draft, [Caption("more", SECOND, 2 * SECOND)])
        started = time.monotonic()
        second = client.save(draft)
        waited = time.monotonic() - started
        with pytest.raises(RateLimited) as limited:
            client.save(draft, retries=0)

    assert (second.version, second.created) == (2, True)
    assert len(notices) == 1
    (notice,) = notices
    assert type(notice.error) is RateLimited
    assert (notice.error.status, notice.error.retry_after) == (429, 1)
    assert notice.delay >= 1.0 and waited >= 1.0
    assert (limited.value.status, limited.value.exit_code) == (429, 5)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "disk", "size=8m,mode=0755") as mount_point:
        yield mount_point


def test_save_retries_a_failing_write_until_the_store_recovers(
    tmp_path: Path, small_disk: Path, pool: ThreadPoolExecutor
) -> None:
    notices: list[RetryNotice] = []
    # The data directory is a small disk that fills up: every write of the save fails.
    with (
        ServerProcess(tmp_path / "logs", args=["--data-dir", str(small_disk)]) as server,
        Client(server.base_url, retry=QUICK, on_retry=notices.append, trust_env=False) as client,
    ):
        draft = edited_draft(client)
        filler = fill_up(small_disk)
        try:
            saving: Future[SaveResult] = pool.submit(client.save, draft, 500)
            wait_for(lambda: len(notices) >= 2)
        finally:
            filler.unlink()
        result = saving.result(timeout=30)
        assert client.list_versions(draft)[-1].version == result.version == 1

    assert all(type(n.error) is SaveFailed for n in notices)
    assert (notices[0].error.status, notices[0].error.detail) == (500, "Save failed")


def test_a_404_is_raised_at_once(shared_server: ServerProcess) -> None:
    sleeps: list[float] = []
    notices: list[RetryNotice] = []
    client = Client(
        shared_server.base_url, sleep=sleeps.append, on_retry=notices.append, trust_env=False
    )
    with client, pytest.raises(DraftNotFound) as missing:
        client.save("20240101000000" + "f" * 16, retries=5)
    assert missing.value.status == 404
    assert sleeps == [] and notices == []


def test_no_server_at_all_is_retried_then_raised_as_unreachable() -> None:
    sleeps: list[float] = []
    base = f"http://127.0.0.1:{free_port()}"
    policy = RetryPolicy(jitter=lambda: 1.0)
    client = Client(base, retry=policy, sleep=sleeps.append, trust_env=False)
    with client, pytest.raises(ServerUnreachable) as down:
        client.save("20240101000000" + "f" * 16, retries=3)
    assert sleeps == [0.5, 1.0, 2.0]
    assert isinstance(down.value, Unavailable)
    assert down.value.exit_code == Unavailable.kind.exit_code
    assert base in down.value.detail
