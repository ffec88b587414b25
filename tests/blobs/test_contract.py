"""The BlobStore contract, run against every adapter: local directory and S3 (moto server)."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from draftsmith.blobs.materialise import materialise
from draftsmith.blobs.port import BlobStore
from draftsmith.errors import InvalidInput

MIB = 1024 * 1024
MISSING = hashlib.sha256(b"never stored").hexdigest()
BAD_DIGESTS = ["", "abc", "g" * 64, "A" * 64, "a" * 63, "a" * 65, "../" + "a" * 61]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(blobs: BlobStore, digest: str, chunk_size: int = MIB) -> bytes:
    return b"".join(blobs.open_chunks(digest, chunk_size))


def scratch_file(blobs: BlobStore, data: bytes, name: str = "upload.part") -> Path:
    """A finished temporary file in the store's scratch directory, as a download leaves it."""
    path = blobs.scratch_dir() / name
    path.write_bytes(data)
    return path


def test_put_bytes_returns_the_sha256_and_the_bytes_read_back(blobs: BlobStore) -> None:
    data = b"draft_content.json bytes \x00\xff"
    digest = blobs.put_bytes(data)
    assert digest == sha(data)
    assert blobs.has(digest)
    assert blobs.size(digest) == len(data)
    assert read(blobs, digest) == data


def test_put_bytes_is_idempotent(blobs: BlobStore) -> None:
    data = os.urandom(4096)
    first = blobs.put_bytes(data)
    second = blobs.put_bytes(data)
    assert first == second == sha(data)
    assert read(blobs, first) == data
    assert blobs.size(first) == len(data)


def test_the_empty_blob_is_a_blob(blobs: BlobStore) -> None:
    digest = blobs.put_bytes(b"")
    assert digest == sha(b"")
    assert blobs.has(digest)
    assert blobs.size(digest) == 0
    assert read(blobs, digest) == b""


def test_put_file_moves_a_temporary_file_into_the_store(blobs: BlobStore) -> None:
    data = os.urandom(100_000)
    source = scratch_file(blobs, data)
    blobs.put_file(source, sha(data))
    assert not source.exists()
    assert blobs.has(sha(data))
    assert read(blobs, sha(data)) == data


def test_put_file_of_stored_content_discards_the_file(blobs: BlobStore) -> None:
    data = os.urandom(1000)
    digest = blobs.put_bytes(data)
    source = scratch_file(blobs, data)
    blobs.put_file(source, digest)
    assert not source.exists()
    assert read(blobs, digest) == data


def test_a_missing_blob_is_absent_and_unreadable(blobs: BlobStore) -> None:
    assert not blobs.has(MISSING)
    with pytest.raises(FileNotFoundError):
        blobs.size(MISSING)
    with pytest.raises(FileNotFoundError):
        list(blobs.open_chunks(MISSING))


def test_a_large_blob_reads_back_exactly_in_chunks(blobs: BlobStore) -> None:
    data = os.urandom(9 * MIB + 12_345)
    digest = sha(data)
    blobs.put_file(scratch_file(blobs, data), digest)
    assert blobs.size(digest) == len(data)
    chunks = list(blobs.open_chunks(digest, MIB))
    assert all(0 < len(chunk) <= MIB for chunk in chunks)
    assert len(chunks) >= 10
    assert b"".join(chunks) == data
    assert hashlib.sha256(read(blobs, digest, 64 * 1024)).hexdigest() == digest


def test_a_range_of_a_blob_reads_back_exactly(blobs: BlobStore) -> None:
    data = os.urandom(3 * MIB + 777)
    digest = sha(data)
    blobs.put_file(scratch_file(blobs, data), digest)
    spans = [(0, 1), (0, len(data)), (MIB - 3, 2 * MIB + 5), (len(data) - 100, len(data))]
    for start, end in spans:
        chunks = list(blobs.open_range(digest, start, end, 256 * 1024))
        assert all(0 < len(chunk) <= 256 * 1024 for chunk in chunks)
        assert b"".join(chunks) == data[start:end], (start, end)
    assert list(blobs.open_range(digest, 10, 10)) == []
    for start, end in [(0, 10), (5, 5)]:
        with pytest.raises(FileNotFoundError):
            list(blobs.open_range(MISSING, start, end))


@pytest.mark.parametrize("digest", BAD_DIGESTS)
def test_a_malformed_digest_is_rejected(blobs: BlobStore, digest: str) -> None:
    calls: list[Callable[[], object]] = [
        lambda: blobs.has(digest),
        lambda: blobs.size(digest),
        lambda: list(blobs.open_chunks(digest)),
        lambda: list(blobs.open_range(digest, 0, 1)),
        lambda: blobs.put_file(scratch_file(blobs, b"x"), digest),
    ]
    for call in calls:
        with pytest.raises(InvalidInput):
            call()


def test_concurrent_puts_of_the_same_content_store_it_once(blobs: BlobStore) -> None:
    data = os.urandom(256 * 1024)
    threads = 12
    barrier = threading.Barrier(threads)

    def put(index: int) -> str:
        barrier.wait(timeout=30)
        if index % 2:
            return blobs.put_bytes(data)
        blobs.put_file(scratch_file(blobs, data, f"upload-{index}.part"), sha(data))
        return sha(data)

    with ThreadPoolExecutor(threads) as pool:
        digests = set(pool.map(put, range(threads)))
    assert digests == {sha(data)}
    assert blobs.size(sha(data)) == len(data)
    assert read(blobs, sha(data)) == data
    assert list(blobs.scratch_dir().glob("upload-*")) == []


def test_local_path_when_given_holds_the_blob(blobs: BlobStore) -> None:
    data = b"some bytes"
    path = blobs.local_path(blobs.put_bytes(data))
    assert path is None or path.read_bytes() == data


def test_materialise_gives_a_file_with_the_blob(blobs: BlobStore, tmp_path: Path) -> None:
    data = os.urandom(3 * MIB + 7)
    digest = blobs.put_bytes(data)
    path = materialise(blobs, digest, tmp_path / "cache")
    assert path.read_bytes() == data
    # A second call reuses the file it made (or the store's own); no temporary files are left.
    assert materialise(blobs, digest, tmp_path / "cache") == path
    assert [p.name for p in (tmp_path / "cache").glob(".*")] == []
    with pytest.raises(FileNotFoundError):
        materialise(blobs, MISSING, tmp_path / "cache")


def test_a_working_store_is_ready(blobs: BlobStore) -> None:
    blobs.ready()
    blobs.put_bytes(b"still ready")
    blobs.ready()
