"""Editor profiles on a real server: a draft made for CapCut is saved as CapCut files, and the
same saved version downloads for Jianying 5.9, alike through get_draft and download_draft."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from draft_oracle import load_summary, unresolved_refs
from draftsmith.capcut.profiles import PROFILES
from support.api import SECOND, Api, relative_path
from support.downloads import draft_id_of, unzip_draft
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess

CAPTION = "你好 🎬"
LV = {"app_id": 3704, "app_source": "lv", "app_version": "5.9.0", "os": "windows"}


def capcut_draft(api: Api, media_server: MediaServer, standard_media: StandardMedia) -> str:
    """A saved draft made for CapCut: a video and a caption, version 1."""
    created = api.ok("create_draft", {"width": 1280, "height": 720, "profile": "capcut"})
    draft_url = str(created["draft_url"])
    api.add_video(draft_url, media_server.url(standard_media.bars.name), 0, 2 * SECOND)
    api.add_caption(draft_url, CAPTION, 0, 2 * SECOND)
    assert api.save(draft_url)["version"] == 1
    return draft_url


def listed(api: Api, draft_id: str, **params: Any) -> dict[str, bytes]:
    """Every file get_draft lists, fetched, by folder-relative path."""
    response = api.http.get(api.url("get_draft"), params={"draft_id": draft_id, **params})
    assert response.status_code == 200, response.text
    return {relative_path(u, draft_id): api.file_bytes(u) for u in response.json()["files"]}


def zipped(archive: bytes, draft_id: str) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        return {n.removeprefix(f"{draft_id}/"): bundle.read(n) for n in bundle.namelist()}


def test_a_capcut_draft_is_saved_for_capcut_and_exports_for_jianying_59(
    api: Api, media_server: MediaServer, standard_media: StandardMedia, tmp_path: Path
) -> None:
    draft_url = capcut_draft(api, media_server, standard_media)
    draft_id = draft_id_of(draft_url)

    saved = listed(api, draft_id)
    timelines = sorted(p for p in saved if p.startswith("Timelines/"))
    assert "draft_content.json" not in saved
    assert timelines[0].endswith("/draft_info.json") and timelines[1] == "Timelines/project.json"
    info = json.loads(saved["draft_info.json"])
    assert info["platform"]["app_source"] == info["last_modified_platform"]["app_source"] == "cc"
    assert saved[timelines[0]] == saved["draft_info.json"]

    body = {"draft_url": draft_url, "version": 1, "profile": "jianying-5.9"}
    posted = api.http.post(api.url("download_draft"), json=body)
    assert posted.status_code == 200, posted.text
    exported = zipped(posted.content, draft_id)
    assert {p for p in exported if p.endswith(".json")} == {
        "draft_content.json",
        "draft_meta_info.json",
    }
    content = json.loads(exported["draft_content.json"])
    assert content["platform"] == content["last_modified_platform"] == LV
    media = {p for p in saved if p.startswith("assets/")}
    assert media and media <= set(exported)

    # Every way to the jianying-5.9 folder gives the same bytes.
    params: dict[str, str | int] = {"draft_id": draft_id, "version": 1, "profile": "jianying-5.9"}
    got = api.http.get(api.url("download_draft"), params=params)
    assert (got.status_code, got.content) == (200, posted.content)
    response = api.http.get(api.url("get_draft"), params=params)
    assert all("profile=jianying-5.9" in u for u in response.json()["files"])
    assert api.http.get(response.json()["download_url"]).content == posted.content
    assert listed(api, draft_id, version=1, profile="jianying-5.9") == exported
    # Its own profile is the saved files; an export records nothing.
    assert listed(api, draft_id, profile="capcut") == saved == listed(api, draft_id)

    unzip_draft(posted.content, tmp_path)
    summary = load_summary(tmp_path / draft_id)
    assert [kind for kind, _ in summary.tracks] == ["video", "text"]
    assert summary.captions == [CAPTION]
    assert unresolved_refs(tmp_path / draft_id) == {}


@pytest.mark.parametrize("profile", list(PROFILES))
def test_create_draft_takes_each_profile(api: Api, profile: str) -> None:
    draft_url = str(api.ok("create_draft", {"profile": profile})["draft_url"])
    api.add_caption(draft_url, "hi")
    api.save(draft_url)

    files = listed(api, draft_id_of(draft_url))

    assert set(PROFILES[profile].reads) <= set(files)


def bad_profile_detail(response: httpx.Response) -> str:
    assert response.status_code == 400, response.text
    detail = str(response.json()["detail"])
    assert "nope" in detail and "jianying-5.9" in detail and "capcut" in detail, detail
    return detail


def test_an_unknown_profile_is_a_400_naming_the_known_ones(
    api: Api, shared_server: ServerProcess
) -> None:
    bad_profile_detail(api.post("create_draft", {"profile": "nope"}))
    draft_url = api.create_draft()
    api.add_caption(draft_url, "hi")
    api.save(draft_url)
    draft_id = draft_id_of(draft_url)
    query = {"draft_id": draft_id, "profile": "nope"}

    bad_profile_detail(api.http.get(api.url("get_draft"), params=query))
    bad_profile_detail(api.http.get(api.url("download_draft"), params=query))
    bad_profile_detail(api.post("download_draft", {"draft_url": draft_url, "profile": "nope"}))
    file_url = f"{api.url('draft_files')}/v1/{draft_id}/draft_info.json"
    bad_profile_detail(api.http.get(file_url, params={"profile": "nope"}))
    assert api.http.get(file_url).status_code == 200
