"""Which files each profile needs, encrypted files, Timelines/ copies, template-2.tmp, meta."""

from __future__ import annotations

import base64
import json
import shutil
from pathlib import Path

import pytest

from draftsmith.capcut.problems import Report, Severity
from draftsmith.capcut.profiles import PROFILES
from draftsmith.capcut.validate import validate_folder
from draftsmith.editor.sources import path_files
from validate.drafts import Json, S, edit_meta, edit_timeline, read_json, write_folder

MAIN_TIMELINE = "0D9F7C3A-1B2C-4D5E-8F90-123456789ABC"
NESTED = f"Timelines/{MAIN_TIMELINE}/draft_info.json"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "good-draft")


def check(folder: Path, profile: str = "all") -> Report:
    return validate_folder(path_files(folder), PROFILES[profile])


def places(report: Report) -> set[tuple[str, str, str]]:
    return {(str(p.severity), p.file, p.where) for p in report.problems}


def test_each_profile_needs_its_timeline_file(folder: Path) -> None:
    (folder / "draft_info.json").unlink()
    for profile in ("all", "jianying-6", "jianying-timelines", "capcut"):
        report = check(folder, profile)
        assert places(report) == {("error", "draft_info.json", "")}, profile
        assert report.errors[0].fix == "copy draft_content.json to draft_info.json (same format)"
    assert check(folder, "jianying-5.9").problems == ()


def test_jianying_59_needs_draft_content(folder: Path) -> None:
    (folder / "draft_content.json").unlink()
    assert places(check(folder, "jianying-5.9")) == {("error", "draft_content.json", "")}
    assert check(folder, "jianying-6").problems == ()


def test_differing_timeline_files(folder: Path) -> None:
    edit_timeline(folder, lambda doc: doc.update(name="changed"), files=("draft_info.json",))
    both = "draft_content.json, draft_info.json"
    assert places(check(folder)) == {("error", both, "")}
    assert places(check(folder, "jianying-6")) == {("warning", both, "")}


def test_encrypted_timeline(folder: Path) -> None:
    blob = base64.b64encode(b"\x8a\x01" * 400).decode()
    (folder / "draft_content.json").write_text(blob)
    report = check(folder)
    assert places(report) == {("error", "draft_content.json", "")}
    assert "encrypted" in report.errors[0].problem
    # Jianying 6 does not read draft_content.json: worth knowing, not blocking.
    assert places(check(folder, "jianying-6")) == {("warning", "draft_content.json", "")}


def test_broken_json_says_where(folder: Path) -> None:
    (folder / "draft_info.json").write_text('{"tracks": [}')
    problem = check(folder).errors[0]
    assert problem.problem.startswith("is not valid JSON (Expecting value: line 1 column 13")


def _nest(folder: Path, doc: Json) -> None:
    project = {"id": "P", "main_timeline_id": MAIN_TIMELINE, "timelines": [{"id": MAIN_TIMELINE}]}
    (folder / "Timelines" / MAIN_TIMELINE).mkdir(parents=True)
    (folder / "Timelines" / "project.json").write_text(json.dumps(project))
    (folder / NESTED).write_text(json.dumps(doc))


def test_timelines_copy_identical_to_the_root_is_fine(folder: Path) -> None:
    _nest(folder, read_json(folder / "draft_info.json"))
    for name in PROFILES:
        assert check(folder, name).problems == (), name


def test_timelines_copy_that_differs(folder: Path) -> None:
    stale = read_json(folder / "draft_info.json")
    stale["duration"] = 9 * S
    _nest(folder, stale)
    assert ("error", NESTED, "") in places(check(folder, "jianying-timelines"))
    # Editors following Timelines/ read the stale copy: its own defects are reported too.
    assert ("warning", NESTED, "duration") in places(check(folder, "capcut"))
    assert places(check(folder, "jianying-6")) == {("warning", NESTED, "")}


def test_timelines_project_naming_a_missing_timeline(folder: Path) -> None:
    _nest(folder, read_json(folder / "draft_info.json"))
    shutil.rmtree(folder / "Timelines" / MAIN_TIMELINE)
    where = ("error", "Timelines/project.json", "main_timeline_id")
    assert places(check(folder, "jianying-timelines")) == {where}
    assert places(check(folder, "jianying-6")) == {("warning", *where[1:])}


def test_stale_template_tmp(folder: Path) -> None:
    doc = read_json(folder / "draft_info.json")
    doc["tracks"] = []
    (folder / "template-2.tmp").write_text(json.dumps(doc))
    assert places(check(folder, "capcut")) == {("error", "template-2.tmp", "")}
    assert places(check(folder, "jianying-6")) == {("warning", "template-2.tmp", "")}


def test_missing_meta(folder: Path) -> None:
    (folder / "draft_meta_info.json").unlink()
    assert places(check(folder)) == {("error", "draft_meta_info.json", "")}


def test_stale_meta(folder: Path) -> None:
    def make_stale(meta: Json) -> None:
        meta.update(
            draft_id="9977D3AA-CA25-4c52-B049-0D135322A1B8",
            draft_name="someone-else",
            draft_fold_path="C:/Users/1/JianyingPro/com.lveditor.draft/someone-else",
            tm_duration=0,
        )
        meta["draft_materials"][0]["value"].pop()

    edit_meta(folder, make_stale)
    report = check(folder)
    assert report.valid
    assert {p.where for p in report.problems} == {
        "draft_id",
        "draft_name",
        "draft_fold_path",
        "tm_duration",
        "draft_materials[0].value",
    }
    assert all(
        p.severity is Severity.WARNING and p.file == "draft_meta_info.json" for p in report.problems
    )
    unlisted = next(p for p in report.problems if p.where == "draft_materials[0].value")
    assert "does not list 1 media file(s)" in unlisted.problem
