"""Save rate limits with three server processes on one PostgreSQL database: a draft's limit,
and a client's, hold in total, not once per process."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from support.api import Api
from support.postgres import throwaway_database
from support.server import ServerProcess

pytestmark = pytest.mark.slow

BURST = 6
SAVES = 4 * BURST


@pytest.fixture
def three(tmp_path: Path) -> Iterator[list[ServerProcess]]:
    with throwaway_database("draftsmith_limits") as database_url, ExitStack() as running:
        env = {
            "DRAFTSMITH_DATABASE_URL": database_url,
            "DRAFTSMITH_RENDER_WORKERS": "0",
            # A burst of saves, then (practically) none: what each process let through adds up.
            "DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0.0001",
            "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0.0001",
            "DRAFTSMITH_RATE_BURST": str(BURST),
        }
        yield [
            running.enter_context(
                ServerProcess(tmp_path / f"data-{index}", env=env, startup_timeout=60)
            )
            for index in range(3)
        ]


def test_the_save_limits_hold_across_three_processes(three: list[ServerProcess]) -> None:
    with Api(three[0].base_url) as api:
        draft = api.create_draft()
        api.add_caption(draft, "one")
        other = api.create_draft()
    start = threading.Barrier(SAVES)
    limits = httpx.Limits(max_connections=SAVES)

    with httpx.Client(timeout=60, trust_env=False, limits=limits) as http:

        def save(index: int) -> httpx.Response:
            server = three[index % 3]
            start.wait(timeout=60)
            return http.post(server.api("save_draft"), json={"draft_url": draft})

        with ThreadPoolExecutor(SAVES) as pool:
            answers = list(pool.map(save, range(SAVES)))
        # The draft's limit refused the rest before they reached the client's limit, which the
        # accepted saves used up: the first save of another draft is refused by it.
        client_limited = http.post(three[1].api("save_draft"), json={"draft_url": other})

    statuses = sorted(response.status_code for response in answers)
    assert statuses == [200] * BURST + [429] * (SAVES - BURST)
    assert all(int(r.headers["Retry-After"]) >= 1 for r in answers if r.status_code == 429)
    assert client_limited.status_code == 429, client_limited.text
    with Api(three[2].base_url) as api:
        assert [v["version"] for v in api.versions(draft)] == [1]
