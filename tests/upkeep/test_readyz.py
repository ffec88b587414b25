"""/readyz reports each dependency (database, file store, render workers) with its latency; one
that fails, or answers slower than DRAFTSMITH_READY_SLOW_SECONDS, makes it 503 with the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import sql

from support.postgres import admin_url, throwaway_database
from support.server import ServerProcess

pytestmark = pytest.mark.slow

DEPENDENCIES = {"database", "blob_store", "render_workers"}


def readyz(server: ServerProcess) -> httpx.Response:
    return httpx.get(f"{server.base_url}/readyz", timeout=30, trust_env=False)


def test_each_dependency_is_reported_with_its_latency(tmp_path: Path) -> None:
    with ServerProcess(tmp_path / "data", env={"DRAFTSMITH_RENDER_WORKERS": "2"}) as server:
        ready = readyz(server)

    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == DEPENDENCIES
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert all(check["latency_ms"] >= 0 for check in body["checks"].values())
    assert body["checks"]["render_workers"]["detail"] == "2 of 2 running"


def test_a_failing_file_store_makes_it_unready_and_says_which(tmp_path: Path) -> None:
    with ServerProcess(tmp_path / "data") as server:
        shutil.rmtree(server.data_dir / "blobs")
        gone = readyz(server)

    assert gone.status_code == 503, gone.text
    assert gone.headers["Retry-After"]
    body = gone.json()
    assert body["code"] == "service_unavailable"
    assert "no blobs/ directory" in body["detail"]
    assert body["checks"]["blob_store"]["status"] == "failing"
    assert body["checks"]["blob_store"]["detail"] == body["detail"]
    assert body["checks"]["database"]["status"] == "ok"


def test_a_slow_dependency_makes_it_unready(tmp_path: Path) -> None:
    # Every check takes longer than a nanosecond: all are too slow for this setting.
    env = {"DRAFTSMITH_READY_SLOW_SECONDS": "0.000000001"}
    with ServerProcess(tmp_path / "data", env=env) as server:
        slow = readyz(server)

    assert slow.status_code == 503, slow.text
    body = slow.json()
    assert body["detail"].startswith("Service unavailable: database answered in ")
    assert "slower than the 1e-09 s allowed" in body["detail"]
    assert body["checks"]["database"]["status"] == "failing"


def test_a_database_that_went_away_makes_it_unready(tmp_path: Path) -> None:
    with throwaway_database("draftsmith_ready") as url:
        env = {"DRAFTSMITH_DATABASE_URL": url}
        with ServerProcess(tmp_path / "data", env=env) as server:
            assert readyz(server).status_code == 200
            name = url.rpartition("/")[2]
            with psycopg.connect(admin_url(), autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            gone = readyz(server)

    assert gone.status_code == 503, gone.text
    body = gone.json()
    assert body["checks"]["database"]["status"] == "failing"
    assert body["checks"]["blob_store"]["status"] == "ok"
    assert body["detail"] == body["checks"]["database"]["detail"]
