"""X-Forwarded-For is believed only from the proxies DRAFTSMITH_TRUSTED_PROXIES names: with the
default (none), a client on loopback cannot choose the address the access log records and the
per-client save limit counts against."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.access_log import lines_until
from support.api import Api
from support.server import ServerProcess

# Two saves per client, and the next token a quarter of an hour away: a third save is refused.
LIMITED = {
    "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0.001",
    "DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0",
    "DRAFTSMITH_RATE_BURST": "2",
}
SPOOFED = "203.0.113.7"
OTHER = "198.51.100.9"


@pytest.fixture(params=["untrusted", "trusted"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    env = dict(LIMITED)
    if request.param == "trusted":
        env["DRAFTSMITH_TRUSTED_PROXIES"] = "127.0.0.1"
    with ServerProcess(tmp_path_factory.mktemp(f"proxies-{request.param}"), env=env) as running:
        yield running


def save(api: Api, draft_url: str, forwarded_for: str, request_id: str) -> int:
    response = api.http.post(
        api.url("save_draft"),
        json={"draft_url": draft_url},
        headers={"X-Forwarded-For": forwarded_for, "X-Request-ID": request_id},
    )
    assert response.status_code in (200, 429), response.text
    return response.status_code


def logged_client(server: ServerProcess, request_id: str) -> str:
    [line] = [line for line in lines_until(server, request_id) if line["request_id"] == request_id]
    client: str = line["client"]
    return client


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(server: ServerProcess) -> None:
    trusted = "DRAFTSMITH_TRUSTED_PROXIES" in server.env
    with Api(server.base_url) as api:
        draft_url = api.create_draft()
        first = [save(api, draft_url, SPOOFED, f"spoof-{n}") for n in range(2)]
        same_again = save(api, draft_url, SPOOFED, "spoof-2")
        # A new spoofed address is a new client only if the header is believed.
        other = save(api, draft_url, OTHER, "other-0")

    assert first == [200, 200]
    assert same_again == 429
    if trusted:
        assert logged_client(server, "spoof-0") == SPOOFED
        assert logged_client(server, "other-0") == OTHER
        assert other == 200, "the limit counts per forwarded client"
    else:
        assert logged_client(server, "spoof-0") == "127.0.0.1"
        assert logged_client(server, "other-0") == "127.0.0.1"
        assert other == 429, "the limit counts the real peer, whatever it claims"
