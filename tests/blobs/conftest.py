"""Blob stores for the contract suite: a fresh local directory, or a fresh bucket on a real
local S3 server (moto in server mode, one subprocess per test session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from draftsmith.blobs.local import LocalBlobStore
from draftsmith.blobs.port import BlobStore
from draftsmith.blobs.s3 import S3BlobStore
from support.s3 import MotoServer


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """One moto S3 server per test session (per xdist worker); isolate by bucket."""
    with MotoServer(tmp_path_factory.mktemp("moto") / "moto.log") as server:
        yield server


@pytest.fixture
def s3_store(s3_server: MotoServer, tmp_path: Path) -> S3BlobStore:
    """An S3 store on a bucket of its own, under a key prefix as deployments often use."""
    bucket = s3_server.new_bucket()
    return S3BlobStore(s3_server.client(), bucket, tmp_path / "scratch", prefix="tenant/")


@pytest.fixture(params=["local", "s3"])
def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    """Each adapter in turn, fresh and empty: the contract tests run once per adapter."""
    if request.param == "s3":
        s3: BlobStore = request.getfixturevalue("s3_store")
        return s3
    return LocalBlobStore(tmp_path / "data")
