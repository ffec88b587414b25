"""root_meta_info.json edits: our entry in, every other byte as it was."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from draftsmith.editor.registry import DraftListUnreadable, register, spliced

NOW = datetime(2026, 11, 24, 12, 0, 0, 123456, tzinfo=UTC)
ROOT = "C:/Users/me/AppData/Local/JianyingPro/User Data/Projects/com.lveditor.draft"


def entry(draft_id: str, folder: str) -> dict[str, object]:
    return {"draft_id": draft_id, "draft_fold_path": f"{ROOT}/{folder}", "draft_name": folder}


# As the editor might have written it: indented, escaped non-ASCII, odd float formatting.
FIRST = """{
            "draft_fold_path": "C:\\\\Users\\\\me\\\\Drafts\\\\\\u6625",
            "draft_id": "AAAA", "draft_name": "\\u6625", "tm_duration": 1.50E+6
        }"""
SECOND = '{"draft_fold_path": "C:/Users/me/Drafts/other", "draft_id": "BBBB", "x": [1, 2]}'
EDITOR_TEXT = f"""{{
    "all_draft_store": [
        {FIRST},
        {SECOND}
    ],
    "draft_ids": 7,
    "root_path": "C:/Users/me/Drafts"
}}"""


def test_new_entry_goes_first_and_others_keep_their_bytes() -> None:
    text, replaced = spliced(EDITOR_TEXT, entry("NEW", "mine"), ROOT)
    assert replaced == []
    assert f"{FIRST},\n        {SECOND}\n    ]," in text
    parsed = json.loads(text)
    assert [e["draft_id"] for e in parsed["all_draft_store"]] == ["NEW", "AAAA", "BBBB"]
    assert parsed["draft_ids"] == 3
    assert parsed["root_path"] == "C:/Users/me/Drafts"
    assert text.endswith('"root_path": "C:/Users/me/Drafts"\n}')


def test_same_draft_is_replaced_in_place() -> None:
    once, _ = spliced(EDITOR_TEXT, entry("BBBB", "renamed"), ROOT)
    twice, replaced = spliced(once, entry("BBBB", "renamed-again"), ROOT)
    parsed = json.loads(twice)
    assert [e["draft_id"] for e in parsed["all_draft_store"]] == ["AAAA", "BBBB"]
    assert parsed["all_draft_store"][1]["draft_name"] == "renamed-again"
    assert replaced == [entry("BBBB", "renamed")]


def test_same_folder_is_the_same_draft() -> None:
    folder_entry = {"draft_id": "CCCC", "draft_fold_path": "c:\\users\\me\\drafts\\other"}
    text, replaced = spliced(EDITOR_TEXT, folder_entry, ROOT)
    assert [e["draft_id"] for e in json.loads(text)["all_draft_store"]] == ["AAAA", "CCCC"]
    assert replaced[0]["draft_id"] == "BBBB"


def test_missing_keys_are_added() -> None:
    text, _ = spliced("{}", entry("NEW", "mine"), ROOT)
    assert json.loads(text) == {
        "all_draft_store": [entry("NEW", "mine")],
        "draft_ids": 1,
        "root_path": ROOT,
    }
    text, _ = spliced('{"all_draft_store": [], "x": 1}', entry("NEW", "mine"), ROOT)
    assert json.loads(text)["x"] == 1
    assert json.loads(text)["draft_ids"] == 1


def test_register_backs_up_and_replaces_the_file(tmp_path: Path) -> None:
    index = tmp_path / "root_meta_info.json"
    index.write_text(EDITOR_TEXT, encoding="utf-8")
    result = register(tmp_path, entry("NEW", "mine"), now=NOW)
    assert result.backup == tmp_path / "root_meta_info.json.20261124T120000123456Z.bak"
    assert result.backup.read_text(encoding="utf-8") == EDITOR_TEXT
    assert json.loads(index.read_text(encoding="utf-8"))["draft_ids"] == 3
    again = register(tmp_path, entry("NEW", "mine"), now=NOW)
    assert again.backup is not None and again.backup.name.endswith("Z-1.bak")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_register_creates_a_missing_list(tmp_path: Path) -> None:
    result = register(tmp_path, entry("NEW", "mine"), now=NOW)
    assert result.backup is None
    listing = json.loads((tmp_path / "root_meta_info.json").read_text(encoding="utf-8"))
    assert listing["all_draft_store"] == [entry("NEW", "mine")]


@pytest.mark.parametrize("content", ['{"all_draft_store": [', '{"all_draft_store": 3}', "[]"])
def test_unreadable_list_is_left_alone(tmp_path: Path, content: str) -> None:
    index = tmp_path / "root_meta_info.json"
    index.write_text(content, encoding="utf-8")
    with pytest.raises(DraftListUnreadable):
        register(tmp_path, entry("NEW", "mine"), now=NOW)
    assert index.read_text(encoding="utf-8") == content
    assert [p.name for p in tmp_path.iterdir()] == ["root_meta_info.json"]
