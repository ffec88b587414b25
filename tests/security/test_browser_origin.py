"""Browser-origin protection with keys off (the default): a web page the user opens must not be
able to drive or read a draftsmith on their machine. Foreign Host -> 421 (DNS rebinding),
foreign Origin -> 403 (CSRF), a non-JSON body on a state-changing request -> 415; the server's
own origin, listed CORS origins and plain API clients (no Origin) keep working."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support.server import ServerProcess

CREATE = {"width": 640, "height": 360}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {"DRAFTSMITH_CORS_ORIGINS": "https://studio.example"}
    with ServerProcess(tmp_path_factory.mktemp("origin"), env=env) as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10.0) as client:
        yield client


def drafts_count(server: ServerProcess, http: httpx.Client) -> int:
    listed = http.post(server.api("list_drafts"), json={"limit": 500})
    assert listed.status_code == 200, listed.text
    return len(listed.json()["drafts"])


@pytest.mark.parametrize(
    ("verb", "body"),
    [("create_draft", CREATE), ("list_drafts", {}), ("delete_draft", {"draft_url": "x"})],
)
def test_a_foreign_host_is_misdirected(
    server: ServerProcess, http: httpx.Client, verb: str, body: dict[str, object]
) -> None:
    before = drafts_count(server, http)
    response = http.post(server.api(verb), json=body, headers={"Host": "attacker.example"})
    assert response.status_code == 421, response.text
    assert response.json()["code"] == "untrusted_host"
    assert "attacker.example" in response.json()["detail"]
    assert "DRAFTSMITH_TRUSTED_HOSTS" in response.json()["detail"]
    assert drafts_count(server, http) == before


def test_a_foreign_host_cannot_read_pages_or_files(
    server: ServerProcess, http: httpx.Client
) -> None:
    for path in ("/ui/", "/openapi.json", "/healthz", "/ui/api/drafts"):
        response = http.get(server.base_url + path, headers={"Host": "rebound.example:8000"})
        assert response.status_code == 421, (path, response.text)


def test_text_plain_create_draft_is_refused(server: ServerProcess, http: httpx.Client) -> None:
    before = drafts_count(server, http)
    # What a cross-site <form> or a no-cors fetch can send without a preflight.
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = http.post(
            server.api("create_draft"),
            content=b'{"width": 640, "height": 360}',
            headers={"Content-Type": content_type},
        )
        assert response.status_code == 415, (content_type, response.text)
        assert response.json()["code"] == "unsupported_media_type"
    assert drafts_count(server, http) == before


def test_a_foreign_origin_is_forbidden(server: ServerProcess, http: httpx.Client) -> None:
    before = drafts_count(server, http)
    for verb, body in (("create_draft", CREATE), ("list_drafts", {})):
        response = http.post(
            server.api(verb), json=body, headers={"Origin": "https://attacker.example"}
        )
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "foreign_origin"
        assert "access-control-allow-origin" not in response.headers
    null_origin = http.post(server.api("create_draft"), json=CREATE, headers={"Origin": "null"})
    assert null_origin.status_code == 403
    assert drafts_count(server, http) == before


def test_own_origin_and_plain_clients_work(server: ServerProcess, http: httpx.Client) -> None:
    own = http.post(server.api("create_draft"), json=CREATE, headers={"Origin": server.base_url})
    assert own.status_code == 200, own.text
    assert "access-control-allow-origin" not in own.headers
    plain = http.post(server.api("create_draft"), json=CREATE)
    assert plain.status_code == 200, plain.text
    localhost = http.post(
        server.api("create_draft"), json=CREATE, headers={"Host": f"localhost:{server.port}"}
    )
    assert localhost.status_code == 200, localhost.text
    # A body sent without any Content-Type is read as JSON, as FastAPI (and capcut-mate) does.
    bare = http.post(server.api("create_draft"), content=b'{"width": 640, "height": 360}')
    assert bare.status_code == 200, bare.text


def test_no_cors_headers_by_default_and_listed_origins_get_them(
    server: ServerProcess, http: httpx.Client
) -> None:
    listed = http.post(
        server.api("list_drafts"), json={}, headers={"Origin": "https://studio.example"}
    )
    assert listed.status_code == 200, listed.text
    assert listed.headers["access-control-allow-origin"] == "https://studio.example"
    # A page may read where a zip's warnings are (download_draft).
    assert listed.headers["access-control-expose-headers"] == "X-Draftsmith-Warnings"
    preflight = http.options(
        server.api("create_draft"),
        headers={
            "Origin": "https://studio.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == "https://studio.example"
    foreign_preflight = http.options(
        server.api("create_draft"),
        headers={"Origin": "https://attacker.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in foreign_preflight.headers


def test_trusted_hosts_setting_and_opt_out(tmp_path: Path) -> None:
    with (
        ServerProcess(
            tmp_path / "named", env={"DRAFTSMITH_TRUSTED_HOSTS": "drafts.internal"}
        ) as named,
        httpx.Client(timeout=10.0) as http,
    ):
        ok = http.post(named.api("list_drafts"), json={}, headers={"Host": "drafts.internal"})
        assert ok.status_code == 200, ok.text
        other = http.post(named.api("list_drafts"), json={}, headers={"Host": "other.internal"})
        assert other.status_code == 421
        public = ServerProcess(
            tmp_path / "public", env={"DRAFTSMITH_PUBLIC_URL": "https://drafts.example.com/base"}
        )
        with public:
            by_public = http.post(
                public.api("list_drafts"), json={}, headers={"Host": "drafts.example.com"}
            )
            assert by_public.status_code == 200, by_public.text
        with ServerProcess(tmp_path / "any", env={"DRAFTSMITH_TRUSTED_HOSTS": "*"}) as anyhost:
            anything = http.post(
                anyhost.api("list_drafts"), json={}, headers={"Host": "whatever.example"}
            )
            assert anything.status_code == 200, anything.text
