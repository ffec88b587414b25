"""`draftsmith install <draft_url>` against a real server: download, place, list, open."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner

from draft_oracle import load_summary
from draftsmith.capcut.validate import validate_folder
from draftsmith.cli import main
from draftsmith.editor.sources import path_files
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess

API = "/openapi/capcut-mate/v1"
S = 1_000_000


def ok(http: httpx.Client, server: ServerProcess, verb: str, body: Any) -> dict[str, Any]:
    response = http.post(f"{server.base_url}{API}/{verb}", json=body)
    assert response.status_code == 200, (verb, response.text)
    data: dict[str, Any] = response.json()
    return data


def test_install_a_saved_draft_by_its_url(
    shared_server: ServerProcess,
    media_server: MediaServer,
    standard_media: StandardMedia,
    http: httpx.Client,
    tmp_path: Path,
) -> None:
    body = {"width": 1280, "height": 720, "name": "From the server"}
    draft_url = ok(http, shared_server, "create_draft", body)["draft_url"]
    still = media_server.url(standard_media.still.name)
    images = [{"image_url": still, "start": 0, "end": 2 * S}]
    ok(http, shared_server, "add_images", {"draft_url": draft_url, "image_infos": images})
    tone = media_server.url(standard_media.tone.name)
    audios = [{"audio_url": tone, "start": 0, "end": 2 * S}]
    ok(http, shared_server, "add_audios", {"draft_url": draft_url, "audio_infos": audios})
    ok(http, shared_server, "save_draft", {"draft_url": draft_url})
    root = tmp_path / "com.lveditor.draft"
    root.mkdir()

    result = CliRunner().invoke(main, ["install", draft_url, "--drafts-root", str(root)])
    assert result.exit_code == 0, result.output
    folder = root / "From the server"
    assert f"Installed 'From the server' at {folder}" in result.output
    listed = json.loads((root / "root_meta_info.json").read_text(encoding="utf-8"))
    assert [e["draft_fold_path"] for e in listed["all_draft_store"]] == [folder.as_posix()]
    assert load_summary(folder).duration == 2 * S
    info = json.loads((folder / "draft_info.json").read_text(encoding="utf-8"))
    paths = [m["path"] for name in ("videos", "audios") for m in info["materials"][name]]
    assert len(paths) == 2
    assert all(p.startswith(f"{folder.as_posix()}/assets/") and Path(p).is_file() for p in paths)
    assert validate_folder(path_files(folder)).problems == ()


def test_install_an_unknown_draft(shared_server: ServerProcess, tmp_path: Path) -> None:
    draft_id = "20261124120000" + "feedfacefeedface"
    args = ["install", draft_id, "--drafts-root", str(tmp_path), "--server", shared_server.base_url]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3, result.output
    assert list(tmp_path.iterdir()) == []
