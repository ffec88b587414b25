"""A capcut-mate workflow from start to finish against a real server, checked with the oracle.

create_draft -> add_videos / add_audios / add_images / add_captions -> save_draft -> get_draft,
then every listed file is downloaded into a folder that pyJianYingDraft must load as we meant it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from draft_oracle import DraftSummary, load_summary, unresolved_refs
from support.api import SECOND, Api, relative_path
from support.downloads import draft_id_of, unzip_draft
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess

CAPTIONS = ["你好，世界 🎬", "第二句 ✨ second line"]


@dataclass(frozen=True)
class BuiltDraft:
    draft_url: str
    draft_id: str
    version: int
    files: list[str]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(
    shared_server: ServerProcess, media_server: MediaServer, standard_media: StandardMedia
) -> BuiltDraft:
    """One draft built through every core verb and saved once; the tests below only read it."""
    with Api(shared_server.base_url) as api:
        draft_url = api.create_draft(1280, 720)
        bars = media_server.url(standard_media.bars.name)
        # capcut-mate sends its lists as JSON strings; plain arrays must work just as well.
        videos = json.dumps([{"video_url": bars, "start": 0, "end": 3 * SECOND}])
        added = api.ok("add_videos", {"draft_url": draft_url, "video_infos": videos})
        assert added["segment_infos"][0] == {
            "id": added["segment_ids"][0],
            "start": 0,
            "end": 3 * SECOND,
        }
        tone = media_server.url(standard_media.tone.name)
        audios = [{"audio_url": tone, "start": 0, "end": 3 * SECOND}]
        api.ok("add_audios", {"draft_url": draft_url, "audio_infos": audios})
        still = media_server.url(standard_media.still.name)
        images = [{"image_url": still, "start": 3 * SECOND, "end": 5 * SECOND}]
        api.ok("add_images", {"draft_url": draft_url, "image_infos": images})
        captions = [
            {"text": CAPTIONS[0], "start": 0, "end": 2 * SECOND},
            {"text": CAPTIONS[1], "start": 2 * SECOND, "end": 5 * SECOND},
        ]
        api.ok(
            "add_captions",
            {
                "draft_url": draft_url,
                "captions": captions,
                "font_size": 12,
                "text_color": "#ff0000",
                "bold": True,
                "border_color": "#000000",
                "has_shadow": True,
            },
        )
        # The same URL again: fetched once, stored once.
        last = api.add_video(draft_url, bars, 5 * SECOND, 8 * SECOND)
        assert last.current_version == 5
        saved = api.save(draft_url)
        assert saved["draft_url"] == draft_url
        assert saved["created"] is True
        draft_id = draft_id_of(draft_url)
        listed = api.get_draft(draft_id)
        assert listed["version"] == saved["version"]
        return BuiltDraft(draft_url, draft_id, saved["version"], list(listed["files"]))


@pytest.fixture(scope="module")
def folder(
    built: BuiltDraft, shared_server: ServerProcess, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    with Api(shared_server.base_url) as api:
        return api.download_folder(built.draft_id, tmp_path_factory.mktemp("downloaded"))


def test_files_listed_are_the_draft_folder(
    built: BuiltDraft, standard_media: StandardMedia
) -> None:
    paths = sorted(relative_path(url, built.draft_id) for url in built.files)
    assert paths == sorted(
        [
            "draft_content.json",
            "draft_info.json",
            "draft_meta_info.json",
            f"assets/videos/{sha256_of(standard_media.bars)}.mp4",
            f"assets/audios/{sha256_of(standard_media.tone)}{standard_media.tone.suffix}",
            f"assets/images/{sha256_of(standard_media.still)}.png",
        ]
    )
    assert all(f"/draft_files/v{built.version}/{built.draft_id}/" in url for url in built.files)


def test_oracle_loads_what_was_sent(folder: Path) -> None:
    summary = load_summary(folder)
    assert (summary.width, summary.height) == (1280, 720)
    assert summary.duration == 8 * SECOND
    assert summary.tracks == [
        ("video", [(0, 3 * SECOND, 0, 3 * SECOND)]),
        ("audio", [(0, 3 * SECOND, 0, 3 * SECOND)]),
        ("video", [(3 * SECOND, 2 * SECOND, 0, 2 * SECOND)]),
        ("text", [(0, 2 * SECOND, None, None), (2 * SECOND, 3 * SECOND, None, None)]),
        ("video", [(5 * SECOND, 3 * SECOND, 0, 3 * SECOND)]),
    ]
    # Three video materials (two uses of bars.mp4 and the still), one audio, two texts, and a
    # speed for each of the four media segments.
    assert summary.material_counts == {"videos": 3, "audios": 1, "texts": 2, "speeds": 4}
    assert summary.captions == CAPTIONS
    assert unresolved_refs(folder) == {}


def test_caption_style_is_written(folder: Path) -> None:
    content = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    texts = [json.loads(m["content"]) for m in content["materials"]["texts"]]
    assert [t["text"] for t in texts] == CAPTIONS
    for text in texts:
        style: dict[str, Any] = text["styles"][0]
        assert style["size"] == 12.0
        assert style["bold"] is True
        assert style["fill"]["content"]["solid"]["color"] == [1.0, 0.0, 0.0]
        assert style["strokes"][0]["content"]["solid"]["color"] == [0.0, 0.0, 0.0]
        assert len(style["shadows"]) == 1


def test_media_files_are_the_originals_byte_for_byte(
    folder: Path, standard_media: StandardMedia
) -> None:
    for original, kind in [
        (standard_media.bars, "videos"),
        (standard_media.tone, "audios"),
        (standard_media.still, "images"),
    ]:
        copies = list((folder / "assets" / kind).iterdir())
        assert len(copies) == 1, copies
        assert copies[0].read_bytes() == original.read_bytes()


def test_same_media_is_stored_once(
    built: BuiltDraft, shared_server: ServerProcess, standard_media: StandardMedia
) -> None:
    digest = sha256_of(standard_media.bars)
    assert sum(digest in url for url in built.files) == 1
    blobs = list((shared_server.data_dir / "blobs").rglob(digest))
    assert [blob.relative_to(shared_server.data_dir).as_posix() for blob in blobs] == [
        f"blobs/{digest[:2]}/{digest}"
    ]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_download_draft_zip_loads_the_same(
    method: str,
    built: BuiltDraft,
    folder: Path,
    shared_server: ServerProcess,
    http: httpx.Client,
    tmp_path: Path,
) -> None:
    url = f"{shared_server.base_url}/openapi/capcut-mate/v1/download_draft"
    if method == "GET":
        response = http.get(url, params={"draft_id": built.draft_id})
    else:
        response = http.post(url, json={"draft_url": built.draft_url})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    names = unzip_draft(response.content, tmp_path)
    expected = sorted(f"{built.draft_id}/{relative_path(u, built.draft_id)}" for u in built.files)
    assert sorted(names) == expected
    unzipped = tmp_path / built.draft_id
    from_zip: DraftSummary = load_summary(unzipped)
    assert from_zip == load_summary(folder)
    for name in names:
        relative = name.split("/", 1)[1]
        assert (unzipped / relative).read_bytes() == (folder / relative).read_bytes(), name


@pytest.mark.parametrize("path", ["/openapi.json", "/docs"])
def test_api_documents_answer(path: str, shared_server: ServerProcess, http: httpx.Client) -> None:
    response = http.get(f"{shared_server.base_url}{path}")
    assert response.status_code == 200
    if path == "/openapi.json":
        paths = response.json()["paths"]
        for verb in ["create_draft", "add_videos", "add_captions", "save_draft", "get_draft"]:
            assert f"/openapi/capcut-mate/v1/{verb}" in paths, verb
