"""validate_draft on sticker tracks: a good one passes; a sticker without resource id, a
sticker segment pointing outside materials.stickers, and pyJianYingDraft's unlisted speed id
are reported at the right place."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from draftsmith.capcut.problems import Problem, Report, Severity
from draftsmith.capcut.profiles import PROFILES
from draftsmith.capcut.validate import validate_folder
from draftsmith.editor.sources import path_files
from draftsmith.timeline.model import Clip, StickerSegment, Timerange, Track, TrackKind
from validate.drafts import Json, S, edit_timeline, make_draft, write_folder

BOTH = "draft_content.json, draft_info.json"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    draft = make_draft("sticker-draft")
    sticker = StickerSegment(
        id="sticker-segment",
        material_id="sticker-material",
        resource_id="7326810673609018675",
        target=Timerange(1 * S, 2 * S),
        clip=Clip(scale_x=0.5, scale_y=0.5, transform_x=100.0, transform_y=-50.0),
    )
    track = Track(id="sticker-track", kind=TrackKind.STICKER, name="sticker_1", segments=(sticker,))
    return write_folder(tmp_path / "sticker-draft", replace(draft, tracks=(*draft.tracks, track)))


def check(folder: Path) -> Report:
    return validate_folder(path_files(folder), PROFILES["all"])


def only(report: Report, severity: Severity) -> Problem:
    found = [p for p in report.problems if p.severity is severity]
    assert len(found) == 1, report.to_json()
    return found[0]


STICKER_TRACK = len(make_draft().tracks)
"""Index of the sticker track: stacked on top of the good draft's tracks."""


def test_a_draft_with_a_sticker_has_no_problem(folder: Path) -> None:
    assert check(folder).problems == ()


def test_sticker_without_resource_id(folder: Path) -> None:
    edit_timeline(folder, lambda doc: doc["materials"]["stickers"][0].pop("resource_id"))
    problem = only(check(folder), Severity.ERROR)
    assert (problem.file, problem.where) == (BOTH, "materials.stickers[0].resource_id")
    assert "fetches a sticker by its resource id" in problem.problem


def test_sticker_segment_playing_another_list(folder: Path) -> None:
    def move(doc: Json) -> None:
        doc["materials"]["videos"].append(doc["materials"]["stickers"].pop())

    edit_timeline(folder, move)
    problem = only(check(folder), Severity.ERROR)
    assert problem.where == f"tracks[{STICKER_TRACK}].segments[0].material_id"
    assert "a sticker track plays materials.stickers" in problem.problem


def test_pyjianyingdraft_unlisted_speed_id_is_only_a_warning(folder: Path) -> None:
    def add_ref(doc: Json) -> None:
        doc["tracks"][STICKER_TRACK]["segments"][0]["extra_material_refs"] = ["speed-0001"]

    edit_timeline(folder, add_ref)
    report = check(folder)
    problem = only(report, Severity.WARNING)
    assert [p for p in report.problems if p.severity is Severity.ERROR] == []
    assert problem.where == f"tracks[{STICKER_TRACK}].segments[0].extra_material_refs[0]"
    assert "tolerates this on sticker segments" in problem.fix
