"""The capcut-mate sample folder: exactly its known defects, nothing else as an error.

Known (FORMAT.md): a UTF-16 byte text range ([0, 34] for 17 characters), dead absolute server
media paths, a stale draft_meta_info.json from a template, and a speed id on the caption that
no material holds (which the editor tolerates).
"""

from __future__ import annotations

from pathlib import Path

from draftsmith.capcut.profiles import PROFILES
from draftsmith.capcut.validate import validate_folder
from draftsmith.editor.sources import path_files
from validate.drafts import SAMPLE, copy_sample

BOTH = "draft_content.json, draft_info.json"
SERVER_DRAFT = "/srv/capcut-mate/output/draft/20261123070437076ab504"


def test_errors_are_exactly_the_byte_range_and_the_dead_media() -> None:
    report = validate_folder(path_files(SAMPLE))
    assert not report.valid
    assert [(p.file, p.where, p.problem) for p in report.errors] == [
        (
            BOTH,
            "materials.texts[0].content.styles[0].range",
            "[0, 34] counts UTF-16LE bytes; the text is 17 UTF-16 code units "
            "(ranges count code units: one style over several ranges breaks)",
        ),
        (
            BOTH,
            "materials.videos[0].path",
            f"media file {SERVER_DRAFT}/assets/videos/2026112307043793d494b9.mp4 does not "
            "exist (dead absolute path)",
        ),
        (
            BOTH,
            "materials.videos[1].path",
            f"media file {SERVER_DRAFT}/assets/images/20261123070437f38b2f58.png does not "
            "exist (dead absolute path)",
        ),
        (
            BOTH,
            "materials.audios[0].path",
            f"media file {SERVER_DRAFT}/assets/audios/2026112307043759a219d7.mp3 does not "
            "exist (dead absolute path)",
        ),
    ]


def test_warnings_are_the_stale_meta_and_the_tolerated_caption_ref() -> None:
    report = validate_folder(path_files(SAMPLE))
    assert [(p.file, p.where) for p in report.warnings] == [
        (BOTH, "tracks[5].segments[0].extra_material_refs[0]"),
        ("draft_meta_info.json", "draft_id"),
        ("draft_meta_info.json", "draft_name"),
        ("draft_meta_info.json", "draft_fold_path"),
        ("draft_meta_info.json", "draft_root_path"),
        ("draft_meta_info.json", "tm_duration"),
        ("draft_meta_info.json", "draft_materials[0].value"),
    ]


def test_same_errors_for_every_profile() -> None:
    expected = [(p.file, p.where) for p in validate_folder(path_files(SAMPLE)).errors]
    for profile in PROFILES.values():
        report = validate_folder(path_files(SAMPLE), profile)
        files = {"all": BOTH, "jianying-5.9": "draft_content.json"}.get(
            profile.name, "draft_info.json"
        )
        assert [(p.file, p.where) for p in report.errors] == [
            (files, where) for _, where in expected
        ], profile.name


def test_with_its_media_in_the_folder_only_the_paths_are_wrong(tmp_path: Path) -> None:
    folder = copy_sample(tmp_path / "20261123070437076ab504")
    for tail in (
        "assets/videos/2026112307043793d494b9.mp4",
        "assets/images/20261123070437f38b2f58.png",
        "assets/audios/2026112307043759a219d7.mp3",
    ):
        (folder / tail).parent.mkdir(parents=True, exist_ok=True)
        (folder / tail).write_bytes(b"media")
    dead = [p for p in validate_folder(path_files(folder)).errors if p.where.endswith(".path")]
    assert len(dead) == 3
    assert all("the folder holds it at assets/" in p.fix for p in dead)
