"""What only the S3 adapter does: key layout, uploads in parts, error mapping, selection."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from draftsmith.blobs.local import LocalBlobStore
from draftsmith.blobs.s3 import MULTIPART_THRESHOLD, S3BlobStore
from draftsmith.bootstrap import open_blobs
from draftsmith.config import Settings
from draftsmith.errors import SaveFailed, Unavailable
from support.s3 import ACCESS_KEY_ID, SECRET_ACCESS_KEY, MotoServer


def test_blobs_are_kept_under_the_prefix_by_digest(
    s3_server: MotoServer, s3_store: S3BlobStore
) -> None:
    digest = s3_store.put_bytes(b"hello")
    listing = s3_server.client().list_objects_v2(Bucket=s3_store.bucket)
    keys = [item["Key"] for item in listing.get("Contents", [])]
    assert keys == [f"tenant/blobs/{digest[:2]}/{digest}"]
    assert s3_store.local_path(digest) is None


def test_a_blob_already_in_the_bucket_is_not_uploaded_again(
    s3_server: MotoServer, s3_store: S3BlobStore
) -> None:
    data = b"content addressed"
    # An object already at the key stands for the blob: a put must not rewrite it.
    key = s3_store.key(hashlib.sha256(data).hexdigest())
    s3_server.client().put_object(Bucket=s3_store.bucket, Key=key, Body=b"marker")
    s3_store.put_bytes(data)
    body = s3_server.client().get_object(Bucket=s3_store.bucket, Key=key)["Body"].read()
    assert body == b"marker"


def test_a_big_file_is_uploaded_in_parts(s3_server: MotoServer, s3_store: S3BlobStore) -> None:
    data = os.urandom(MULTIPART_THRESHOLD + 1024)
    digest = hashlib.sha256(data).hexdigest()
    source = s3_store.scratch_dir() / "big.part"
    source.write_bytes(data)
    s3_store.put_file(source, digest)
    head = s3_server.client().head_object(Bucket=s3_store.bucket, Key=s3_store.key(digest))
    # S3 gives an object assembled from N parts an ETag ending in "-N".
    assert head["ETag"].strip('"').endswith("-2")
    assert head["ContentLength"] == len(data)


def test_an_unreachable_service_fails_start_up_as_unavailable(tmp_path: Path) -> None:
    with MotoServer(tmp_path / "moto.log") as gone:
        client = gone.client()
    with pytest.raises(Unavailable, match="unreachable"):
        S3BlobStore(client, "any-bucket", tmp_path / "scratch")


def test_a_missing_bucket_fails_start_up_as_unavailable(
    s3_server: MotoServer, tmp_path: Path
) -> None:
    with pytest.raises(Unavailable, match="no-such-bucket"):
        S3BlobStore(s3_server.client(), "no-such-bucket", tmp_path / "scratch")


def test_losing_the_service_after_start_up_is_unavailable(tmp_path: Path) -> None:
    with MotoServer(tmp_path / "moto.log") as server:
        store = S3BlobStore(server.client(), server.new_bucket(), tmp_path / "scratch")
        stored = store.put_bytes(b"stored before")
    with pytest.raises(Unavailable):
        store.put_bytes(b"written after")
    with pytest.raises(Unavailable):
        store.has(stored)
    with pytest.raises(Unavailable):
        list(store.open_chunks(stored))


def test_a_refused_write_is_save_failed(s3_server: MotoServer, s3_store: S3BlobStore) -> None:
    s3_server.client().delete_bucket(Bucket=s3_store.bucket)
    with pytest.raises(SaveFailed) as failure:
        s3_store.put_bytes(b"nowhere to go")
    assert "NoSuchBucket" in failure.value.detail
    assert failure.value.__cause__ is not None


def test_settings_choose_s3_when_a_bucket_is_set(s3_server: MotoServer, tmp_path: Path) -> None:
    bucket = s3_server.new_bucket()
    settings = Settings(
        data_dir=tmp_path / "data",
        s3_bucket=bucket,
        s3_endpoint_url=s3_server.endpoint_url,
        s3_region="us-east-1",
        s3_access_key_id=ACCESS_KEY_ID,
        s3_secret_access_key=SECRET_ACCESS_KEY,  # type: ignore[arg-type]
        s3_prefix="/one/two/",
    )
    assert SECRET_ACCESS_KEY not in repr(settings)
    blobs = open_blobs(settings)
    assert isinstance(blobs, S3BlobStore)
    assert blobs.bucket == bucket
    assert blobs.scratch_dir() == tmp_path / "data" / "tmp"
    digest = blobs.put_bytes(b"selected")
    assert blobs.key(digest) == f"one/two/blobs/{digest[:2]}/{digest}"


def test_settings_choose_the_data_directory_without_a_bucket(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    assert isinstance(open_blobs(settings), LocalBlobStore)
