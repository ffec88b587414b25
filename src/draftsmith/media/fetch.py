"""Download a media URL safely: scheme and address checks on every hop, size and time limits.

The body is streamed into a temporary file while it is hashed, so memory stays flat whatever
the size, and a download over the limit is cut off as soon as it crosses it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from draftsmith.errors import MediaRejected

MAX_REDIRECTS = 5
MAX_URL_LENGTH = 4096


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int
    total_seconds: float
    connect_seconds: float
    allow_private: bool


@dataclass(frozen=True)
class Downloaded:
    path: Path
    sha256: str
    size: int
    content_type: str


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(field: str, url: str, allow_private: bool) -> None:
    """Refuse URLs that are not http(s) or that resolve to a non-public address."""
    if len(url) > MAX_URL_LENGTH:
        raise MediaRejected(f"{field}: URL is longer than {MAX_URL_LENGTH} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MediaRejected(f"{field}: must be an http:// or https:// URL, got {url!r}")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise MediaRejected(f"{field}: cannot resolve host {parts.hostname!r}") from exc
    for info in infos:
        if not _is_public(str(info[4][0])):
            raise MediaRejected(
                f"{field}: {parts.hostname} resolves to a private, loopback or link-local "
                "address, which is not allowed"
            )


def download(field: str, url: str, limits: FetchLimits, scratch: Path) -> Downloaded:
    """Fetch `url` into a temporary file under `scratch`; the caller owns the file."""
    deadline = time.monotonic() + limits.total_seconds
    timeout = httpx.Timeout(limits.total_seconds, connect=limits.connect_seconds)
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            check_url(field, current, limits.allow_private)
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        current = urljoin(current, location)
                        continue
                    if response.status_code != 200:
                        raise MediaRejected(f"{field}: {url} answered HTTP {response.status_code}")
                    return _save_body(field, url, response, limits, deadline, scratch)
            except httpx.TimeoutException as exc:
                raise MediaRejected(
                    f"{field}: {url} did not answer within {limits.total_seconds:g} s"
                ) from exc
            except httpx.HTTPError as exc:
                raise MediaRejected(f"{field}: cannot fetch {url}: {exc}") from exc
    raise MediaRejected(f"{field}: {url} redirected more than {MAX_REDIRECTS} times")


def _save_body(
    field: str,
    url: str,
    response: httpx.Response,
    limits: FetchLimits,
    deadline: float,
    scratch: Path,
) -> Downloaded:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise MediaRejected(f"{field}: {url} is larger than the {limits.max_bytes} byte limit")
    digest = hashlib.sha256()
    size = 0
    descriptor, name = tempfile.mkstemp(dir=scratch, prefix=".fetch-")
    path = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in response.iter_bytes(256 * 1024):
                size += len(chunk)
                if size > limits.max_bytes:
                    raise MediaRejected(
                        f"{field}: {url} is larger than the {limits.max_bytes} byte limit"
                    )
                if time.monotonic() > deadline:
                    raise MediaRejected(
                        f"{field}: {url} took longer than {limits.total_seconds:g} s to download"
                    )
                digest.update(chunk)
                handle.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if size == 0:
        path.unlink(missing_ok=True)
        raise MediaRejected(f"{field}: {url} returned an empty body")
    return Downloaded(path, digest.hexdigest(), size, response.headers.get("content-type", ""))
