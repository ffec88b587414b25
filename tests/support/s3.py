"""A real local S3 server for tests and benchmarks: moto's server mode, run as a subprocess.

The server keeps its objects in memory and accepts any credentials; everything the S3 blob
store does goes over HTTP to it, exactly as it would to a real S3-compatible service.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

import boto3
import httpx
from botocore.config import Config

from support.closing import ClosedOnExit
from support.server import free_port

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

ACCESS_KEY_ID = "draftsmith-test"
SECRET_ACCESS_KEY = "draftsmith-test-secret"
REGION = "us-east-1"


class MotoServer(ClosedOnExit):
    """`python -m moto.server` on 127.0.0.1 and a free port; logs to `log_path`.

    Starts on construction and blocks until the server answers. Use as a context manager.
    """

    def __init__(self, log_path: Path, startup_timeout: float = 30.0) -> None:
        self.log_path = log_path
        self._log: IO[bytes] = log_path.open("ab")
        self._process: subprocess.Popen[bytes] | None = None
        self._client: S3Client | None = None
        for attempt in range(3):
            self.port = free_port()
            try:
                self._start(startup_timeout)
                return
            except RuntimeError:
                if attempt == 2:
                    self._log.close()
                    raise

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _start(self, timeout: float) -> None:
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT
        )
        self._process = process
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while process.poll() is None and time.monotonic() < deadline:
                try:
                    if client.get(f"{self.endpoint_url}/moto-api/").status_code == 200:
                        return
                except httpx.TransportError:
                    time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"moto server did not start on port {self.port}; see {self.log_path}")

    def client(self) -> S3Client:
        """A boto3 client of the server, for fixtures and for looking behind the store.

        Made once: building a client costs tens of milliseconds, and clients are thread-safe.
        """
        if self._client is None:
            self._client = self._new_client()
        return self._client

    def _new_client(self) -> S3Client:
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            config=Config(max_pool_connections=32, retries={"max_attempts": 2}),
        )

    def new_bucket(self, prefix: str = "draftsmith") -> str:
        """Create an empty bucket with a fresh name and return the name."""
        name = f"{prefix}-{secrets.token_hex(6)}"
        self.client().create_bucket(Bucket=name)
        return name

    def server_env(self, bucket: str, prefix: str = "") -> dict[str, str]:
        """DRAFTSMITH_S3_* settings that make a draftsmith server use `bucket` on this server."""
        return {
            "DRAFTSMITH_S3_BUCKET": bucket,
            "DRAFTSMITH_S3_ENDPOINT_URL": self.endpoint_url,
            "DRAFTSMITH_S3_REGION": REGION,
            "DRAFTSMITH_S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "DRAFTSMITH_S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
            "DRAFTSMITH_S3_PREFIX": prefix,
        }

    def stop(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def close(self) -> None:
        """Stop the server and close its log: what leaving its `with` block does."""
        self.stop()
        self._log.close()
