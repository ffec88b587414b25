"""The JobStore methods, written once for both SQL adapters.

Every statement is plain SQL that SQLite and PostgreSQL read alike; an adapter supplies its
placeholder and how a claim skips rows other transactions hold. On SQLite a write transaction
(`BEGIN IMMEDIATE`) already holds the whole database, so a claim needs nothing more; on
PostgreSQL `FOR UPDATE SKIP LOCKED` lets concurrent claimers in other processes each take a
different job without waiting for one another.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any, ClassVar, Protocol

from draftsmith.errors import RenderBudgetExceeded, RenderJobNotFound
from draftsmith.store.idempotency import Idempotency, SqlIdempotency
from draftsmith.store.records import (
    RENDER_BUDGET_WINDOW_US,
    JobStatus,
    RenderCharge,
    RenderJob,
)

MAX_ERROR_CHARS = 2000

_COLUMNS = (
    "id, draft_id, version, owner, status, progress, attempts, error_message, video_sha256, "
    "video_size, created_at_us, started_at_us, completed_at_us, lease_until_us, worker_id, "
    "report"
)
_CLAIMABLE = "status = 'pending' OR (status = 'processing' AND lease_until_us < ?)"
_HELD = "id = ? AND worker_id = ? AND status = 'processing'"
_ACTIVE = "status IN ('pending', 'processing')"
_NEWEST_FIRST = " ORDER BY created_at_us DESC, version DESC LIMIT 1"


class _Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...

    @property
    def rowcount(self) -> int: ...


class _Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any], /) -> _Cursor: ...


def _job(row: Any) -> RenderJob:
    return RenderJob(
        id=row["id"],
        draft_id=row["draft_id"],
        version=row["version"],
        owner=row["owner"],
        status=JobStatus(row["status"]),
        progress=row["progress"],
        attempts=row["attempts"],
        error_message=row["error_message"],
        video_sha256=row["video_sha256"],
        video_size=row["video_size"],
        created_at_us=row["created_at_us"],
        started_at_us=row["started_at_us"],
        completed_at_us=row["completed_at_us"],
        lease_until_us=row["lease_until_us"],
        worker_id=row["worker_id"],
        report=row["report"],
    )


def _payer_is(payer: str | None) -> tuple[str, tuple[str, ...]]:
    return ("payer IS NULL", ()) if payer is None else ("payer = ?", (payer,))


def budget_refusal(
    charges: Sequence[tuple[int, int]], charge: RenderCharge, now_us: int
) -> RenderBudgetExceeded | None:
    """Why `charge` does not fit its budget, given the payer's `charges` (queued at, duration;
    oldest first) of the last hour; None when it fits. Retry-After is when enough of them will
    have left the hour for it to fit."""
    queued = sum(duration for _, duration in charges)
    if charge.budget_us <= 0 or queued + charge.duration_us <= charge.budget_us:
        return None
    wait_us = RENDER_BUDGET_WINDOW_US
    left = queued
    for queued_at, duration in charges:
        left -= duration
        if left + charge.duration_us <= charge.budget_us:
            wait_us = queued_at + RENDER_BUDGET_WINDOW_US - now_us
            break
    return RenderBudgetExceeded(
        charge.budget_us // 1_000_000,
        queued / 1_000_000,
        max(1, math.ceil(wait_us / 1_000_000)),
        keyed=charge.payer is not None,
    )


def gave_up_message(attempts: int) -> str:
    return (
        f"Render gave up after {attempts} attempts: the worker rendering it stopped (crashed "
        "or was killed) each time"
    )


class SqlJobs(SqlIdempotency):
    """Mixed into an adapter that has `_write()` and `_read()` transactions."""

    _placeholder: ClassVar[str] = "?"
    _skip_locked: ClassVar[str] = ""

    def _write(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        return text.replace("?", self._placeholder)

    def _run(self, db: _Connection, text: str, *params: Any) -> _Cursor:
        return db.execute(self._sql(text), params)

    def _changed(self, text: str, *params: Any) -> bool:
        with self._write() as db:
            return self._run(db, text, *params).rowcount > 0

    def _lock_payer(self, db: Any, payer: str | None) -> None:
        """Hold, until commit, what keeps two renders of one payer from being charged at once;
        a SQLite write transaction already holds the whole database."""

    def _charge(self, db: _Connection, charge: RenderCharge, now_us: int) -> None:
        since = now_us - RENDER_BUDGET_WINDOW_US
        self._run(db, "DELETE FROM render_charges WHERE charged_at_us <= ?", since)
        who, params = _payer_is(charge.payer)
        rows = self._run(
            db,
            "SELECT charged_at_us, duration_us FROM render_charges"
            f" WHERE {who} AND charged_at_us > ? ORDER BY charged_at_us",
            *params,
            since,
        ).fetchall()
        refusal = budget_refusal(
            [(row["charged_at_us"], row["duration_us"]) for row in rows], charge, now_us
        )
        if refusal is not None:
            raise refusal
        self._run(
            db,
            "INSERT INTO render_charges (payer, charged_at_us, duration_us) VALUES (?, ?, ?)",
            charge.payer,
            now_us,
            charge.duration_us,
        )

    def create_render_job(
        self,
        draft_id: str,
        version: int,
        owner: str | None,
        now_us: int,
        charge: RenderCharge | None = None,
        *,
        once: Idempotency[RenderJob] | None = None,
    ) -> RenderJob:
        select = f"SELECT {_COLUMNS} FROM render_jobs WHERE draft_id = ? AND version = ?"
        with self._write() as db:
            self._claim_in(db, once)
            if charge is not None:
                self._lock_payer(db, charge.payer)
            row = self._run(db, select, draft_id, version).fetchone()
            if row is not None and row["status"] not in ("failed", "cancelled"):
                return self._settle_in(db, once, _job(row))
            if charge is not None:
                self._charge(db, charge, now_us)
            self._run(
                db,
                "UPDATE render_jobs SET status = 'pending', progress = 0, attempts = 0,"
                " error_message = NULL, video_sha256 = NULL, video_size = NULL,"
                " created_at_us = ?, started_at_us = NULL, completed_at_us = NULL,"
                " lease_until_us = NULL, worker_id = NULL, report = NULL, owner = ?"
                " WHERE draft_id = ? AND version = ? AND status IN ('failed', 'cancelled')",
                now_us,
                owner,
                draft_id,
                version,
            )
            self._run(
                db,
                "INSERT INTO render_jobs (id, draft_id, version, owner, status, progress,"
                " attempts, created_at_us) VALUES (?, ?, ?, ?, 'pending', 0, 0, ?)"
                " ON CONFLICT (draft_id, version) DO NOTHING",
                secrets.token_hex(16),
                draft_id,
                version,
                owner,
                now_us,
            )
            row = self._run(db, select, draft_id, version).fetchone()
            return self._settle_in(db, once, _job(row))

    def render_time_queued(self, payer: str | None, since_us: int) -> int:
        who, params = _payer_is(payer)
        with self._read() as db:
            row = self._run(
                db,
                "SELECT coalesce(sum(duration_us), 0) AS queued FROM render_charges"
                f" WHERE {who} AND charged_at_us > ?",
                *params,
                since_us,
            ).fetchone()
        return int(row["queued"])

    def cancel_render_job(
        self,
        draft_id: str,
        job_id: str | None,
        now_us: int,
        *,
        once: Idempotency[RenderJob] | None = None,
    ) -> RenderJob:
        with self._write() as db:
            self._claim_in(db, once)
            if job_id is None:
                row = self._run(
                    db,
                    f"SELECT {_COLUMNS} FROM render_jobs WHERE draft_id = ? AND {_ACTIVE}"
                    + _NEWEST_FIRST,
                    draft_id,
                ).fetchone()
                if row is None:
                    row = self._run(
                        db,
                        f"SELECT {_COLUMNS} FROM render_jobs WHERE draft_id = ?" + _NEWEST_FIRST,
                        draft_id,
                    ).fetchone()
            else:
                row = self._run(
                    db,
                    f"SELECT {_COLUMNS} FROM render_jobs WHERE draft_id = ? AND id = ?",
                    draft_id,
                    job_id,
                ).fetchone()
            if row is None:
                raise RenderJobNotFound()
            job = _job(row)
            if not job.active:
                return self._settle_in(db, once, job)
            # A worker may finish it between the read and this write: then it stays finished.
            self._run(
                db,
                "UPDATE render_jobs SET status = 'cancelled', completed_at_us = ?,"
                f" lease_until_us = NULL WHERE id = ? AND {_ACTIVE}",
                now_us,
                job.id,
            )
            row = self._run(
                db, f"SELECT {_COLUMNS} FROM render_jobs WHERE id = ?", job.id
            ).fetchone()
            return self._settle_in(db, once, _job(row))

    def claim_render_job(
        self, worker_id: str, now_us: int, lease_us: int, max_attempts: int
    ) -> RenderJob | None:
        # A cheap read first: idle workers poll often and should not queue for the write lock.
        with self._read() as db:
            # fetchall: a cursor left mid-result would keep SQLite's read snapshot open.
            waiting = self._run(
                db, f"SELECT id FROM render_jobs WHERE {_CLAIMABLE} LIMIT 1", now_us
            ).fetchall()
        if not waiting:
            return None
        with self._write() as db:
            while True:
                row = self._run(
                    db,
                    f"SELECT {_COLUMNS} FROM render_jobs WHERE {_CLAIMABLE}"
                    f" ORDER BY created_at_us, id LIMIT 1{self._skip_locked}",
                    now_us,
                ).fetchone()
                if row is None:
                    return None
                job = _job(row)
                if job.attempts < max_attempts:
                    break
                self._run(
                    db,
                    "UPDATE render_jobs SET status = 'failed', error_message = ?,"
                    " completed_at_us = ?, lease_until_us = NULL WHERE id = ?",
                    gave_up_message(job.attempts),
                    now_us,
                    job.id,
                )
            claimed = replace(
                job,
                status=JobStatus.PROCESSING,
                progress=0,
                attempts=job.attempts + 1,
                started_at_us=now_us,
                lease_until_us=now_us + lease_us,
                worker_id=worker_id,
            )
            self._run(
                db,
                "UPDATE render_jobs SET status = 'processing', progress = 0, attempts = ?,"
                " started_at_us = ?, lease_until_us = ?, worker_id = ? WHERE id = ?",
                claimed.attempts,
                claimed.started_at_us,
                claimed.lease_until_us,
                worker_id,
                job.id,
            )
        return claimed

    def update_render_progress(
        self, job_id: str, worker_id: str, progress: int, now_us: int, lease_us: int
    ) -> bool:
        return self._changed(
            f"UPDATE render_jobs SET progress = ?, lease_until_us = ? WHERE {_HELD}",
            max(0, min(100, progress)),
            now_us + lease_us,
            job_id,
            worker_id,
        )

    def complete_render_job(
        self, job_id: str, worker_id: str, video_sha256: str, video_size: int, now_us: int
    ) -> bool:
        return self._changed(
            "UPDATE render_jobs SET status = 'completed', progress = 100, video_sha256 = ?,"
            f" video_size = ?, completed_at_us = ?, lease_until_us = NULL WHERE {_HELD}",
            video_sha256,
            video_size,
            now_us,
            job_id,
            worker_id,
        )

    def record_render_report(self, job_id: str, worker_id: str, report: str) -> bool:
        return self._changed(
            f"UPDATE render_jobs SET report = ? WHERE {_HELD}", report, job_id, worker_id
        )

    def fail_render_job(self, job_id: str, worker_id: str, error: str, now_us: int) -> bool:
        return self._changed(
            "UPDATE render_jobs SET status = 'failed', error_message = ?, completed_at_us = ?,"
            f" lease_until_us = NULL WHERE {_HELD}",
            error[:MAX_ERROR_CHARS],
            now_us,
            job_id,
            worker_id,
        )

    def release_render_job(self, job_id: str, worker_id: str) -> bool:
        return self._changed(
            "UPDATE render_jobs SET status = 'pending', progress = 0,"
            " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,"
            f" started_at_us = NULL, lease_until_us = NULL, worker_id = NULL WHERE {_HELD}",
            job_id,
            worker_id,
        )

    def expire_render_lease(self, job_id: str, worker_id: str) -> bool:
        return self._changed(
            f"UPDATE render_jobs SET lease_until_us = 0 WHERE {_HELD}", job_id, worker_id
        )

    def processing_render_jobs(self) -> list[RenderJob]:
        with self._read() as db:
            rows = self._run(
                db,
                f"SELECT {_COLUMNS} FROM render_jobs WHERE status = 'processing'"
                " ORDER BY created_at_us, id",
            ).fetchall()
        return [_job(row) for row in rows]

    def render_job(self, draft_id: str, version: int | None = None) -> RenderJob:
        sql = f"SELECT {_COLUMNS} FROM render_jobs WHERE draft_id = ?"
        params: list[Any] = [draft_id]
        if version is not None:
            sql += " AND version = ?"
            params.append(version)
        with self._read() as db:
            row = self._run(db, sql + _NEWEST_FIRST, *params).fetchone()
        if row is None:
            raise RenderJobNotFound()
        return _job(row)

    def latest_render_jobs(self, draft_ids: Sequence[str]) -> dict[str, RenderJob]:
        if not draft_ids:
            return {}
        places = ", ".join("?" * len(draft_ids))
        with self._read() as db:
            rows = self._run(
                db,
                f"SELECT {_COLUMNS} FROM (SELECT {_COLUMNS}, ROW_NUMBER() OVER"
                " (PARTITION BY draft_id ORDER BY created_at_us DESC, version DESC) AS newest"
                f" FROM render_jobs WHERE draft_id IN ({places})) AS jobs WHERE newest = 1",
                *draft_ids,
            ).fetchall()
        return {row["draft_id"]: _job(row) for row in rows}

    def count_active_renders(self, owner: str | None) -> int:
        who = "owner IS NULL" if owner is None else "owner = ?"
        with self._read() as db:
            row = self._run(
                db,
                f"SELECT count(*) AS active FROM render_jobs WHERE {who} AND {_ACTIVE}",
                *(() if owner is None else (owner,)),
            ).fetchone()
        return int(row["active"])
