"""One folder per editor profile: its files and platform fields, golden bytes, what
pyJianYingDraft loads from every timeline copy, and the validator's verdict for the profile.

Set DRAFTSMITH_REGENERATE_GOLDEN=1 to rewrite tests/capcut/golden/ from the encoder, then
review the diff: the golden files are what each editor is handed.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from draft_oracle import load_summary, unresolved_refs
from draftsmith.capcut.ids import draft_uuid
from draftsmith.capcut.problems import Severity
from draftsmith.capcut.profiles import PROFILES, Profile
from draftsmith.capcut.validate import validate_folder
from draftsmith.editor.sources import folder_files
from draftsmith.store.codec import draft_from_json
from support.drafts import snapshot_json

from .profile_draft import (
    CAPTIONS,
    CREATED_AT_US,
    DRAFT_ID,
    NAME,
    SAVED_AT_US,
    S,
    encode,
    make_draft,
    write_folder,
)

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("DRAFTSMITH_REGENERATE_GOLDEN") == "1"
TIMELINE_ID = draft_uuid(DRAFT_ID)
NESTED = f"Timelines/{TIMELINE_ID}/draft_info.json"
CONTENT, INFO, META, PROJECT = (
    "draft_content.json",
    "draft_info.json",
    "draft_meta_info.json",
    "Timelines/project.json",
)

FILES = {
    "all": {CONTENT, INFO, META},
    "jianying-5.9": {CONTENT, META},
    "jianying-6": {INFO, META},
    "jianying-timelines": {INFO, META, PROJECT, NESTED},
    "capcut": {INFO, META, PROJECT, NESTED},
}
PLATFORMS = {
    "all": (3704, "lv", "5.9.0", "windows"),
    "jianying-5.9": (3704, "lv", "5.9.0", "windows"),
    "jianying-6": (3704, "lv", "6.0.0", "windows"),
    "jianying-timelines": (3704, "lv", "10.6.0", "windows"),
    "capcut": (359289, "cc", "8.5.0", "mac"),
}
each_profile = pytest.mark.parametrize("profile", PROFILES.values(), ids=list(PROFILES))

Json = dict[str, Any]


def timeline_copies(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if path in (CONTENT, INFO, NESTED)}


def timeline(files: dict[str, bytes]) -> Json:
    loaded: Json = json.loads(next(iter(timeline_copies(files).values())))
    return loaded


def test_every_profile_is_covered() -> None:
    assert set(FILES) == set(PLATFORMS) == set(PROFILES)


@each_profile
def test_folder_matches_the_golden_files(profile: Profile) -> None:
    files = encode(profile)
    golden = GOLDEN / profile.name
    if REGENERATE:
        shutil.rmtree(golden, ignore_errors=True)
        for path, data in files.items():
            (golden / path).parent.mkdir(parents=True, exist_ok=True)
            (golden / path).write_bytes(data)
    on_disk = {p.relative_to(golden).as_posix() for p in golden.rglob("*") if p.is_file()}
    assert on_disk == set(files), "set DRAFTSMITH_REGENERATE_GOLDEN=1 and review the diff"
    for path, data in files.items():
        assert (golden / path).read_bytes() == data, path


@each_profile
def test_same_draft_time_and_profile_give_the_same_bytes(profile: Profile) -> None:
    # Exports re-encode a version from its stored snapshot: the round trip must not show.
    restored = draft_from_json(snapshot_json(make_draft()))
    assert encode(profile) == encode(profile) == encode(profile, restored)


@each_profile
def test_each_profile_writes_the_files_its_editors_read(profile: Profile) -> None:
    files = encode(profile)

    assert set(files) == FILES[profile.name]
    assert set(profile.reads) <= set(files)
    copies = timeline_copies(files)
    assert len(set(copies.values())) == 1, "every timeline copy is the same bytes"
    assert NAME.encode() in copies[profile.reads[0]]  # plain UTF-8 JSON, not \u escapes


@each_profile
def test_platform_fields_name_the_profiles_app(profile: Profile) -> None:
    content = timeline(encode(profile))
    app_id, source, version, system = PLATFORMS[profile.name]

    expected = {"app_id": app_id, "app_source": source, "app_version": version, "os": system}
    assert content["platform"] == content["last_modified_platform"] == expected
    assert (content["version"], content["new_version"]) == (360000, "110.0.0")


def test_profiles_differ_only_in_platform() -> None:
    def without_platform(profile: Profile) -> Json:
        content = timeline(encode(profile))
        del content["platform"], content["last_modified_platform"]
        return content

    reference = without_platform(PROFILES["all"])
    for profile in PROFILES.values():
        assert without_platform(profile) == reference, profile.name
        assert encode(profile)[META] == encode(PROFILES["all"])[META], profile.name


@each_profile
def test_pyjianyingdraft_loads_every_timeline_copy(profile: Profile, tmp_path: Path) -> None:
    for index, (path, data) in enumerate(timeline_copies(encode(profile)).items()):
        # pyJianYingDraft opens draft_content.json only; hand it each copy under that name.
        folder = tmp_path / str(index) / NAME
        folder.mkdir(parents=True)
        (folder / CONTENT).write_bytes(data)

        summary = load_summary(folder)

        assert summary.tracks == [
            ("video", [(0, 3 * S, 1 * S, 3 * S), (3 * S, 1 * S, 0, 2 * S)]),
            ("video", [(3 * S, 2 * S, 0, 2 * S)]),
            ("audio", [(0, 4 * S, 0, 4 * S)]),
            ("text", [(0, 1 * S, None, None), (1 * S, 2 * S, None, None)]),
        ], path
        assert summary.material_counts == {"videos": 3, "audios": 1, "texts": 2, "speeds": 4}
        assert summary.captions == CAPTIONS
        assert (summary.width, summary.height, summary.fps) == (1920, 1080, 30.0)
        ends = [start + length for _, segments in summary.tracks for start, length, *_ in segments]
        assert summary.duration == max(ends) == 5 * S
        assert unresolved_refs(folder) == {}, path


@each_profile
def test_validator_finds_no_errors_for_the_profile(profile: Profile, tmp_path: Path) -> None:
    report = validate_folder(folder_files(write_folder(tmp_path, profile)), profile)

    assert [p for p in report.problems if p.severity is Severity.ERROR] == []
    assert report.problems == (), "not even a warning: the folder is ours and complete"


@each_profile
def test_the_default_folder_suits_every_profile(profile: Profile, tmp_path: Path) -> None:
    report = validate_folder(folder_files(write_folder(tmp_path, PROFILES["all"])), profile)

    assert report.problems == ()


@pytest.mark.parametrize("name", ["jianying-timelines", "capcut"])
def test_timelines_project_names_the_nested_copy(name: str) -> None:
    files = encode(PROFILES[name])
    project = json.loads(files[PROJECT])

    assert project["main_timeline_id"] == TIMELINE_ID == timeline(files)["id"]
    assert [t["id"] for t in project["timelines"]] == [TIMELINE_ID]
    assert project["timelines"][0]["is_marked_delete"] is False
    assert (project["create_time"], project["update_time"]) == (CREATED_AT_US, SAVED_AT_US)
    assert project["id"] != TIMELINE_ID
    assert files[NESTED] == files[INFO]
    assert list(project) == sorted(project)


@each_profile
def test_meta_info_describes_this_draft(profile: Profile) -> None:
    files = encode(profile)
    meta = json.loads(files[META])
    content = timeline(files)

    assert (meta["draft_id"], meta["draft_name"], meta["tm_duration"]) == (DRAFT_ID, NAME, 5 * S)
    imported = next(g["value"] for g in meta["draft_materials"] if g["type"] == 0)
    paths = {m["path"] for group in ("videos", "audios") for m in content["materials"][group]}
    assert {entry["file_Path"] for entry in imported} == paths
    assert len(imported) == 3


@each_profile
def test_timeline_duration_refs_and_speeds(profile: Profile) -> None:
    content = timeline(encode(profile))
    segments = [(t["type"], s) for t in content["tracks"] for s in t["segments"]]
    speeds = {m["id"]: m for m in content["materials"]["speeds"]}
    known = {m["id"] for items in content["materials"].values() for m in items if "id" in m}

    assert content["duration"] == max(
        s["target_timerange"]["start"] + s["target_timerange"]["duration"] for _, s in segments
    )
    media = [s for kind, s in segments if kind in ("video", "audio")]
    assert sorted(r for s in media for r in s["extra_material_refs"]) == sorted(speeds)
    for _, segment in segments:
        assert {segment["material_id"], *segment["extra_material_refs"]} <= known


def test_text_materials_carry_the_full_field_set() -> None:
    texts = timeline(encode(PROFILES["all"]))["materials"]["texts"]

    for material in texts:
        assert len(material) == 86
        assert list(material) == sorted(material)
        assert material["words"] == {"end_time": [], "start_time": [], "text": []}
        assert material["type"] == "subtitle"
    plain, styled = texts
    assert (plain["text_color"], plain["has_shadow"], plain["border_color"]) == (
        "#FFFFFF",
        False,
        "",
    )
    content = json.loads(styled["content"])
    (style,) = content["styles"]
    assert content["text"] == CAPTIONS[1]
    assert style["range"] == [0, 16]  # 你, 好, the surrogate pair of 🎬, "\n", "second line"
    assert (styled["font_size"], style["size"]) == (12.0, 12.0)
    assert (styled["text_color"], styled["border_color"]) == ("#FF8000", "#000000")
    assert (styled["has_shadow"], styled["shadow_color"]) == (True, "#102030")
    assert (styled["shadow_distance"], styled["shadow_angle"]) == (8.0, -45.0)
    assert styled["shadow_point"] == {"x": 1.018233764909, "y": -1.018233764909}
    assert (styled["check_flag"], styled["typesetting"], styled["alignment"]) == (47, 1, 0)
    assert styled["global_alpha"] == 0.8


def test_the_docs_table_gives_each_profiles_platform() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "drafts.md").read_text(encoding="utf-8")
    table = doc.split("### Writing a draft for a profile", 1)[1].split("\n\n")[2]
    rows = {line.split("`")[1]: line for line in table.splitlines() if line.startswith("| `")}

    assert set(rows) == set(PROFILES)
    for name, (app_id, source, version, system) in PLATFORMS.items():
        assert f"| {app_id}, `{source}`, `{version}`, `{system}` |" in rows[name], name
