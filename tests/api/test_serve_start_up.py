"""`draftsmith serve` with a store it cannot open: one `error:` line and a non-zero exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from draftsmith.errors import InvalidSettings, Unavailable
from support.server import free_port, server_env


def serve(data_dir: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "draftsmith", "serve", "--port", str(free_port())]
    return subprocess.run(
        [*command, "--data-dir", str(data_dir)],
        env=server_env({"DRAFTSMITH_DATABASE_URL": database_url}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def only_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line the failed start printed; fails on a traceback or log lines around it."""
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_a_postgres_port_nothing_listens_on(tmp_path: Path) -> None:
    port = free_port()
    result = serve(tmp_path / "data", f"postgresql://draftsmith:hunter2@127.0.0.1:{port}/drafts")

    assert result.returncode == Unavailable.kind.exit_code, result.stderr
    line = only_line(result)
    assert "cannot open database" in line
    assert f'"127.0.0.1", port {port} failed: Connection refused' in line
    assert "hunter2" not in line


def test_a_sqlite_file_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the database's directory should be")
    result = serve(tmp_path / "data", f"sqlite:///{blocker}/drafts.sqlite3")

    assert result.returncode == Unavailable.kind.exit_code, result.stderr
    line = only_line(result)
    assert "cannot open database" in line
    assert str(blocker) in line


@pytest.mark.parametrize("url", ["mysql://draftsmith:hunter2@db/drafts", "drafts.sqlite3"])
def test_a_database_url_of_no_supported_kind(tmp_path: Path, url: str) -> None:
    result = serve(tmp_path / "data", url)

    assert result.returncode == InvalidSettings.kind.exit_code, result.stderr
    line = only_line(result)
    assert "DRAFTSMITH_DATABASE_URL" in line
    assert "postgresql://" in line
    assert "hunter2" not in line
