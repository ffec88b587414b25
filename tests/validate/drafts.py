"""Draft folders for the validator and installer tests: one good folder, built in code with
the real encoder, and small helpers to break it in one place at a time."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from draftsmith.timeline.model import Canvas, Clip, Draft, Timerange
from support import drafts
from support.drafts import CREATED_AT_US, Ids, S, layered_tracks

__all__ = ["S"]

DRAFT_ID = "20261124120000" + "0123456789abcdef"
SAMPLE = Path(__file__).parents[1] / "fixtures" / "capcut-mate-sample"
IDS = Ids()

Json = dict[str, Any]


def make_draft(name: str = "good-draft", draft_id: str = DRAFT_ID) -> Draft:
    """Two video segments (one at 2x speed), a photo, an audio clip and two captions."""
    captions = (
        IDS.text("c1", "Hello", Timerange(0, 1 * S)),
        IDS.text("c2", "你好🎬", Timerange(1 * S, 2 * S), clip=Clip(alpha=0.8)),
    )
    return Draft(
        id=draft_id,
        name=name,
        canvas=Canvas(1920, 1080, 30),
        created_at_us=CREATED_AT_US,
        tracks=layered_tracks(IDS, captions),
    )


def write_folder(folder: Path, draft: Draft | None = None) -> Path:
    """Encode `draft` (default: `make_draft()`) into `folder`, media included."""
    return drafts.write_folder(folder, draft or make_draft(folder.name))


def read_json(path: Path) -> Json:
    loaded: Json = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def edit_timeline(
    folder: Path, change: Callable[[Json], None], *, files: tuple[str, ...] = ()
) -> None:
    """Apply `change` to the timeline and write it to `files` (default: both root files)."""
    doc = read_json(folder / "draft_info.json")
    change(doc)
    for name in files or ("draft_content.json", "draft_info.json"):
        write_json(folder / name, doc)


def edit_meta(folder: Path, change: Callable[[Json], None]) -> None:
    meta = read_json(folder / "draft_meta_info.json")
    change(meta)
    write_json(folder / "draft_meta_info.json", meta)


def copy_sample(target: Path) -> Path:
    """The capcut-mate sample folder (JSON files only, as captured) at `target`."""
    target.mkdir(parents=True)
    for path in SAMPLE.glob("*.json"):
        (target / path.name).write_bytes(path.read_bytes())
    return target
