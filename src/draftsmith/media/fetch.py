"""Download a media URL safely: scheme and address checks on every hop, size and time limits.

SSRF defence: each hop's host is resolved once, every address it resolves to is checked, and
the connection goes to a checked address (the URL is rewritten to it, with the original name
kept in the Host header and as the TLS server name). A DNS answer that changes between the
check and the connection (rebinding) therefore cannot steer the request anywhere unchecked.
Redirects are followed by hand: a Location is first read as a URL of a plain form (http or
https, no backslashes, no `scheme:path` shorthand) and then goes through the same check.

Errors name the host, never what it resolved to: that would let any caller read the server's
internal DNS. The addresses go to the server's log instead.

The body is streamed into a temporary file while it is hashed, so memory stays flat whatever
the size, and a download over the limit is cut off as soon as it crosses it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import socket
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from draftsmith.errors import MediaRejected

MAX_REDIRECTS = 5
MAX_URL_LENGTH = 4096
_SHOWN_LOCATION = 200

log = logging.getLogger("draftsmith.media")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class AddressRule:
    """An address range, and optionally one port, that a first hop may reach though private."""

    network: IPNetwork
    port: int | None = None

    def matches(self, address: IPAddress, port: int) -> bool:
        return address in self.network and self.port in (None, port)


def parse_allowlist(entries: Iterable[str]) -> tuple[AddressRule, ...]:
    """Read `ADDRESS`, `ADDRESS:PORT`, `[V6]:PORT` or `CIDR` entries; ValueError names a bad one."""
    rules = []
    for entry in entries:
        text = entry.strip()
        host, port = text, None
        try:
            if text.startswith("["):
                host, _, rest = text[1:].partition("]")
                port = int(rest.removeprefix(":")) if rest else None
            elif text.count(":") == 1:
                host, port_text = text.split(":")
                port = int(port_text)
            rules.append(AddressRule(ipaddress.ip_network(host, strict=False), port))
        except ValueError as exc:
            raise ValueError(
                f"private_url_allowlist: cannot read {entry!r}; use ADDRESS, ADDRESS:PORT or CIDR"
            ) from exc
    return tuple(rules)


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int
    total_seconds: float
    connect_seconds: float
    allow_private: bool
    first_hop_allowlist: tuple[AddressRule, ...] = ()
    """Private addresses the URL a caller gave may reach (a testing aid); never redirects."""


@dataclass(frozen=True)
class Downloaded:
    path: Path
    sha256: str
    size: int
    content_type: str


@dataclass(frozen=True)
class Target:
    """One checked hop: the URL as given and the addresses it may be fetched from."""

    url: httpx.URL
    addresses: tuple[IPAddress, ...]

    def pinned(self, address: IPAddress) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
        """URL, headers and request extensions that reach `address` but name the real host."""
        url = self.url
        host = url.raw_host.decode("ascii")
        if ":" in host:
            host = f"[{host}]"
        host_header = host if url.port is None else f"{host}:{url.port}"
        extensions = {} if _is_literal(url.host) else {"sni_hostname": url.raw_host.decode()}
        return url.copy_with(host=str(address)), {"Host": host_header}, extensions


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def is_public(address: IPAddress) -> bool:
    """Whether `address` is a globally routable unicast address.

    Refuses private, shared (100.64/10), loopback, link-local (169.254.169.254, the cloud
    metadata address, is one), unique-local (fc00::/7), multicast, reserved and unspecified
    ranges, and IPv6 forms that embed one of those IPv4 addresses (mapped, 6to4, Teredo, NAT64).
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        embedded = [address.sixtofour, address.teredo[1] if address.teredo else None]
        if address in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF))
        if any(v4 is not None and not is_public(v4) for v4 in embedded):
            return False
        if address.is_site_local:
            return False
    return address.is_global and not (
        address.is_multicast
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def check_target(field: str, url: str, limits: FetchLimits, *, first_hop: bool = True) -> Target:
    """Refuse a URL that is not http(s) or whose host resolves to any non-public address.

    Returns the addresses it resolved to; the fetch connects only to those.
    """
    hop = "" if first_hop else "redirect to "
    if len(url) > MAX_URL_LENGTH:
        raise MediaRejected(f"{field}: {hop}URL is longer than {MAX_URL_LENGTH} characters")
    if any(ord(char) < 0x20 or char == "\x7f" for char in url):
        raise MediaRejected(f"{field}: {hop}URL contains control characters")
    if "\\" in url:
        # Browsers read `http:\\host` as `http://host`; parsers disagree, so none is guessed.
        raise MediaRejected(f"{field}: {hop}URL contains a backslash: {_shown(url)}")
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)
        parsed = httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise MediaRejected(f"{field}: {hop}{url!r} is not a valid URL") from exc
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise MediaRejected(f"{field}: {hop}must be an http:// or https:// URL, got {url!r}")
    host = parsed.raw_host.decode("ascii")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:
        raise MediaRejected(f"{field}: cannot resolve host {parts.hostname!r}") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        # Drop an IPv6 zone ("fe80::1%eth0"): the address alone is what is checked.
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not limits.allow_private:
        allowed = limits.first_hop_allowlist if first_hop else ()
        for address in addresses:
            if not is_public(address) and not any(r.matches(address, port) for r in allowed):
                log.info("%s: %s%s resolves to %s; refused", field, hop, parts.hostname, address)
                raise MediaRejected(
                    f"{field}: {hop}{parts.hostname} resolves to a private, loopback, "
                    "link-local or otherwise non-public address, which is not allowed"
                )
    if not addresses:
        raise MediaRejected(f"{field}: cannot resolve host {parts.hostname!r}")
    return Target(parsed, tuple(addresses))


def redirect_target(field: str, current: str, location: str | None) -> str:
    """The absolute URL a redirect from `current` names, refused (MediaRejected) unless its
    Location is an http(s) URL or a relative reference of a plain form.

    `check_target` then checks the host as for any hop; this refuses what a URL parser or the
    HTTP client would read differently, or fail on, before any of them sees it.
    """
    prefix = f"{field}: redirect to"
    if not location or not location.strip():
        raise MediaRejected(f"{prefix} nowhere: the answer has no Location")
    if len(location) > MAX_URL_LENGTH:
        raise MediaRejected(f"{prefix} a URL longer than {MAX_URL_LENGTH} characters")
    if any(ord(char) <= 0x20 or char == "\x7f" for char in location):
        raise MediaRejected(f"{prefix} {_shown(location)}: contains spaces or control characters")
    if "\\" in location:
        raise MediaRejected(f"{prefix} {_shown(location)}: contains a backslash")
    try:
        parts = urlsplit(location)
        joined = urljoin(current, location)
    except ValueError as exc:
        raise MediaRejected(f"{prefix} {_shown(location)}: not a valid URL") from exc
    if parts.scheme:
        if parts.scheme.lower() not in _DEFAULT_PORTS:
            raise MediaRejected(f"{prefix} {_shown(location)}: must be an http:// or https:// URL")
        if not location[len(parts.scheme) + 1 :].startswith("//") or not parts.hostname:
            raise MediaRejected(f"{prefix} {_shown(location)}: not a valid URL (no //host)")
    return joined


def _shown(url: str) -> str:
    """`url` quoted for an error message, cut short: it may come from anyone."""
    if len(url) > _SHOWN_LOCATION:
        return repr(url[:_SHOWN_LOCATION] + "...")
    return repr(url)


def source_name(url: str) -> str:
    """The name a draft shows for the file fetched from `url`: the last part of its path."""
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail[:120] or "media"


def check_url(field: str, url: str, limits: FetchLimits) -> None:
    """Refuse a URL a caller gave unless it may be fetched (see `check_target`)."""
    check_target(field, url, limits)


def _open(client: httpx.Client, transport: httpx.BaseTransport, target: Target) -> httpx.Response:
    """Send the GET to the first of the target's checked addresses that accepts a connection.

    The client only builds the request; its transport sends it. `Client.send` would parse a
    redirect's Location into its next request (even when not following it) and fail on one
    such as `data:` outside any error this module expects.
    """
    refused: httpx.ConnectError | None = None
    for address in target.addresses:
        url, headers, extensions = target.pinned(address)
        request = client.build_request("GET", url, headers=headers, extensions=extensions)
        try:
            return transport.handle_request(request)
        except httpx.ConnectError as exc:
            refused = exc
    assert refused is not None
    raise refused


def download(field: str, url: str, limits: FetchLimits, scratch: Path) -> Downloaded:
    """Fetch `url` into a temporary file under `scratch`; the caller owns the file."""
    deadline = time.monotonic() + limits.total_seconds
    timeout = httpx.Timeout(limits.total_seconds, connect=limits.connect_seconds)
    transport = httpx.HTTPTransport(trust_env=False)
    with httpx.Client(transport=transport, timeout=timeout, trust_env=False) as client:
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            target = check_target(field, current, limits, first_hop=hop == 0)
            try:
                response = _open(client, transport, target)
                try:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        current = redirect_target(field, current, location)
                        continue
                    if response.status_code != 200:
                        raise MediaRejected(f"{field}: {url} answered HTTP {response.status_code}")
                    return _save_body(field, url, response, limits, deadline, scratch)
                finally:
                    response.close()
            except httpx.TimeoutException as exc:
                raise MediaRejected(
                    f"{field}: {url} did not answer within {limits.total_seconds:g} s"
                ) from exc
            except httpx.HTTPError as exc:
                reason = _without_addresses(str(exc), target)
                raise MediaRejected(f"{field}: cannot fetch {url}: {reason}") from exc
    raise MediaRejected(f"{field}: {url} redirected more than {MAX_REDIRECTS} times")


def _without_addresses(message: str, target: Target) -> str:
    """`message` with the addresses the target's host resolved to replaced by the host."""
    if _is_literal(target.url.host):
        return message
    for address in target.addresses:
        message = message.replace(str(address), target.url.host)
    return message


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
