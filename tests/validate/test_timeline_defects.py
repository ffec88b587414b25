"""Each timeline defect, put into a good folder on its own, is found at the right place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from draftsmith.capcut.paths import DRAFT_PATH_PLACEHOLDER
from draftsmith.capcut.problems import Problem, Report, Severity
from draftsmith.capcut.profiles import PROFILES
from draftsmith.capcut.validate import validate_folder
from draftsmith.editor.sources import path_files
from validate.drafts import Json, S, edit_timeline, write_folder

BOTH = "draft_content.json, draft_info.json"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "good-draft")


def check(folder: Path, profile: str = "all") -> Report:
    return validate_folder(path_files(folder), PROFILES[profile])


def only(report: Report, severity: Severity = Severity.ERROR) -> Problem:
    """The single problem of `severity`, failing with the whole report otherwise."""
    found = [p for p in report.problems if p.severity is severity]
    assert len(found) == 1, report.to_json()
    return found[0]


def segment(doc: Json, track: int, index: int) -> Json:
    found: Json = doc["tracks"][track]["segments"][index]
    return found


def test_our_folder_has_no_problem_for_any_profile(folder: Path) -> None:
    for name in PROFILES:
        assert check(folder, name).to_json() == {"valid": True, "profile": name, "problems": []}


def test_overlap_within_a_track(folder: Path) -> None:
    edit_timeline(folder, lambda doc: segment(doc, 0, 1)["target_timerange"].update(start=2 * S))
    problem = only(check(folder))
    assert (problem.file, problem.where) == (BOTH, "tracks[0].segments[1].target_timerange")
    assert "overlaps tracks[0].segments[0] (0-3000000 µs) by 1000000 µs" in problem.problem


def test_source_range_beyond_the_material(folder: Path) -> None:
    edit_timeline(folder, lambda doc: doc["materials"]["videos"][0].update(duration=3 * S))
    problem = only(check(folder))
    assert problem.where == "tracks[0].segments[0].source_timerange"
    assert "ends at 4000000 µs, beyond the material's duration of 3000000 µs" in problem.problem


def test_photo_shorter_than_three_hours(folder: Path) -> None:
    def shorten(doc: Json) -> None:
        photo = next(m for m in doc["materials"]["videos"] if m["type"] == "photo")
        photo["duration"] = 1 * S

    edit_timeline(folder, shorten)
    report = check(folder)
    assert only(report).where == "tracks[1].segments[0].source_timerange"
    assert "10800000000" in only(report).fix
    assert only(report, Severity.WARNING).where.endswith(".duration")


def test_dangling_material_id(folder: Path) -> None:
    edit_timeline(folder, lambda doc: segment(doc, 0, 0).update(material_id="f" * 32))
    problem = only(check(folder))
    assert problem.where == "tracks[0].segments[0].material_id"
    assert "dangling" in problem.problem


def test_material_in_the_wrong_list(folder: Path) -> None:
    def swap(doc: Json) -> None:
        segment(doc, 0, 0)["material_id"] = doc["materials"]["audios"][0]["id"]

    edit_timeline(folder, swap)
    problem = only(check(folder))
    assert "is in materials.audios, but a video track plays materials.videos" in problem.problem


def test_dangling_ref_is_an_error_on_media_and_a_warning_on_text(folder: Path) -> None:
    def dangle(doc: Json) -> None:
        segment(doc, 0, 0)["extra_material_refs"].append("d" * 32)
        segment(doc, 3, 0)["extra_material_refs"].append("e" * 32)

    edit_timeline(folder, dangle)
    report = check(folder)
    assert only(report).where == "tracks[0].segments[0].extra_material_refs[1]"
    assert only(report, Severity.WARNING).where == "tracks[3].segments[0].extra_material_refs[0]"


def test_missing_media_in_the_folder(folder: Path) -> None:
    (folder / "assets" / "audios" / f"{'c' * 64}.mp3").unlink()
    problem = only(check(folder))
    assert problem.where == "materials.audios[0].path"
    assert problem.problem == f"media file assets/audios/{'c' * 64}.mp3 is not in the draft folder"


def test_dead_absolute_path_names_the_copy_the_folder_holds(folder: Path) -> None:
    server_path = f"/srv/elsewhere/draft/123/assets/videos/{'a' * 64}.mp4"
    edit_timeline(folder, lambda doc: doc["materials"]["videos"][0].update(path=server_path))
    problem = only(check(folder))
    assert problem.problem == f"media file {server_path} does not exist (dead absolute path)"
    assert f"write {DRAFT_PATH_PLACEHOLDER}/assets/videos/{'a' * 64}.mp4" in problem.fix


def test_absolute_path_that_exists_is_fine(folder: Path) -> None:
    real = (folder / "assets" / "videos" / f"{'a' * 64}.mp4").resolve().as_posix()
    edit_timeline(folder, lambda doc: doc["materials"]["videos"][0].update(path=real))
    # The meta lists it in the placeholder form: the same file, written the other way.
    assert check(folder).problems == ()


def _set_range(doc: Json, value: list[int], text_index: int = 0) -> None:
    material = doc["materials"]["texts"][text_index]
    content = json.loads(material["content"])
    content["styles"][0]["range"] = value
    material["content"] = json.dumps(content, ensure_ascii=False)


def test_byte_counted_text_range(folder: Path) -> None:
    edit_timeline(folder, lambda doc: _set_range(doc, [0, 10]))
    problem = only(check(folder))
    assert problem.where == "materials.texts[0].content.styles[0].range"
    assert "counts UTF-16LE bytes" in problem.problem
    assert problem.fix == "use code units: [0, 5]"


def test_range_beyond_the_text(folder: Path) -> None:
    edit_timeline(folder, lambda doc: _set_range(doc, [0, 7]))
    problem = only(check(folder))
    assert "ends beyond the text (5 UTF-16 code units)" in problem.problem


def test_code_point_range_misses_the_emoji(folder: Path) -> None:
    # "你好🎬" is 3 code points but 4 UTF-16 code units.
    edit_timeline(folder, lambda doc: _set_range(doc, [0, 3], text_index=1))
    problem = only(check(folder), Severity.WARNING)
    assert problem.where == "materials.texts[1].content.styles[0].range"
    assert problem.fix == "end the range at 4"


def test_duration_shorter_and_longer_than_the_last_segment(folder: Path) -> None:
    edit_timeline(folder, lambda doc: doc.update(duration=4 * S))
    assert only(check(folder)).where == "duration"
    edit_timeline(folder, lambda doc: doc.update(duration=9 * S))
    report = check(folder)
    assert report.valid
    assert [(p.file, p.where, p.fix) for p in report.warnings] == [
        (BOTH, "duration", f"set duration to {5 * S}"),
        # The meta was right, but now disagrees with the (wrong) timeline: also reported.
        ("draft_meta_info.json", "tm_duration", f"set tm_duration to {9 * S}"),
    ]


def test_float_in_a_timerange(folder: Path) -> None:
    edit_timeline(folder, lambda doc: segment(doc, 0, 0)["target_timerange"].update(start=0.0))
    problem = only(check(folder))
    assert problem.where == "tracks[0].segments[0].target_timerange.start"
    assert "float" in problem.problem


def test_text_segment_with_its_speed_ref_resolving_is_fine(folder: Path) -> None:
    def add_speed(doc: Json) -> None:
        speed = {"curve_speed": None, "id": "s" * 32, "mode": 0, "speed": 1.0, "type": "speed"}
        doc["materials"]["speeds"].append(speed)
        segment(doc, 3, 0)["extra_material_refs"].append("s" * 32)

    edit_timeline(folder, add_speed)
    assert check(folder).problems == ()
