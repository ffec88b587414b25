"""`draftsmith validate` through the real command line entry point."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from click.testing import CliRunner

from draftsmith.cli import main
from validate.drafts import SAMPLE, edit_timeline, write_folder


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    return result.exit_code, result.output


def zip_folder(folder: Path, target: Path) -> Path:
    """The folder as download_draft zips it: every entry under `<folder name>/`."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return target


def test_good_folder_exits_0(tmp_path: Path) -> None:
    code, output = run(str(write_folder(tmp_path / "good-draft")))
    assert code == 0, output
    assert output.strip() == "valid for profile all: 0 error(s), 0 warning(s)"


def test_sample_prints_problems_and_exits_1() -> None:
    code, output = run(str(SAMPLE), "--profile", "jianying-6")
    assert code == 1
    assert "error   draft_info.json: materials.texts[0].content.styles[0].range" in output
    assert "fix: use code units: [0, 17]" in output
    assert output.strip().endswith("INVALID for profile jianying-6: 4 error(s), 7 warning(s)")


def test_json_report(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "good-draft")
    edit_timeline(folder, lambda doc: doc.update(duration=1))
    code, output = run(str(folder), "--json")
    assert code == 1
    report = json.loads(output)
    assert report["valid"] is False
    assert report["problems"][0] == {
        "severity": "error",
        "file": "draft_content.json, draft_info.json",
        "where": "duration",
        "problem": "is 1 µs, shorter than the last segment end 5000000 µs",
        "fix": "set duration to 5000000",
    }


def test_zip_of_a_folder(tmp_path: Path) -> None:
    archive = zip_folder(write_folder(tmp_path / "good-draft"), tmp_path / "draft.zip")
    code, output = run(str(archive), "--json")
    assert code == 0, output
    assert json.loads(output)["problems"] == []


def test_zip_knows_media_it_does_not_hold(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "good-draft")
    (folder / "assets" / "images" / f"{'b' * 64}.png").unlink()
    code, output = run(str(zip_folder(folder, tmp_path / "draft.zip")), "--json")
    assert code == 1
    problems = json.loads(output)["problems"]
    assert [(p["severity"], p["where"]) for p in problems] == [
        ("error", "materials.videos[2].path"),
        ("warning", "draft_materials[0].value"),
    ]


def test_not_a_draft(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    code, output = run(str(tmp_path / "notes.txt"))
    assert code == 2
    assert "is neither a draft folder nor a zip" in output


def test_unknown_profile(tmp_path: Path) -> None:
    code, output = run(str(tmp_path), "--profile", "premiere")
    assert code == 2
    assert "'premiere' is not one of" in output
