"""Installing into a drafts root that already holds other drafts and the editor's list."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from draft_oracle import load_summary, unresolved_refs
from draftsmith.capcut.profiles import PROFILES
from draftsmith.capcut.validate import validate_folder
from draftsmith.editor.install import FolderTaken, Installed, InstallRefused, install
from draftsmith.editor.sources import path_files
from validate.drafts import DRAFT_ID, S, copy_sample, make_draft, read_json, write_folder

NOW_US = 1_764_000_000_000_000
NAME = "Spring 春 🎬"
# Entries as the editor writes them (escaped non-ASCII, its own layout): must survive as bytes.
ALPHA = """{
            "draft_fold_path": "ROOT/alpha",
            "draft_id": "A1B2C3D4-0000-4000-8000-000000000001",
            "draft_name": "\\u6625\\u5929", "tm_duration": 3.0E+6
        }"""
BETA = '{"draft_fold_path":"ROOT/beta","draft_id":"B1B2C3D4-0000-4000-8000-000000000002"}'


def zip_folder(folder: Path, target: Path) -> Path:
    """The folder as download_draft serves it: every entry under `<folder name>/`."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return target


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A drafts root with two drafts of its own and their list."""
    root = tmp_path / "com.lveditor.draft"
    for name in ("alpha", "beta"):
        (root / name).mkdir(parents=True)
        (root / name / "draft_info.json").write_text('{"tracks": []}')
    listing = (
        '{\n    "all_draft_store": [\n        '
        + ALPHA.replace("ROOT", root.as_posix())
        + ",\n        "
        + BETA.replace("ROOT", root.as_posix())
        + '\n    ],\n    "draft_ids": 2,\n    "root_path": "'
        + root.as_posix()
        + '"\n}'
    )
    (root / "root_meta_info.json").write_text(listing, encoding="utf-8")
    return root


@pytest.fixture
def draft_zip(tmp_path: Path) -> Path:
    folder = write_folder(tmp_path / "server" / DRAFT_ID, make_draft(NAME))
    return zip_folder(folder, tmp_path / f"{DRAFT_ID}.zip")


def listing(root: Path) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = json.loads(
        (root / "root_meta_info.json").read_text(encoding="utf-8")
    )["all_draft_store"]
    return entries


def media_paths(doc: dict[str, object]) -> list[str]:
    materials = doc["materials"]
    assert isinstance(materials, dict)
    return [m["path"] for name in ("videos", "audios") for m in materials[name]]


def test_install_lists_the_draft_and_leaves_the_rest_alone(root: Path, draft_zip: Path) -> None:
    before = (root / "root_meta_info.json").read_bytes()
    others = {name: tree_digest(root / name) for name in ("alpha", "beta")}
    result = install(draft_zip, root, PROFILES["all"], now_us=NOW_US)
    folder = root / NAME
    assert (result.folder, result.name, result.draft_id) == (folder, NAME, DRAFT_ID)
    assert result.report.problems == ()

    text = (root / "root_meta_info.json").read_text(encoding="utf-8")
    assert ALPHA.replace("ROOT", root.as_posix()) in text
    assert BETA.replace("ROOT", root.as_posix()) in text
    mine, *rest = listing(root)
    assert [e["draft_id"] for e in rest] == [
        "A1B2C3D4-0000-4000-8000-000000000001",
        "B1B2C3D4-0000-4000-8000-000000000002",
    ]
    assert mine["draft_fold_path"] == folder.as_posix()
    assert mine["draft_json_file"] == f"{folder.as_posix()}/draft_info.json"
    assert (mine["draft_id"], mine["draft_name"], mine["tm_duration"]) == (DRAFT_ID, NAME, 5 * S)
    assert mine["tm_draft_modified"] == NOW_US
    assert result.registration.backup is not None
    assert result.registration.backup.read_bytes() == before
    assert {name: tree_digest(root / name) for name in ("alpha", "beta")} == others
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == []


def test_installed_folder_opens_with_its_media_on_disk(root: Path, draft_zip: Path) -> None:
    folder = install(draft_zip, root, PROFILES["all"], now_us=NOW_US).folder
    content = (folder / "draft_content.json").read_bytes()
    assert content == (folder / "draft_info.json").read_bytes()
    paths = media_paths(json.loads(content))
    assert len(paths) == 4
    for path in paths:
        assert path.startswith(f"{folder.as_posix()}/assets/")
        assert Path(path).is_file()
    meta = read_json(folder / "draft_meta_info.json")
    assert (meta["draft_fold_path"], meta["draft_root_path"]) == (folder.as_posix(), str(root))
    assert (meta["draft_name"], meta["draft_id"]) == (NAME, DRAFT_ID)
    listed = [e["file_Path"] for e in meta["draft_materials"][0]["value"]]
    assert len(listed) == 3
    assert all(Path(p).is_file() for p in listed)
    summary = load_summary(folder)
    assert summary.duration == 5 * S
    assert summary.captions == ["Hello", "你好🎬"]
    assert unresolved_refs(folder) == {}
    assert validate_folder(path_files(folder)).problems == ()


def test_second_install_replaces_folder_and_entry(root: Path, draft_zip: Path) -> None:
    first = install(draft_zip, root, PROFILES["all"], now_us=NOW_US)
    (first.folder / "left-over.txt").write_text("from the first install")
    second: Installed = install(draft_zip, root, PROFILES["all"], now_us=NOW_US + 1)
    assert second.replaced_folder
    assert not (second.folder / "left-over.txt").exists()
    assert [e["draft_id"] for e in listing(root)].count(DRAFT_ID) == 1
    assert len(listing(root)) == 3
    assert json.loads((root / "root_meta_info.json").read_text(encoding="utf-8"))["draft_ids"] == 3
    assert len(list(root.glob("root_meta_info.json.*.bak"))) == 2


def test_renamed_reinstall_moves_the_draft(root: Path, draft_zip: Path) -> None:
    install(draft_zip, root, PROFILES["all"], now_us=NOW_US)
    moved = install(draft_zip, root, PROFILES["jianying-5.9"], name="renamed", now_us=NOW_US)
    assert not (root / NAME).exists()
    entries = [e for e in listing(root) if e["draft_id"] == DRAFT_ID]
    assert [e["draft_fold_path"] for e in entries] == [moved.folder.as_posix()]
    assert entries[0]["draft_json_file"] == f"{moved.folder.as_posix()}/draft_content.json"


def test_capcut_mate_draft_gets_its_paths_and_identity(root: Path, tmp_path: Path) -> None:
    folder = copy_sample(tmp_path / "20261123070437076ab504")
    for tail in (
        "assets/videos/2026112307043793d494b9.mp4",
        "assets/images/20261123070437f38b2f58.png",
        "assets/audios/2026112307043759a219d7.mp3",
    ):
        (folder / tail).parent.mkdir(parents=True, exist_ok=True)
        (folder / tail).write_bytes(b"media")
    archive = zip_folder(folder, tmp_path / "capcut-mate.zip")
    before = (root / "root_meta_info.json").read_bytes()

    with pytest.raises(InstallRefused) as refused:
        install(archive, root, PROFILES["all"])
    assert [p.where for p in refused.value.report.errors] == [
        "materials.texts[0].content.styles[0].range"
    ]
    assert (root / "root_meta_info.json").read_bytes() == before
    assert sorted(p.name for p in root.iterdir()) == ["alpha", "beta", "root_meta_info.json"]

    result = install(archive, root, PROFILES["all"], force=True, now_us=NOW_US)
    installed = root / "20261123070437076ab504"
    assert result.folder == installed
    assert result.draft_id != "9977D3AA-CA25-4c52-B049-0D135322A1B8"
    for path in media_paths(read_json(installed / "draft_info.json")):
        assert path.startswith(f"{installed.as_posix()}/assets/")
        assert Path(path).is_file()
    warnings = [(p.file, p.where) for p in result.report.warnings]
    assert warnings == [
        ("draft_content.json, draft_info.json", "tracks[5].segments[0].extra_material_refs[0]")
    ]


def test_folder_of_another_draft_is_not_taken_over(root: Path, draft_zip: Path) -> None:
    (root / "alpha" / "draft_meta_info.json").write_text('{"draft_id": "someone else"}')
    with pytest.raises(FolderTaken):
        install(draft_zip, root, PROFILES["all"], name="alpha")
    assert (root / "alpha" / "draft_info.json").read_text() == '{"tracks": []}'
