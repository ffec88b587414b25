"""BlobStore on S3-compatible object storage: `<prefix>blobs/<aa>/<sha256>` in one bucket.

Every server process of a scale-out deployment reads and writes the same bucket, so a blob put
through one process is there for all of them. Blobs are immutable and named by their digest:
a put first asks whether the key exists and skips the upload if it does. Two processes racing
to put the same bytes both upload them, and S3 keeps one of two identical objects, so the race
is harmless and needs no conditional write (which not every S3-compatible service supports).

The store has no filesystem path for a blob: `local_path` returns None. Temporary files (media
being downloaded) live in a local scratch directory and are uploaded by `put_file`, in parts
when they are large.

Errors are mapped to the product's error tree at this edge: a service that cannot be reached
(or answers 5xx) is `Unavailable`, a write it refuses is `SaveFailed`, a key that does not exist
is `FileNotFoundError`, as the port says.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as S3ConnectionError

from draftsmith.blobs.local import check_digest, is_digest
from draftsmith.blobs.port import BlobInfo
from draftsmith.config import Settings
from draftsmith.errors import DraftsmithError, SaveFailed, Unavailable

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

MULTIPART_THRESHOLD = 8 * 1024 * 1024
"""Files at least this big are uploaded in parts of this size, several at once."""

_MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})
_BUSY_CODES = frozenset({"SlowDown", "ServiceUnavailable", "RequestTimeout", "InternalError"})


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _is_missing(exc: ClientError) -> bool:
    return _error_code(exc) in _MISSING_CODES


def _is_busy(exc: ClientError) -> bool:
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return status >= 500 or _error_code(exc) in _BUSY_CODES


@contextmanager
def _mapped_errors(action: str, *, writing: bool) -> Iterator[None]:
    """Turn what boto3 raises during `action` into the product's errors, keeping the cause."""
    try:
        yield
    except (S3ConnectionError, HTTPClientError) as exc:
        raise Unavailable(f"Service unavailable: file store unreachable ({action})") from exc
    except ClientError as exc:
        reason = f"{action}: {_error_code(exc) or exc}"
        if _is_busy(exc):
            raise Unavailable(f"Service unavailable: file store busy ({reason})") from exc
        if writing:
            raise SaveFailed(f"Save failed: file store refused {reason}") from exc
        raise DraftsmithError(f"File store refused {reason}") from exc
    except (S3UploadFailedError, BotoCoreError) as exc:
        if writing:
            raise SaveFailed(f"Save failed: file store {action} failed ({exc})") from exc
        raise DraftsmithError(f"File store {action} failed ({exc})") from exc


def s3_client(settings: Settings, *, attempts: int = 4) -> S3Client:
    """A client for the service the settings name; thread-safe, shared by all requests."""
    secret = settings.s3_secret_access_key
    config = Config(
        connect_timeout=5,
        read_timeout=60,
        retries={"max_attempts": attempts, "mode": "standard"},
        # One connection per request thread of the server (anyio's pool has 40).
        max_pool_connections=40,
    )
    return boto3.session.Session().client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key_id,
        aws_secret_access_key=secret.get_secret_value() if secret is not None else None,
        config=config,
    )


class S3BlobStore:
    """Blobs in `bucket`, under `prefix`; temporary files in `scratch` on local disk.

    Construction checks that the bucket can be reached, so a misconfigured server fails at
    start-up rather than on its first save.
    """

    def __init__(
        self,
        client: S3Client,
        bucket: str,
        scratch: Path,
        *,
        prefix: str = "",
        probe: S3Client | None = None,
    ) -> None:
        self._client = client
        # Readiness probes want a quick answer, not the retries a save deserves.
        self._probe = probe if probe is not None else client
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self._scratch = scratch
        self._transfer = TransferConfig(
            multipart_threshold=MULTIPART_THRESHOLD,
            multipart_chunksize=MULTIPART_THRESHOLD,
            max_concurrency=4,
        )
        scratch.mkdir(parents=True, exist_ok=True)
        self._check_bucket(client)

    def _check_bucket(self, client: S3Client) -> None:
        try:
            with _mapped_errors(f"checking bucket {self.bucket!r}", writing=False):
                client.head_bucket(Bucket=self.bucket)
        except Unavailable:
            raise
        except DraftsmithError as exc:
            # A bucket that is missing or forbidden: the server cannot work, whatever the code.
            raise Unavailable(f"Service unavailable: {exc.detail}") from exc

    @classmethod
    def from_settings(cls, settings: Settings) -> S3BlobStore:
        if not settings.s3_bucket:
            raise ValueError("DRAFTSMITH_S3_BUCKET is not set")
        return cls(
            s3_client(settings),
            settings.s3_bucket,
            settings.data_dir / "tmp",
            prefix=settings.s3_prefix,
            probe=s3_client(settings, attempts=1),
        )

    def key(self, sha256: str) -> str:
        digest = check_digest(sha256)
        return f"{self.prefix}blobs/{digest[:2]}/{digest}"

    def _head(self, sha256: str) -> int | None:
        """The blob's size, or None when there is no such blob."""
        key = self.key(sha256)
        with _mapped_errors(f"HEAD {key}", writing=False):
            try:
                return self._client.head_object(Bucket=self.bucket, Key=key)["ContentLength"]
            except ClientError as exc:
                if _is_missing(exc):
                    return None
                raise

    def put_bytes(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        if not self._touched(digest):
            key = self.key(digest)
            with _mapped_errors(f"PUT {key}", writing=True):
                self._client.put_object(Bucket=self.bucket, Key=key, Body=data)
        return digest

    def put_file(self, source: Path, sha256: str) -> None:
        if not self._touched(sha256):
            key = self.key(sha256)
            with _mapped_errors(f"upload {key}", writing=True):
                self._client.upload_file(str(source), self.bucket, key, Config=self._transfer)
        source.unlink(missing_ok=True)

    def _touched(self, sha256: str) -> bool:
        """Mark a blob put now, if it is there, by copying it onto itself (which renews its
        LastModified, inside the service): garbage collection spares what was put lately."""
        key = self.key(sha256)
        with _mapped_errors(f"COPY {key}", writing=True):
            try:
                self._client.copy_object(
                    Bucket=self.bucket,
                    Key=key,
                    CopySource={"Bucket": self.bucket, "Key": key},
                    MetadataDirective="REPLACE",
                )
            except ClientError as exc:
                if _is_missing(exc):
                    return False
                raise
        return True

    def list_blobs(self) -> Iterator[BlobInfo]:
        prefix = f"{self.prefix}blobs/"
        pages = self._client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        with _mapped_errors(f"LIST {prefix}", writing=False):
            for page in pages:
                for item in page.get("Contents", ()):
                    name = item["Key"].rpartition("/")[2]
                    if is_digest(name):
                        yield BlobInfo(name, item["Size"], item["LastModified"].timestamp())

    def delete_blobs(self, sha256s: Sequence[str], older_than: float) -> list[BlobInfo]:
        doomed = []
        for sha256 in sha256s:
            key = self.key(sha256)
            with _mapped_errors(f"HEAD {key}", writing=False):
                try:
                    head = self._client.head_object(Bucket=self.bucket, Key=key)
                except ClientError as exc:
                    if _is_missing(exc):
                        continue
                    raise
            modified = head["LastModified"].timestamp()
            if modified < older_than:
                doomed.append(BlobInfo(sha256, head["ContentLength"], modified))
        for start in range(0, len(doomed), 1000):
            part = doomed[start : start + 1000]
            with _mapped_errors("DELETE blobs", writing=True):
                self._client.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": [{"Key": self.key(b.sha256)} for b in part], "Quiet": True},
                )
        return doomed

    def has(self, sha256: str) -> bool:
        return self._head(sha256) is not None

    def size(self, sha256: str) -> int:
        size = self._head(sha256)
        if size is None:
            raise FileNotFoundError(self.key(sha256))
        return size

    def open_chunks(self, sha256: str, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
        return self._get(sha256, chunk_size)

    def open_range(
        self, sha256: str, start: int, end: int, chunk_size: int = 1024 * 1024
    ) -> Iterator[bytes]:
        if end <= start:
            return self._nothing(sha256)
        return self._get(sha256, chunk_size, f"bytes={start}-{end - 1}")

    def _nothing(self, sha256: str) -> Iterator[bytes]:
        """An empty range, which S3 cannot express: no bytes, but FileNotFoundError still."""
        if not self.has(sha256):
            raise FileNotFoundError(self.key(sha256))
        yield from ()

    def _get(self, sha256: str, chunk_size: int, byte_range: str | None = None) -> Iterator[bytes]:
        key = self.key(sha256)
        with _mapped_errors(f"GET {key}", writing=False):
            try:
                if byte_range is None:
                    body = self._client.get_object(Bucket=self.bucket, Key=key)["Body"]
                else:
                    body = self._client.get_object(Bucket=self.bucket, Key=key, Range=byte_range)[
                        "Body"
                    ]
            except ClientError as exc:
                if _is_missing(exc):
                    raise FileNotFoundError(key) from exc
                raise
        try:
            while True:
                with _mapped_errors(f"GET {key}", writing=False):
                    chunk = body.read(chunk_size)
                if not chunk:
                    return
                yield chunk
        finally:
            body.close()

    def local_path(self, sha256: str) -> Path | None:
        """Always None: blobs live in the bucket. Read them with `open_chunks`."""
        return None

    def scratch_dir(self) -> Path:
        return self._scratch

    def ready(self) -> None:
        """HEAD the bucket, once, without retries."""
        self._check_bucket(self._probe)
