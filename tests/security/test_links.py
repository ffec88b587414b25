"""Download links: signed and expiring while keys are on, so a leaked draft_url alone exposes
nothing; plain while keys are off."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from draftsmith.errors import LinkExpired
from draftsmith.security.signing import UrlSigner, file_resource
from support.api import Api, ApiOpener
from support.server import ServerProcess

from .conftest import KEY_A, KEYED_ENV


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def with_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = {**query_of(url), **changes}
    text = "&".join(f"{k}={v}" for k, v in query.items() if v is not None)
    return parts._replace(query=text).geturl()


def listed(api: Api, draft_id: str) -> dict[str, object]:
    response = api.get(api.url("get_draft"), draft_id=draft_id)
    assert response.status_code == 200, response.text
    data: dict[str, object] = response.json()
    return data


def test_signed_links_work_without_a_key_and_only_as_issued(alice: Api, bob: Api) -> None:
    _, draft_id = alice.saved_draft()
    data = listed(alice, draft_id)
    files = [str(f) for f in data["files"]]  # type: ignore[attr-defined]
    nobody = alice.as_key(None)
    content = next(f for f in files if urlsplit(f).path.endswith("/draft_content.json"))
    info = next(f for f in files if urlsplit(f).path.endswith("/draft_info.json"))

    for url in files:
        assert set(query_of(url)) == {"expires", "sig"}, url
        assert nobody.http.get(url).status_code == 200, url
    assert bob.http.get(content).status_code == 200, "a link works for whoever holds it"
    zipped = nobody.http.get(str(data["download_url"]))
    assert zipped.status_code == 200, zipped.text
    assert (
        f"{draft_id}/draft_content.json" in zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    )

    sig = query_of(content)["sig"]
    forged = [
        with_query(content, sig=sig[:-1] + ("0" if sig[-1] != "0" else "1")),
        with_query(content, expires=str(int(query_of(content)["expires"]) + 3600)),
        with_query(content, expires=None, sig=None),
        with_query(info, sig=sig, expires=query_of(content)["expires"]),
        with_query(str(data["download_url"]), version="2"),
    ]
    for url in forged:
        response = nobody.http.get(url)
        assert response.status_code in (401, 404), (url, response.text)
        if response.status_code == 401:
            assert response.json()["code"] == "unauthorized"
    unsigned = with_query(content, expires=None, sig=None)
    assert bob.http.get(unsigned, headers=bob.headers()).status_code == 404
    assert alice.http.get(unsigned, headers=alice.headers()).status_code == 200


def test_a_leaked_draft_url_gives_nothing(alice: Api) -> None:
    draft_url, _ = alice.saved_draft()
    nobody = alice.as_key(None)

    assert nobody.http.get(draft_url).status_code == 401
    assert nobody.post("get_draft_info", {"draft_url": draft_url}).status_code == 401


@pytest.fixture
def short_links(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {**KEYED_ENV, "DRAFTSMITH_LINK_TTL_SECONDS": "1"}
    with ServerProcess(tmp_path_factory.mktemp("short-links"), env=env) as server:
        yield server


def test_an_expired_link_is_403_unless_a_key_comes_with_it(
    short_links: ServerProcess, http: httpx.Client, apis: ApiOpener
) -> None:
    alice = apis(short_links.base_url, KEY_A)
    _, draft_id = alice.saved_draft()
    url = str(listed(alice, draft_id)["files"][0])  # type: ignore[index]
    expires = int(query_of(url)["expires"])
    time.sleep(max(0.0, expires - time.time()) + 1.1)

    expired = http.get(url)

    assert expired.status_code == 403, expired.text
    assert expired.json()["code"] == "link_expired"
    assert "get_draft" in expired.json()["detail"]
    assert http.get(url, headers=alice.headers()).status_code == 200


def test_links_are_plain_while_keys_are_off(shared_server: ServerProcess, apis: ApiOpener) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft()
    api.add_caption(draft_url, "plain")
    api.ok("save_draft", {"draft_url": draft_url})

    data = listed(api, draft_url.rsplit("=", 1)[1])

    assert all("?" not in str(url) for url in data["files"])  # type: ignore[attr-defined]
    assert "sig=" not in str(data["download_url"])


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_signer_rounds_expiry_and_checks_what_and_when() -> None:
    clock = Clock(1_000_000.0)
    signer = UrlSigner(b"k" * 32, ttl_seconds=24 * 3600, clock=clock)
    resource = file_resource("20250101000000" + "a" * 16, 1, "draft_content.json")

    first = signer.query(resource)
    clock.now += 60
    assert signer.query(resource) == first, "stable within the rounding step"
    expires, sig = (part.split("=", 1)[1] for part in first.split("&"))
    assert int(expires) - clock.now >= 24 * 3600 - 60

    assert signer.verify(resource, expires, sig)
    assert not signer.verify(resource + "x", expires, sig)
    assert not signer.verify(resource, str(int(expires) + 1), sig)
    assert not UrlSigner(b"j" * 32, 3600, clock=clock).verify(resource, expires, sig)
    for bad_expires in (None, "", "-1", "1e9", "²", "9" * 40):
        assert not signer.verify(resource, bad_expires, sig), bad_expires
    assert not signer.verify(resource, expires, None)
    clock.now = int(expires) + 1
    with pytest.raises(LinkExpired):
        signer.verify(resource, expires, sig)
