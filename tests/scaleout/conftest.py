"""A scale-out deployment in miniature: three server processes on their own ports sharing one
throwaway PostgreSQL database and one S3 bucket on a local moto server.

Each process has a data directory of its own, which holds only its log and scratch files: any
state a process kept there instead of the shared stores would show up as a failing test.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass

import pytest

from support.postgres import throwaway_database
from support.s3 import MotoServer
from support.server import ServerProcess

PROCESSES = 3
SCALEOUT_ENV = {
    "DRAFTSMITH_ALLOW_PRIVATE_URLS": "1",
    # These tests edit and save as fast as they can on purpose; the limiter is not under test.
    "DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0",
    "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0",
}


@dataclass(frozen=True)
class Cluster:
    servers: list[ServerProcess]
    s3: MotoServer
    bucket: str
    prefix: str
    database_url: str

    def server(self, index: int) -> ServerProcess:
        """The server a round-robin load balancer would pick for request number `index`."""
        return self.servers[index % len(self.servers)]

    def base_url(self, index: int) -> str:
        return self.server(index).base_url


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("scaleout")
    with (
        throwaway_database("draftsmith_scaleout") as database_url,
        MotoServer(root / "moto.log") as s3,
        ExitStack() as running,
    ):
        bucket = s3.new_bucket()
        prefix = "shared/"
        env = {
            **SCALEOUT_ENV,
            **s3.server_env(bucket, prefix),
            "DRAFTSMITH_DATABASE_URL": database_url,
        }

        def start(index: int) -> ServerProcess:
            # Three start-ups at once on a busy two-core machine can take a while.
            return ServerProcess(root / f"data-{index}", env=env, startup_timeout=60)

        # Started together, as a deployment rolls out: they race to migrate the schema.
        with ThreadPoolExecutor(PROCESSES) as pool:
            starting = [pool.submit(start, index) for index in range(PROCESSES)]
        for future in starting:
            if future.exception() is None:
                running.enter_context(future.result())
        # Raises the first start-up failure; the processes that did start are stopped.
        servers = [future.result() for future in starting]
        yield Cluster(servers, s3, bucket, prefix, database_url)
