"""Schema migrations, `draftsmith migrate`, and which store the settings choose."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from draftsmith.bootstrap import open_store
from draftsmith.chunks import whole
from draftsmith.cli import main
from draftsmith.config import Settings
from draftsmith.errors import Unavailable
from draftsmith.store.codec import files_to_json
from draftsmith.store.migrations import POSTGRES_MIGRATIONS
from draftsmith.store.port import DraftStore, JobStore
from draftsmith.store.postgres import PostgresDraftStore
from draftsmith.store.records import FileEntry, JobStatus, RenderCharge
from draftsmith.store.sqlite import MIGRATIONS, SqliteDraftStore
from support.drafts import snapshot_json

from .builders import new_draft, sample_tracks

UNREACHABLE_URL = "postgresql://postgres@127.0.0.1:1/nothing"
ALL_POSTGRES = list(range(1, len(POSTGRES_MIGRATIONS) + 1))


def applied(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT version FROM schema_migrations WHERE applied_at IS NOT NULL ORDER BY version"
        ).fetchall()
    return [row[0] for row in rows]


def test_opening_a_new_database_migrates_it_once(fresh_schema_url: str) -> None:
    PostgresDraftStore(fresh_schema_url).close()
    PostgresDraftStore(fresh_schema_url).close()

    assert applied(fresh_schema_url) == list(range(1, len(POSTGRES_MIGRATIONS) + 1))


def test_stores_opened_at_the_same_moment_migrate_once(fresh_schema_url: str) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        stores = list(pool.map(lambda _: PostgresDraftStore(fresh_schema_url), range(6)))
    for store in stores:
        store.ping()
        store.close()

    assert applied(fresh_schema_url) == ALL_POSTGRES


def test_migrate_command_run_by_several_processes_at_once(fresh_schema_url: str) -> None:
    command = [sys.executable, "-m", "draftsmith", "migrate", "--database-url", fresh_schema_url]
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    results = [(p.communicate(timeout=60), p.returncode) for p in processes]

    expected = f"schema version {len(POSTGRES_MIGRATIONS)}\n"
    assert [(out, code) for (out, _), code in results] == [(expected, 0)] * 4
    assert applied(fresh_schema_url) == ALL_POSTGRES


@pytest.mark.parametrize("use_url", [False, True], ids=["data dir", "sqlite url"])
def test_migrate_command_migrates_the_sqlite_file(tmp_path: Path, use_url: bool) -> None:
    database = tmp_path / "draftsmith.sqlite3"
    args = ["migrate", "--data-dir", str(tmp_path)]
    if use_url:
        database = tmp_path / "elsewhere" / "drafts.db"
        args += ["--database-url", f"sqlite:///{database}"]

    result = CliRunner().invoke(main, args, env={"DRAFTSMITH_DATABASE_URL": None})

    assert (result.exit_code, result.output) == (0, f"schema version {len(MIGRATIONS)}\n")
    store = SqliteDraftStore(database)
    assert store.list_drafts(limit=1, offset=0, query=None) == []
    store.close()


def test_migrate_command_reports_an_unreachable_database() -> None:
    result = CliRunner().invoke(main, ["migrate", "--database-url", UNREACHABLE_URL])

    assert result.exit_code == Unavailable.kind.exit_code
    assert "Service unavailable" in result.output


def test_an_unreachable_postgres_is_unavailable() -> None:
    with pytest.raises(Unavailable):
        PostgresDraftStore(UNREACHABLE_URL, timeout=1)


@pytest.mark.parametrize("scheme", ["postgresql://", "postgres://"])
def test_a_postgres_url_selects_the_postgres_store(
    postgres_url: str, tmp_path: Path, scheme: str
) -> None:
    url = scheme + postgres_url.split("://", 1)[1]

    store = open_store(Settings(data_dir=tmp_path, database_url=url))

    assert isinstance(store, PostgresDraftStore)
    store.ping()
    store.close()


def test_without_a_database_url_the_sqlite_store_is_used(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path, database_url=None))

    assert isinstance(store, SqliteDraftStore)
    assert store.path == tmp_path / "draftsmith.sqlite3"
    store.close()


def _before(scripts: tuple[str, ...], marker: str) -> tuple[str, ...]:
    """The scripts that came before the first one containing `marker`."""
    index = next(i for i, script in enumerate(scripts) if marker in script)
    return scripts[:index]


Statement = tuple[str, tuple[object, ...]]


def _old_sqlite(path: Path, scripts: tuple[str, ...], rows: list[Statement]) -> None:
    """A SQLite file at the schema `scripts` make, holding what `rows` insert."""
    with closing(sqlite3.connect(path)) as db:
        # The chunks migration keys chunks by SHA-256, which the store gives SQLite as a function.
        db.create_function(
            "sha256",
            1,
            lambda value: hashlib.sha256(
                value.encode() if isinstance(value, str) else value
            ).digest(),
        )
        for script in scripts:
            db.executescript(script)
        db.execute(f"PRAGMA user_version={len(scripts)}")
        for text, params in rows:
            db.execute(text, params)
        db.commit()


def _old_postgres(url: str, scripts: tuple[str, ...], rows: list[Statement]) -> None:
    """A PostgreSQL schema as `scripts` made it, recorded as such, holding what `rows` insert
    (written with `?` placeholders)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
            " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        for number, script in enumerate(scripts, start=1):
            conn.execute(script)
            conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (number,))
        for text, params in rows:
            conn.execute(text.replace("?", "%s"), params)


OLD_DRAFT = (
    "INSERT INTO drafts (id, name, width, height, fps, created_at_us, updated_at_us, revision)"
    " VALUES ('dft_old', 'old', 1920, 1080, 30, 1, 1, 0)"
)


def test_a_sqlite_draft_from_before_profiles_is_for_the_default(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_sqlite(path, _before(MIGRATIONS, "ADD COLUMN profile"), [(OLD_DRAFT, ())])

    store = SqliteDraftStore(path)
    header, draft = store.load("dft_old")
    store.close()

    assert (header.profile, draft.profile) == ("all", "all")


def test_a_postgres_draft_from_before_profiles_is_for_the_default(fresh_schema_url: str) -> None:
    scripts = _before(POSTGRES_MIGRATIONS, "ADD COLUMN profile")
    _old_postgres(fresh_schema_url, scripts, [(OLD_DRAFT, ())])

    store = PostgresDraftStore(fresh_schema_url)
    header, draft = store.load("dft_old")
    store.close()

    assert (header.profile, draft.profile) == ("all", "all")
    assert applied(fresh_schema_url) == ALL_POSTGRES


OLD_CONTENT = '{"tracks": ["字幕"]}'.encode()
OLD_CONTENT_SHA = hashlib.sha256(OLD_CONTENT).hexdigest()


def _old_version_rows() -> list[Statement]:
    """A draft saved once, with its file and snapshot whole, as the schema before chunks had
    them: each statement with its parameters."""
    draft = replace(new_draft("dft_old"), tracks=sample_tracks())
    files = (FileEntry("draft_content.json", OLD_CONTENT_SHA, len(OLD_CONTENT), in_store=True),)
    return [
        (
            "INSERT INTO drafts (id, name, width, height, fps, created_at_us, updated_at_us,"
            " revision, saved_version, saved_revision, track_count, segment_count, duration_us)"
            " VALUES (?, ?, 1080, 1920, 25, 1, 2, 1, 1, 1, 3, ?, ?)",
            (draft.id, draft.name, draft.segment_count, draft.duration),
        ),
        (
            "INSERT INTO versions (draft_id, version, revision, created_at_us, label, files,"
            " snapshot, segment_count, duration_us) VALUES (?, 1, 1, 2, 'old', ?, ?, ?, ?)",
            (
                draft.id,
                files_to_json(files),
                snapshot_json(draft),
                draft.segment_count,
                draft.duration,
            ),
        ),
        (
            "INSERT INTO version_files (draft_id, version, sha256, data) VALUES (?, 1, ?, ?)",
            (draft.id, OLD_CONTENT_SHA, OLD_CONTENT),
        ),
    ]


def _assert_old_version_reads_back(store: DraftStore) -> None:
    draft = replace(new_draft("dft_old"), tracks=sample_tracks())
    version = store.version("dft_old", None)
    assert (version.version, version.label, version.files[0].sha256) == (1, "old", OLD_CONTENT_SHA)
    assert store.version_file("dft_old", 1, OLD_CONTENT_SHA) == OLD_CONTENT
    assert store.version_snapshot("dft_old", 1) == draft


def test_a_sqlite_version_saved_whole_reads_back_after_the_chunks_migration(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    _old_sqlite(path, _before(MIGRATIONS, "CREATE TABLE chunks"), _old_version_rows())

    store = SqliteDraftStore(path)
    _assert_old_version_reads_back(store)
    store.close()

    with closing(sqlite3.connect(path)) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        columns = {row[1] for row in db.execute("PRAGMA table_info(versions)")}
        keys = {row[0] for row in db.execute("SELECT key FROM chunks")}
    assert "version_files" not in tables
    assert "snapshot" not in columns
    # Keyed as a save keys a chunk of one piece, so equal chunks saved later are not stored twice.
    snapshot = snapshot_json(replace(new_draft("dft_old"), tracks=sample_tracks())).encode()
    assert keys == {whole(OLD_CONTENT)[0].key, whole(snapshot)[0].key}


def test_a_postgres_version_saved_whole_reads_back_after_the_chunks_migration(
    fresh_schema_url: str,
) -> None:
    scripts = _before(POSTGRES_MIGRATIONS, "CREATE TABLE chunks")
    _old_postgres(fresh_schema_url, scripts, _old_version_rows())

    store = PostgresDraftStore(fresh_schema_url)
    _assert_old_version_reads_back(store)
    store.close()
    assert applied(fresh_schema_url) == ALL_POSTGRES


OLD_JOB = (
    "INSERT INTO render_jobs (id, draft_id, version, owner, status, progress, attempts,"
    " created_at_us) VALUES ('job_old', 'dft_old', 1, NULL, 'pending', 0, 0, 1)"
)


def _assert_jobs_cancel_and_charge_after_the_budget_migration(store: DraftStore) -> None:
    assert isinstance(store, JobStore)
    cancelled = store.cancel_render_job("dft_old", None, 2)
    assert (cancelled.id, cancelled.status) == ("job_old", JobStatus.CANCELLED)
    charge = RenderCharge(None, 5_000_000, 10_000_000)
    again = store.create_render_job("dft_old", 1, None, 3, charge)
    assert (again.id, again.status) == ("job_old", JobStatus.PENDING)
    assert store.render_time_queued(None, 0) == 5_000_000


def test_a_sqlite_render_job_from_before_budgets_is_cancelled_and_charged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    _old_sqlite(
        path, _before(MIGRATIONS, "CREATE TABLE render_charges"), [(OLD_DRAFT, ()), (OLD_JOB, ())]
    )

    store = SqliteDraftStore(path)
    _assert_jobs_cancel_and_charge_after_the_budget_migration(store)
    store.close()


def test_a_postgres_render_job_from_before_budgets_is_cancelled_and_charged(
    fresh_schema_url: str,
) -> None:
    scripts = _before(POSTGRES_MIGRATIONS, "CREATE TABLE render_charges")
    _old_postgres(fresh_schema_url, scripts, [(OLD_DRAFT, ()), (OLD_JOB, ())])

    store = PostgresDraftStore(fresh_schema_url)
    _assert_jobs_cancel_and_charge_after_the_budget_migration(store)
    store.close()
    assert applied(fresh_schema_url) == ALL_POSTGRES
