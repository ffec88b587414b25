"""The PostgreSQL store's pool checks a connection on checkout without a round trip, and still
replaces one the server ended (a database restart) rather than failing the request."""

from __future__ import annotations

import time

import psycopg

from draftsmith.store.postgres import PostgresDraftStore

from .builders import new_draft


def test_a_connection_the_server_ended_is_replaced_on_checkout(
    postgres_store: PostgresDraftStore, postgres_url: str
) -> None:
    created = postgres_store.create_draft(new_draft("dft_pool"), 1)
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        ).fetchall()
        assert ended
        for (pid,) in ended:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + 10
        while admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", ([p for (p,) in ended],)
        ).fetchone() != (0,):
            assert time.monotonic() < deadline
            time.sleep(0.05)

    assert postgres_store.header("dft_pool") == created
