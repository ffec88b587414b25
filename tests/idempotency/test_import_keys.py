"""import_draft (an uploaded zip, or one named by zip_url) and relink_media take idempotency
keys like every state-changing verb: a retried import makes one draft, a retried relink
one revision; against a real server. The client sends a key of its own with each and retries
one whose answer was lost (the server killed right after the write committed) with it."""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from conftest import TEST_SERVER_ENV
from draftsmith.client import Client, RetryNotice, ServerUnreachable
from support.api import Api, ApiOpener
from support.downloads import draft_id_of
from support.media_server import MediaServer
from support.server import ServerProcess


def _exported(api: Api, media: MediaServer, *, without_media: bool) -> bytes:
    """A saved draftsmith draft with one video, as download_draft zips it (its media left
    out when `without_media`)."""
    draft_url = api.create_draft(640, 360)
    item = {"video_url": media.url("bars.mp4"), "start": 0, "end": 1_000_000}
    api.ok("add_videos", {"draft_url": draft_url, "video_infos": [item]})
    api.save(draft_url)
    zipped = api.get(api.url("download_draft"), draft_id=draft_id_of(draft_url))
    assert zipped.status_code == 200, zipped.text
    if not without_media:
        return zipped.content
    kept = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(zipped.content)) as source,
        zipfile.ZipFile(kept, "w") as target,
    ):
        for info in source.infolist():
            if "/assets/" not in info.filename:
                target.writestr(info, source.read(info))
    return kept.getvalue()


def _drafts(api: Api) -> int:
    return len(api.ok("list_drafts", {"limit": 500})["drafts"])


def _upload(api: Api, data: bytes, key: str, **params: str) -> httpx.Response:
    headers = {**api.headers(), "Content-Type": "application/zip", "Idempotency-Key": key}
    return api.http.post(api.url("import_draft"), content=data, params=params, headers=headers)


def test_a_retried_upload_imports_one_draft(
    shared_server: ServerProcess, apis: ApiOpener, media_server: MediaServer
) -> None:
    api = apis(shared_server.base_url)
    data = _exported(api, media_server, without_media=False)
    before = _drafts(api)

    first, again = (
        _upload(api, data, "import-1", name="a"),
        _upload(api, data, "import-1", name="a"),
    )

    assert (first.status_code, again.status_code) == (200, 200), first.text
    assert again.text == first.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _drafts(api) == before + 1
    other = _upload(api, data, "import-1", name="another name")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_a_retried_import_by_url_imports_one_draft(
    shared_server: ServerProcess, apis: ApiOpener, media_server: MediaServer, tmp_path: Path
) -> None:
    api = apis(shared_server.base_url)
    (tmp_path / "draft.zip").write_bytes(_exported(api, media_server, without_media=False))
    before = _drafts(api)
    with MediaServer(tmp_path) as zips:
        body = {"zip_url": zips.url("draft.zip"), "idempotency_key": "import-by-url"}
        first, again = api.post("import_draft", body), api.post("import_draft", body)

    assert (first.status_code, again.status_code) == (200, 200), first.text
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _drafts(api) == before + 1


def test_a_retried_relink_is_applied_once(
    shared_server: ServerProcess, apis: ApiOpener, media_server: MediaServer
) -> None:
    api = apis(shared_server.base_url)
    imported = _upload(api, _exported(api, media_server, without_media=True), "import-bare")
    assert imported.status_code == 200, imported.text
    answer: dict[str, Any] = imported.json()
    [missing] = answer["missing_media"]
    draft_url = answer["draft_url"]
    body = {
        "draft_url": draft_url,
        "material": missing.rsplit("/", 1)[-1],
        "url": media_server.url("bars.mp4"),
    }
    headers = {**api.headers(), "Idempotency-Key": "relink-1"}

    first = api.http.post(api.url("relink_media"), json=body, headers=headers)
    again = api.http.post(api.url("relink_media"), json=body, headers=headers)

    assert (first.status_code, again.status_code) == (200, 200), first.text
    assert again.text == first.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert api.info(draft_url)["current_version"] == first.json()["current_version"]


DIE_AFTER = "DRAFTSMITH_TEST_DIE_AFTER"


class KeyedWriteKiller(ServerProcess):
    """A server that dies by SIGKILL right after a keyed write through the store method named
    in its DRAFTSMITH_TEST_DIE_AFTER commits (die_after_keyed_write)."""

    def command(self) -> list[str]:
        script = str(Path(__file__).with_name("die_after_keyed_write.py"))
        return [sys.executable, script, *super().command()[3:]]


def _reviving(server: ServerProcess, seen: Callable[[], None]) -> Callable[[float], None]:
    """The client's `sleep`: bring the killed server back, dying no more, and look at what
    it committed before the client retries."""

    def revive(_: float) -> None:
        server.kill()
        server.env[DIE_AFTER] = ""
        server.start()
        seen()

    return revive


def test_the_client_retries_a_lost_upload_with_its_key_and_imports_one_draft(
    shared_server: ServerProcess, apis: ApiOpener, media_server: MediaServer, tmp_path: Path
) -> None:
    data = _exported(apis(shared_server.base_url), media_server, without_media=False)
    notices: list[RetryNotice] = []
    before_retry: list[int] = []
    with KeyedWriteKiller(
        tmp_path / "data", env={**TEST_SERVER_ENV, DIE_AFTER: "append_tracks"}
    ) as server:
        api = apis(server.base_url)
        revive = _reviving(server, lambda: before_retry.append(_drafts(api)))
        with Client(
            server.base_url, on_retry=notices.append, sleep=revive, trust_env=False
        ) as client:
            imported = client.import_draft(data, name="once")
            drafts = client.list_drafts()

    assert [(n.verb, type(n.error)) for n in notices] == [("import_draft", ServerUnreachable)]
    assert before_retry == [1], "the lost attempt must have committed the import"
    assert [d.draft_id for d in drafts] == [imported.draft_id]
    assert imported.missing_media == ()


def test_the_client_retries_a_lost_relink_with_its_key_and_applies_it_once(
    shared_server: ServerProcess, apis: ApiOpener, media_server: MediaServer, tmp_path: Path
) -> None:
    data = _exported(apis(shared_server.base_url), media_server, without_media=True)
    notices: list[RetryNotice] = []
    before_retry: list[int] = []
    with KeyedWriteKiller(
        tmp_path / "data", env={**TEST_SERVER_ENV, DIE_AFTER: "replace_tracks"}
    ) as server:
        api = apis(server.base_url)
        # Sent without a key, the import itself does not kill the server.
        headers = {**api.headers(), "Content-Type": "application/zip"}
        answer = api.http.post(api.url("import_draft"), content=data, headers=headers)
        assert answer.status_code == 200, answer.text
        draft_url = answer.json()["draft_url"]
        [missing] = answer.json()["missing_media"]
        revive = _reviving(
            server, lambda: before_retry.append(api.info(draft_url)["current_version"])
        )
        with Client(
            server.base_url, on_retry=notices.append, sleep=revive, trust_env=False
        ) as client:
            relinked = client.relink_media(
                draft_url, missing.rsplit("/", 1)[-1], media_server.url("bars.mp4")
            )
            info = client.get_draft_info(draft_url)

    assert [(n.verb, type(n.error)) for n in notices] == [("relink_media", ServerUnreachable)]
    assert before_retry == [relinked.current_version], "the lost attempt must have committed"
    assert info.current_version == relinked.current_version
    assert len(relinked.segment_ids) == 1
