"""Any JSON at all gives a report, never an exception: the validator reads foreign drafts."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from draftsmith.capcut.profiles import PROFILES
from draftsmith.capcut.validate import DraftFiles, validate_folder
from validate.drafts import write_folder

JUNK: list[Any] = [None, "x", []]
CHECKED = ("tracks", "materials", "duration", "draft_id", "draft_name", "draft_materials")
"""Top-level keys the checks read; the rest of the template is never looked at."""
LISTS_READ = ("videos", "audios", "texts", "speeds")


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if prefix[:1] and prefix[0] not in CHECKED:
        return
    if prefix[:1] == ("materials",) and len(prefix) > 1 and prefix[1] not in LISTS_READ:
        return
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def replaced(doc: Any, path: tuple[Any, ...], junk: Any) -> Any:
    if not path:
        return junk
    doc = copy.deepcopy(doc)
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = junk
    return doc


def test_every_node_replaced_by_junk(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "good-draft")
    files = {p.name: p.read_bytes() for p in folder.glob("*.json")}
    timeline = json.loads(files["draft_info.json"])
    meta = json.loads(files["draft_meta_info.json"])

    def exists(path: str) -> bool:
        return (folder / path).is_file()

    checked = 0
    for name, doc in (("draft_info.json", timeline), ("draft_meta_info.json", meta)):
        for path in paths(doc):
            for junk in JUNK:
                broken = dict(files, **{name: json.dumps(replaced(doc, path, junk)).encode()})
                report = validate_folder(DraftFiles(broken, exists), PROFILES["capcut"])
                assert isinstance(report.valid, bool)
                checked += 1
    assert checked > 500


def test_garbage_files() -> None:
    for data in (b"", b"\xff\xfe\x00", b"[]", b"null", b'"text"', b"{" * 50):
        files = {name: data for name in ("draft_info.json", "draft_content.json")}
        files["draft_meta_info.json"] = data
        files["Timelines/project.json"] = data
        report = validate_folder(DraftFiles(files, lambda path: False))
        assert not report.valid
