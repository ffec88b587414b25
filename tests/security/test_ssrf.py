"""SSRF: media fetches reach public addresses only, checked after DNS resolution and again on
every redirect hop, over http(s) only, and connect to the very address that was checked."""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from draftsmith.errors import MediaRejected
from draftsmith.media.fetch import (
    AddressRule,
    FetchLimits,
    check_target,
    download,
    is_public,
    parse_allowlist,
)
from support.api import API_PREFIX, SECOND, Api
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess

NON_PUBLIC = [
    "127.0.0.1",
    "127.1.2.3",
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "100.64.0.1",
    "100.100.100.200",
    "169.254.169.254",
    "172.16.0.1",
    "192.168.1.1",
    "192.0.0.1",
    "198.18.0.1",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "fc00::1",
    "fd00:ec2::254",
    "fe80::1",
    "fec0::1",
    "ff02::1",
    "2002:a9fe:a9fe::1",
    "64:ff9b::a9fe:a9fe",
    "2001:db8::1",
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_non_public_addresses(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_allowlist_entries() -> None:
    rules = parse_allowlist(["127.0.0.1:8080", "10.0.0.0/8", "[::1]:9000", "::1"])
    v4, v6 = ipaddress.IPv4Address, ipaddress.IPv6Address
    assert rules[0] == AddressRule(ipaddress.ip_network("127.0.0.1/32"), 8080)
    assert rules[0].matches(v4("127.0.0.1"), 8080)
    assert not rules[0].matches(v4("127.0.0.1"), 8081)
    assert rules[1].matches(v4("10.9.8.7"), 1)
    assert rules[2].matches(v6("::1"), 9000) and not rules[2].matches(v6("::1"), 80)
    assert rules[3].matches(v6("::1"), 80)
    for bad in ("localhost:80", "127.0.0.1:http", "10.0.0.0/33"):
        with pytest.raises(ValueError, match="private_url_allowlist"):
            parse_allowlist([bad])


LIMITS = FetchLimits(max_bytes=10_000_000, total_seconds=10, connect_seconds=5, allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/_GET",
        "ftp://example.com/x.mp4",
        "dict://127.0.0.1:11211/stat",
        "data:video/mp4;base64,AAAA",
        "//example.com/x.mp4",
        "http:///x.mp4",
        "http://example.com:99999/x.mp4",
    ],
)
def test_only_http_urls_are_fetched(url: str) -> None:
    with pytest.raises(MediaRejected, match="video_infos"):
        check_target("video_infos[0]", url, LIMITS)


def test_the_connection_goes_to_the_checked_address() -> None:
    target = check_target(
        "f", "https://127.0.0.1:8443/a.mp4?x=1", FetchLimits(1, 1, 1, allow_private=True)
    )
    url, headers, extensions = target.pinned(ipaddress.ip_address("127.0.0.1"))
    assert (str(url), headers, extensions) == (
        "https://127.0.0.1:8443/a.mp4?x=1",
        {"Host": "127.0.0.1:8443"},
        {},
    )

    named = target.__class__(httpx.URL("https://Media.Example:8443/a.mp4"), target.addresses)
    url, headers, extensions = named.pinned(ipaddress.ip_address("203.0.113.7"))
    assert str(url) == "https://203.0.113.7:8443/a.mp4"
    assert headers == {"Host": "media.example:8443"}
    assert extensions == {"sni_hostname": "media.example"}, "TLS still names (and checks) the host"


@pytest.fixture
def rebinding_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """`media.test` resolves to 127.0.0.1 the first time, then to an address nothing answers at
    (a DNS rebinding attack): only a fetch that connects to the address it checked succeeds."""
    answers = ["127.0.0.1"]
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "media.test":
            asked.append(host)
            address = answers.pop() if answers else "10.255.255.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_dns_is_resolved_once_per_hop_and_pinned(
    rebinding_dns: list[str],
    media_server: MediaServer,
    standard_media: StandardMedia,
    tmp_path: Path,
) -> None:
    port = urlsplit(media_server.base).port
    limits = FetchLimits(
        10_000_000,
        10,
        2,
        allow_private=False,
        first_hop_allowlist=parse_allowlist([f"127.0.0.1:{port}"]),
    )

    got = download("f", f"http://media.test:{port}/{standard_media.bars.name}", limits, tmp_path)

    assert got.path.read_bytes() == standard_media.bars.read_bytes()
    assert rebinding_dns == ["media.test"]


# --- over HTTP, through the real server -------------------------------------------------------


@pytest.fixture(scope="module")
def first_hop_server(
    tmp_path_factory: pytest.TempPathFactory, media_server: MediaServer
) -> Iterator[ServerProcess]:
    """A server that may fetch from the media server's own address, for the first hop only."""
    port = urlsplit(media_server.base).port
    env = {"DRAFTSMITH_PRIVATE_URL_ALLOWLIST": f"127.0.0.1:{port}"}
    with ServerProcess(tmp_path_factory.mktemp("first-hop"), env=env) as server:
        yield server


@pytest.fixture(scope="module")
def first_hop_only(first_hop_server: ServerProcess) -> Iterator[Api]:
    with Api(first_hop_server.base_url) as api:
        yield api


def add_video(api: Api, url: str) -> httpx.Response:
    draft_url = api.create_draft()
    infos = [{"video_url": url, "start": 0, "end": SECOND}]
    return api.post("add_videos", {"draft_url": draft_url, "video_infos": infos})


def test_the_first_hop_allowance_lets_the_media_server_in(
    first_hop_only: Api, media_server: MediaServer, standard_media: StandardMedia
) -> None:
    response = add_video(first_hop_only, media_server.url(standard_media.bars.name))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/{bars}",
        "http://127.0.0.1:1/x.mp4",
        "http://localhost:{port}/{bars}",
        "http://2130706433:{port}/{bars}",
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://[::1]:{port}/{bars}",
        "http://[::ffff:127.0.0.1]:{port}/{bars}",
        "http://10.0.0.1/x.mp4",
        "http://100.100.100.200/latest/meta-data",
        "http://[fd00:ec2::254]/latest/meta-data",
        "http://0.0.0.0:{port}/{bars}",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(
    first_hop_only: Api, media_server: MediaServer, standard_media: StandardMedia, target: str
) -> None:
    url = target.format(port=urlsplit(media_server.base).port, bars=standard_media.bars.name)
    before = len(media_server.requested_paths())

    response = add_video(first_hop_only, media_server.redirect_url(url))

    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert detail.startswith("video_infos[0]: redirect to "), detail
    assert "private" in detail and "not allowed" in detail, detail
    requested = media_server.requested_paths()[before:]
    assert [urlsplit(p).path for p in requested] == ["/redirect"], "the target was never asked"


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "gopher://127.0.0.1:{port}/_GET%20/", "ftp://127.0.0.1/x"]
)
def test_other_schemes_are_refused_directly_and_after_a_redirect(
    first_hop_only: Api, media_server: MediaServer, target: str
) -> None:
    url = target.format(port=urlsplit(media_server.base).port)
    for attempt in (url, media_server.redirect_url(url)):
        response = add_video(first_hop_only, attempt)
        assert response.status_code == 400, response.text
        assert "must be an http:// or https:// URL" in response.json()["detail"]


@pytest.mark.parametrize(
    ("location", "problem"),
    [
        ("data:video/mp4;base64,AAAA", "must be an http:// or https:// URL"),
        ("mailto:someone@example.com", "must be an http:// or https:// URL"),
        ("javascript:alert(1)", "must be an http:// or https:// URL"),
        ("localhost:{port}/{bars}", "must be an http:// or https:// URL"),
        ("http:\\\\127.0.0.1", "contains a backslash"),
        ("http:\\\\127.0.0.1:{port}/{bars}", "contains a backslash"),
        ("/\\127.0.0.1/{bars}", "contains a backslash"),
        ("http:/127.0.0.1:{port}/{bars}", "not a valid URL (no //host)"),
        ("http:127.0.0.1", "not a valid URL (no //host)"),
        ("https://", "not a valid URL (no //host)"),
        ("http://[::1", "not a valid URL"),
        ("http://[::1]:{port}/{bars}", "non-public address"),
    ],
)
def test_a_redirect_target_is_read_as_a_url_before_anything_is_asked_of_it(
    first_hop_server: ServerProcess,
    media_server: MediaServer,
    standard_media: StandardMedia,
    location: str,
    problem: str,
) -> None:
    """A Location that is no http(s) URL, or one parsers read differently, is a 400 naming the
    problem; the request it names is never sent, and the connection stays usable."""
    location = location.format(port=urlsplit(media_server.base).port, bars=standard_media.bars.name)
    before = len(media_server.requested_paths())
    connection = http.client.HTTPConnection("127.0.0.1", first_hop_server.port, timeout=30)
    try:
        created = _post(connection, "create_draft", {"width": 640, "height": 360})
        infos = [{"video_url": media_server.raw_redirect_url(location), "start": 0, "end": SECOND}]
        status, body = _exchange(
            connection, "add_videos", {"draft_url": created["draft_url"], "video_infos": infos}
        )
        assert status == 400, body
        assert body["code"] == "media_rejected", body
        assert body["detail"].startswith("video_infos[0]: redirect to "), body
        assert problem in body["detail"], body
        _post(connection, "list_drafts", {})
    finally:
        connection.close()
    requested = media_server.requested_paths()[before:]
    assert [urlsplit(path).path for path in requested] == ["/redirect"], requested


def test_a_redirect_without_a_location_is_refused(
    first_hop_only: Api, media_server: MediaServer
) -> None:
    response = add_video(first_hop_only, media_server.url("status/302"))

    assert response.status_code == 400, response.text
    assert (
        response.json()["detail"]
        == "video_infos[0]: redirect to nowhere: the answer has no Location"
    )


@pytest.mark.parametrize("hop", ["first", "redirect"])
def test_errors_name_the_host_never_its_addresses(
    first_hop_server: ServerProcess,
    first_hop_only: Api,
    media_server: MediaServer,
    standard_media: StandardMedia,
    hop: str,
) -> None:
    """What a name resolves to would let any caller map the server's internal DNS: the answer
    names the host alone; the server's log keeps the addresses for its operator."""
    port = urlsplit(media_server.base).port
    assert port is not None
    url = f"http://localhost:{port + 1 if port < 65535 else port - 1}/{standard_media.bars.name}"
    if hop == "redirect":
        url = media_server.redirect_url(f"http://localhost:{port}/{standard_media.bars.name}")
    addresses = {
        str(info[4][0]) for info in socket.getaddrinfo("localhost", port, type=socket.SOCK_STREAM)
    }

    logged_before = len(first_hop_server.log_text())

    response = add_video(first_hop_only, url)

    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert "localhost resolves to a private, loopback" in detail, detail
    assert not any(address in detail for address in addresses), detail
    log = first_hop_server.log_text()[logged_before:]
    prefix = "video_infos[0]: " + ("redirect to " if hop == "redirect" else "")
    assert any(f"{prefix}localhost resolves to {address}; refused" in log for address in addresses)


def _exchange(
    connection: http.client.HTTPConnection, verb: str, body: object
) -> tuple[int, dict[str, Any]]:
    connection.request(
        "POST", f"{API_PREFIX}/{verb}", json.dumps(body), {"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    answer: dict[str, Any] = json.loads(response.read())
    return response.status, answer


def _post(connection: http.client.HTTPConnection, verb: str, body: object) -> dict[str, Any]:
    status, answer = _exchange(connection, verb, body)
    assert status == 200, (verb, status, answer)
    return answer
