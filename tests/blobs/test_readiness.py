"""/readyz answers for the blob store as well as the database: a server whose bucket cannot be
reached is not ready, and says which bucket and why."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from draftsmith.blobs.local import LocalBlobStore
from draftsmith.errors import Unavailable
from support.s3 import MotoServer
from support.server import ServerProcess


def readyz(server: ServerProcess) -> httpx.Response:
    return httpx.get(f"{server.base_url}/readyz", timeout=30, trust_env=False)


def test_a_server_is_ready_while_its_bucket_answers_and_not_after(tmp_path: Path) -> None:
    with MotoServer(tmp_path / "moto.log") as moto:
        bucket = moto.new_bucket()
        with ServerProcess(tmp_path / "data", env=moto.server_env(bucket)) as server:
            ready = readyz(server)
            assert (ready.status_code, ready.json()["status"]) == (200, "ready")

            moto.stop()
            gone = readyz(server)

    assert gone.status_code == 503, gone.text
    assert gone.headers["Retry-After"]
    assert gone.json()["code"] == "service_unavailable"
    assert gone.json()["detail"] == (
        f"Service unavailable: file store unreachable (checking bucket {bucket!r})"
    )


def test_a_bucket_deleted_under_a_running_server_makes_it_unready(
    s3_server: MotoServer, tmp_path: Path
) -> None:
    bucket = s3_server.new_bucket()
    with ServerProcess(tmp_path / "data", env=s3_server.server_env(bucket)) as server:
        assert readyz(server).status_code == 200
        s3_server.client().delete_bucket(Bucket=bucket)
        gone = readyz(server)

    assert gone.status_code == 503, gone.text
    assert f"checking bucket {bucket!r}" in gone.json()["detail"]


def test_a_local_store_missing_its_directory_is_unavailable(tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "data")
    blobs.ready()
    (tmp_path / "data" / "blobs").rmdir()

    with pytest.raises(Unavailable, match="no blobs/ directory"):
        blobs.ready()
