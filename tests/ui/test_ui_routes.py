"""The UI's page, assets and read-only views, over HTTP against a real server."""

from __future__ import annotations

import json
import re
import secrets
import threading
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.api import SECOND, Api
from support.downloads import draft_id_of
from support.media_server import MediaServer
from support.server import ServerProcess
from ui.browser import REPO_ROOT, BuiltDraft

UI_DIR = REPO_ROOT / "src" / "draftsmith" / "web" / "ui"
PACKAGE_DIR = REPO_ROOT / "src" / "draftsmith"
# Namespace names are identifiers, not addresses: nothing is fetched from them.
_NAMESPACES = ("http://www.w3.org",)
_URL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""", re.IGNORECASE)


def ui_files() -> list[Path]:
    return sorted(p for p in UI_DIR.rglob("*") if p.is_file())


def test_every_asset_ships_with_the_package() -> None:
    """Every file of the UI matches a package-data glob, so an installed server has it."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["draftsmith"]
    for path in ui_files():
        relative = path.relative_to(PACKAGE_DIR).as_posix()
        assert any(fnmatch(relative, glob) for glob in globs), relative


def test_the_ui_loads_nothing_from_elsewhere() -> None:
    for path in ui_files():
        text = path.read_text(encoding="utf-8")
        for match in _URL.finditer(text):
            assert match.group().startswith(_NAMESPACES), (path.name, match.group())


def test_index_and_assets_are_served(shared_server: ServerProcess, http: httpx.Client) -> None:
    page = http.get(f"{shared_server.base_url}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    referenced = re.findall(r'(?:src|href)="(ui/static/[^"]+)"', page.text)
    assert "ui/static/js/main.js" in referenced
    modules = [f"ui/static/{p.relative_to(UI_DIR).as_posix()}" for p in UI_DIR.rglob("*.js")]
    for path in {*referenced, *modules}:
        asset = http.get(f"{shared_server.base_url}/{path}")
        assert asset.status_code == 200, path
    script = http.get(f"{shared_server.base_url}/ui/static/js/main.js")
    assert "javascript" in script.headers["content-type"]
    assert http.get(f"{shared_server.base_url}/ui/static/js/missing.js").status_code == 404


@pytest.fixture
def built(api: Api, media_server: MediaServer) -> BuiltDraft:
    url = api.create_draft(name="routes")
    api.add_video(url, media_server.url("bars.mp4"), 0, 3 * SECOND)
    api.add_image(url, media_server.url("still.png"), 0, SECOND)
    api.add_audio(url, media_server.url("tone.mp3"), 0, 3 * SECOND)
    api.add_caption(url, "Caption one", 0, SECOND)
    return BuiltDraft(url, draft_id_of(url), "routes")


def ui_get(server: ServerProcess, http: httpx.Client, path: str) -> httpx.Response:
    return http.get(f"{server.base_url}/ui/{path}")


def test_timeline_lists_lanes_in_the_editors_order_with_thumbnails(
    shared_server: ServerProcess, http: httpx.Client, built: BuiltDraft
) -> None:
    response = ui_get(shared_server, http, f"api/drafts/{built.id}/timeline")
    assert response.status_code == 200
    view = response.json()
    assert view["draft_id"] == built.id
    assert view["segment_count"] == 4
    assert [(t["type"], t["layer"]) for t in view["tracks"]] == [
        ("text", 3),
        ("video", 1),
        ("video", 0),
        ("audio", 2),
    ]
    caption, image, video, audio = (t["segments"][0] for t in view["tracks"])
    assert (caption["kind"], caption["text"]) == ("text", "Caption one")
    assert (image["kind"], video["kind"], audio["kind"]) == ("image", "video", "audio")
    assert audio["thumbnail_url"] is None
    for segment in (image, video):
        thumbnail = http.get(f"{shared_server.base_url}/{segment['thumbnail_url']}")
        assert thumbnail.status_code == 200
        assert thumbnail.headers["content-type"] == "image/jpeg"
        assert thumbnail.content.startswith(b"\xff\xd8\xff")
        assert "immutable" in thumbnail.headers["cache-control"]


def test_thumbnails_are_only_small_jpeg_blobs(
    shared_server: ServerProcess, http: httpx.Client, api: Api, built: BuiltDraft
) -> None:
    api.save(built.url)
    files = http.get(shared_server.api("get_draft"), params={"draft_id": built.id}).json()["files"]
    content_url = next(f for f in files if f.endswith("/draft_content.json"))
    json_blob = http.get(content_url).headers["etag"].strip('"')
    for name in (json_blob, "0" * 64, "not-a-digest", "A" * 64, "../" * 10 + "etc"):
        assert ui_get(shared_server, http, f"thumbnails/{name}").status_code == 404, name


def test_unknown_and_malformed_drafts(shared_server: ServerProcess, http: httpx.Client) -> None:
    missing = ui_get(shared_server, http, f"api/drafts/20200101000000{'0' * 16}/timeline")
    assert (missing.status_code, missing.json()["detail"]) == (404, "Draft does not exist")
    malformed = ui_get(shared_server, http, "api/drafts/not.an.id/events")
    assert (malformed.status_code, malformed.json()["detail"]) == (400, "Invalid draft_url format")


def diff(server: ServerProcess, http: httpx.Client, draft_id: str, version: int) -> Any:
    response = ui_get(server, http, f"api/drafts/{draft_id}/versions/{version}/diff")
    assert response.status_code == 200, response.text
    return response.json()


def test_version_diffs(
    shared_server: ServerProcess, http: httpx.Client, api: Api, built: BuiltDraft
) -> None:
    api.save(built.url)
    api.add_caption(built.url, "Caption two", SECOND, 2 * SECOND)
    api.save(built.url)
    api.ok("restore_version", {"draft_url": built.url, "version": 1})

    first = diff(shared_server, http, built.id, 1)
    assert (first["previous"], first["counts"]["added"]) == (None, 4)
    assert first["summary"] == "4 segments added, 4 tracks added"
    second = diff(shared_server, http, built.id, 2)
    assert second["previous"] == 1
    assert second["summary"] == "1 segment added, 1 track added"
    assert [(a["label"], a["start"], a["type"]) for a in second["added"]] == [
        ("Caption two", SECOND, "text")
    ]
    restored = diff(shared_server, http, built.id, 3)
    assert restored["summary"] == "1 segment removed, 1 track removed"
    assert restored["removed"][0]["label"] == "Caption two"
    absent = ui_get(shared_server, http, f"api/drafts/{built.id}/versions/9/diff")
    assert absent.status_code == 404


def read_events(response: httpx.Response) -> Iterator[tuple[str, dict[str, Any]]]:
    name = ""
    for line in response.iter_lines():
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: "):
            yield name, json.loads(line.removeprefix("data: "))


def test_status_stream_sends_the_header_when_it_changes(
    shared_server: ServerProcess, api: Api
) -> None:
    url = api.create_draft(name="stream")
    draft_id = draft_id_of(url)
    stream_url = f"{shared_server.base_url}/ui/api/drafts/{draft_id}/events"
    with (
        httpx.Client(timeout=10, trust_env=False) as streamer,
        streamer.stream("GET", stream_url) as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        events = read_events(response)
        name, header = next(events)
        assert (name, header["current_version"], header["unsaved_changes"]) == ("header", 0, False)

        edit = threading.Timer(0.3, api.add_caption, (url, "live", 0, SECOND))
        edit.start()
        name, header = next(events)
        edit.join()
        assert (name, header["current_version"], header["unsaved_changes"]) == ("header", 1, True)

        api.save(url)
        name, header = next(events)
        assert (header["last_saved_version"], header["unsaved_changes"]) == (1, False)

        api.ok("delete_draft", {"draft_url": url})
        assert next(events)[0] == "gone"


def test_the_drafts_list_carries_each_drafts_latest_render(
    shared_server: ServerProcess, http: httpx.Client, api: Api
) -> None:
    tag = f"listed{secrets.token_hex(3)}"
    queued = api.create_draft(320, 240, f"{tag} queued")
    api.add_caption(queued, "to render", 0, SECOND)
    api.save(queued)
    api.ok("gen_video", {"draft_url": queued})
    api.create_draft(name=f"{tag} plain")

    listed = ui_get(shared_server, http, f"api/drafts?query={tag}&limit=5")

    assert listed.status_code == 200, listed.text
    by_name = {draft["name"]: draft for draft in listed.json()["drafts"]}
    assert set(by_name) == {f"{tag} queued", f"{tag} plain"}
    assert by_name[f"{tag} plain"]["render"] is None
    render = by_name[f"{tag} queued"]["render"]
    assert render["status"] in ("pending", "processing", "completed"), render
    assert 0 <= render["progress"] <= 100
    listed_fields = set(by_name[f"{tag} plain"]) - {"render"}
    verb = api.ok("list_drafts", {"query": tag})["drafts"][0]
    assert listed_fields == set(verb)


@pytest.mark.parametrize(
    ("query", "field"), [("limit=0", "limit"), ("offset=-1", "offset"), ("limit=x", "limit")]
)
def test_the_drafts_list_names_a_bad_parameter(
    shared_server: ServerProcess, http: httpx.Client, query: str, field: str
) -> None:
    response = ui_get(shared_server, http, f"api/drafts?{query}")
    assert response.status_code == 400, response.text
    assert field in response.json()["detail"]
