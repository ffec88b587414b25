"""The client commands through the `draftsmith` entry point, against a real server."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from client.conftest import MediaUrls
from draftsmith.cli import main
from draftsmith.errors import DraftNotFound, InvalidInput, Unavailable
from support.server import ServerProcess, free_port

Run = Callable[..., Result]


@pytest.fixture
def run(shared_server: ServerProcess) -> Run:
    """`draftsmith ARGS...` in-process, pointed at the shared server by DRAFTSMITH_SERVER."""

    def invoke(*args: str, code: int = 0) -> Result:
        result = CliRunner().invoke(
            main, list(args), env={"DRAFTSMITH_SERVER": shared_server.base_url}
        )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        return result

    return invoke


def as_json(result: Result) -> Any:
    return json.loads(result.stdout)


def test_a_draft_built_saved_and_exported_from_the_command_line(
    run: Run, media_urls: MediaUrls, tmp_path: Path
) -> None:
    created = as_json(run("new", "--width", "1280", "--height", "720", "--json"))
    draft = created["draft_url"]
    draft_id = created["draft_id"]

    added = run("add-video", draft, media_urls.video, "--start", "0", "--end", "2s")
    assert "0.000 s-2.000 s" in added.stdout and "not saved yet" in added.stdout
    audio = as_json(
        run("add-audio", draft_id, media_urls.audio, "--end", "1500ms", "--volume", "0.5", "--json")
    )
    assert audio["segments"] == [{"id": audio["segment_ids"][0], "start": 0, "end": 1_500_000}]
    run("add-image", draft, media_urls.image, "--start", "2s", "--end", "3000000")
    run("add-caption", draft, "hello", "--start", "0.5s", "--end", "1s", "--font-size", "24")

    unsaved = run("info", draft)
    assert "status    never saved" in unsaved.stdout
    assert as_json(run("info", draft, "--json"))["unsaved_changes"] is True

    assert run("save", draft).stdout.strip() == "saved version 1 (revision 4)"
    assert run("save", draft).stdout.strip() == "no changes: already saved as version 1"
    info = as_json(run("info", draft_id, "--json"))
    assert (info["unsaved_changes"], info["save_status"]) == (False, "saved as version 1")
    assert len(info["tracks"]) == 4

    run("add-caption", draft, "later", "--start", "3s", "--end", "4s")
    assert "unsaved changes since version 1" in run("info", draft).stdout
    saved = as_json(run("save", draft, "--label", "second", "--json"))
    assert (saved["version"], saved["created"]) == (2, True)
    assert run("restore", draft, "1").stdout.strip() == "restored version 1 as version 3"

    listing = run("versions", draft).stdout.splitlines()
    assert [line.split()[0] for line in listing] == ["v1", "v2", "v3"]
    assert listing[1].endswith("second")
    versions = as_json(run("versions", draft, "--json"))["versions"]
    assert [v["segment_count"] for v in versions] == [4, 5, 4]

    target = tmp_path / "export.zip"
    assert run("export", draft, "-o", str(target), "--version", "2").stdout.strip() == str(target)
    with zipfile.ZipFile(target) as archive:
        assert f"{draft_id}/draft_content.json" in archive.namelist()
    folder = as_json(run("export", draft, "--folder", str(tmp_path / "drafts"), "--json"))
    assert folder["path"] == str(tmp_path / "drafts" / draft_id)
    assert (tmp_path / "drafts" / draft_id / "draft_meta_info.json").is_file()


def test_failures_exit_with_the_code_of_their_error_class(run: Run) -> None:
    unknown = "20240101000000" + "e" * 16
    missing = run("info", unknown, code=DraftNotFound.kind.exit_code)
    assert missing.stderr.strip() == "error: Draft does not exist"
    assert missing.stdout == ""
    error = as_json(run("save", unknown, "--json", code=DraftNotFound.kind.exit_code))["error"]
    assert error == {
        "code": "draft_not_found",
        "detail": "Draft does not exist",
        "status": 404,
        "exit_code": 3,
    }
    bad = run("add-caption", "not/an id", "x", "--end", "1s", code=InvalidInput.kind.exit_code)
    assert "Not a draft_url or draft id" in bad.stderr
    usage = run("add-video", unknown, "http://x/v.mp4", "--end", "soon", code=2)
    assert "is not a time" in usage.stderr
    both = run("export", unknown, "-o", "a.zip", "--folder", "b", code=2)
    assert "not both" in both.stderr


def test_an_unreachable_server_exits_like_unavailable_after_retrying() -> None:
    server = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(
        main, ["save", "20240101000000" + "e" * 16, "--retries", "1", "--server", server]
    )
    assert result.exit_code == Unavailable.kind.exit_code
    lines = result.stderr.splitlines()
    assert lines[0].startswith("save_draft: Cannot reach the server at ")
    assert "retrying in" in lines[0]
    assert lines[-1].startswith("error: Cannot reach the server at ")


def test_the_installed_entry_point_runs_the_client_commands(shared_server: ServerProcess) -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "draftsmith"]
    assert script.value == "draftsmith.cli:main"
    done = subprocess.run(
        [sys.executable, "-m", "draftsmith", "new", "--json", "--server", shared_server.base_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["draft_url"].startswith(shared_server.base_url)
