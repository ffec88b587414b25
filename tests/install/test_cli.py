"""`draftsmith install` through the command line entry point."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from draftsmith.cli import main
from validate.drafts import SAMPLE, write_folder


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["install", *args])
    return result.exit_code, result.output


def test_install_a_folder(tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    root.mkdir()
    source = write_folder(tmp_path / "good-draft")
    code, output = run(str(source), "--drafts-root", str(root), "--name", "Mine")
    assert code == 0, output
    assert f"Installed 'Mine' at {root / 'Mine'}" in output
    listed = json.loads((root / "root_meta_info.json").read_text(encoding="utf-8"))
    assert [e["draft_name"] for e in listed["all_draft_store"]] == ["Mine"]
    code, output = run(str(source), "--drafts-root", str(root), "--name", "Mine")
    assert code == 0, output
    assert "Replaced 'Mine'" in output
    assert "Previous list saved as" in output


def test_refused_install_prints_the_problems(tmp_path: Path) -> None:
    root = tmp_path / "drafts"
    root.mkdir()
    code, output = run(str(SAMPLE), "--drafts-root", str(root))
    assert code == 2
    assert "does not exist (dead absolute path)" in output
    assert "it was not installed (use --force to install anyway)" in output
    assert list(root.iterdir()) == []


def test_not_a_draft_reference(tmp_path: Path) -> None:
    code, output = run("no such thing", "--drafts-root", str(tmp_path))
    assert code == 2
    assert "is not a draft folder, zip, draft_url or draft id" in output


def test_bare_draft_id_with_an_unreachable_server(tmp_path: Path) -> None:
    draft_id = "20261124120000" + "0123456789abcdef"
    code, output = run(draft_id, "--drafts-root", str(tmp_path), "--server", "http://127.0.0.1:9")
    assert code == 7
    assert "Cannot reach the server at http://127.0.0.1:9" in output
    assert list(tmp_path.iterdir()) == []
