"""What garbage collection asks of every BlobStore adapter (local directory and S3): a listing
of every blob, deleting only what was not put again since, and a put of bytes already there
counting as put now."""

from __future__ import annotations

import hashlib
import time

from draftsmith.blobs.port import BlobStore


def test_the_listing_names_every_blob_with_its_size_and_time(blobs: BlobStore) -> None:
    before = time.time() - 60
    names = {blobs.put_bytes(data): len(data) for data in (b"one", b"two two", b"")}

    listed = {blob.sha256: blob for blob in blobs.list_blobs()}

    assert {name: blob.size for name, blob in listed.items()} == names
    assert all(before < blob.modified < time.time() + 60 for blob in listed.values())


def test_delete_blobs_deletes_only_those_put_before_the_time(blobs: BlobStore) -> None:
    old, young = blobs.put_bytes(b"old"), blobs.put_bytes(b"young")
    absent = hashlib.sha256(b"never stored").hexdigest()
    modified = {blob.sha256: blob.modified for blob in blobs.list_blobs()}

    kept = blobs.delete_blobs([young], older_than=modified[young])
    deleted = blobs.delete_blobs([old, absent], older_than=time.time() + 60)

    assert kept == []
    assert [(blob.sha256, blob.size) for blob in deleted] == [(old, 3)]
    assert (blobs.has(old), blobs.has(young)) == (False, True)
    assert [blob.sha256 for blob in blobs.list_blobs()] == [young]


def test_putting_bytes_again_renews_their_time(blobs: BlobStore) -> None:
    name = blobs.put_bytes(b"kept by a second put")
    (first,) = [blob.modified for blob in blobs.list_blobs()]
    time.sleep(1.1)

    assert blobs.put_bytes(b"kept by a second put") == name

    (again,) = [blob.modified for blob in blobs.list_blobs()]
    assert again > first
    assert blobs.delete_blobs([name], older_than=again) == []
    assert blobs.has(name)


def test_putting_a_file_again_renews_its_time(blobs: BlobStore) -> None:
    data = b"a media file fetched twice"
    name = hashlib.sha256(data).hexdigest()
    for attempt in range(2):
        source = blobs.scratch_dir() / f"download-{attempt}"
        source.write_bytes(data)
        blobs.put_file(source, name)
        if attempt == 0:
            (first,) = [blob.modified for blob in blobs.list_blobs()]
            time.sleep(1.1)

    (again,) = [blob.modified for blob in blobs.list_blobs()]
    assert again > first
