"""Throwaway PostgreSQL databases for tests and benchmarks, on the real server.

The server is the one at DRAFTSMITH_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432, trust
auth). Tests that need it are never skipped: when it cannot be reached, they fail.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

POSTGRES_ADMIN_URL = os.environ.get(
    "DRAFTSMITH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _admin(statement: sql.Composed) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=10) as admin:
        admin.execute(statement)


@contextmanager
def throwaway_database(prefix: str = "draftsmith_test") -> Iterator[str]:
    """URL of a new, empty database, dropped (connections and all) when the block ends."""
    name = f"{prefix}_{secrets.token_hex(8)}"
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlsplit(POSTGRES_ADMIN_URL)._replace(path=f"/{name}").geturl()
    finally:
        _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
