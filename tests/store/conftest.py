"""Stores for the contract suite: a fresh SQLite file, or a clean real PostgreSQL database.

PostgreSQL tests are never skipped: they use the server at DRAFTSMITH_TEST_POSTGRES_URL (default
postgres@127.0.0.1:5432), or the one the session starts when none answers there
(tests/support/postgres.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from draftsmith.store.port import DraftStore
from draftsmith.store.postgres import PostgresDraftStore
from draftsmith.store.sqlite import SqliteDraftStore
from support.postgres import throwaway_database

STORE_TABLES = (
    "drafts",
    "tracks",
    "versions",
    "version_parts",
    "chunks",
    "media_sources",
    "api_keys",
    "server_secrets",
    "render_jobs",
    "render_charges",
    "version_exports",
    "rate_buckets",
    "idempotency_keys",
)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a throwaway database made for this session (one per xdist worker), then dropped."""
    with throwaway_database() as url:
        yield url


@pytest.fixture
def fresh_schema_url(postgres_url: str) -> str:
    """The session database seen through a new, empty schema: as if nothing was ever migrated."""
    schema = f"s_{secrets.token_hex(6)}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    return f"{postgres_url}?options=-csearch_path%3D{schema}"


@pytest.fixture
def postgres_store(postgres_url: str) -> Iterator[PostgresDraftStore]:
    """A store on the session database, emptied of what earlier tests left."""
    store = PostgresDraftStore(postgres_url)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(map(sql.Identifier, STORE_TABLES)))
        )
    yield store
    store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DraftStore]:
    """Each adapter in turn, fresh and empty: the contract tests run once per adapter."""
    if request.param == "postgres":
        postgres: DraftStore = request.getfixturevalue("postgres_store")
        yield postgres
        return
    sqlite: DraftStore = SqliteDraftStore(tmp_path / "drafts.sqlite3")
    yield sqlite
    sqlite.close()
