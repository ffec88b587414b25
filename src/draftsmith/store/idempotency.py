"""Idempotency keys: a state-changing request sent again with the same key is answered with
the first one's response instead of being applied again.

The key's row is written inside the transaction of the request's effect, with the response
made from what that transaction wrote, so there is never an effect without its response nor a
response without its effect, whichever process (or crash) comes between. A write that finds
its key already taken rolls back and raises `Replayed` carrying the stored response.

A request made of several writes (compose with save and render) stores, with each write but
the last, an `unfinished` record of how far it got instead of a response; each later write
takes the key over from the record it continues (`Idempotency.follows`), so a retry resumes
where the request stopped and no step is applied twice, even by two retries at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any, Generic, NoReturn, TypeVar

from draftsmith.errors import IdempotencyKeyReused

Result = TypeVar("Result")
Earlier = TypeVar("Earlier")

UNFINISHED = "unfinished:"
"""How a stored record of an unfinished request starts; a response is JSON, which never does."""


def unfinished(record: str) -> str:
    """What a request of several writes stores after a write that is not its last."""
    return UNFINISHED + record


def finished(stored: str) -> bool:
    """Whether `stored` is a response to answer again, not an `unfinished` record."""
    return not stored.startswith(UNFINISHED)


def unfinished_record(stored: str) -> str:
    """The record `unfinished` stored."""
    return stored.removeprefix(UNFINISHED)


@dataclass(frozen=True)
class StoredResponse:
    """What a key's first request left: its body's hash and its response (JSON text)."""

    body_hash: str
    response: str


class Replayed(Exception):
    """The key was used before, with the same body: `response` is what it answered then."""

    def __init__(self, response: str) -> None:
        super().__init__("idempotent replay")
        self.response = response


@dataclass(frozen=True)
class Idempotency(Generic[Result]):
    """A request's key, handed to the store write that applies it.

    `respond` turns the write's result into the response JSON stored with the key; it runs
    inside the write's transaction. Rows written before `stale_before_us` count as gone.
    `follows`: the `unfinished` record this write continues; the write takes the key only
    while that record is still what the key holds.
    """

    scope: str
    key: str
    body_hash: str
    now_us: int
    stale_before_us: int
    respond: Callable[[Result], str]
    follows: str | None = None

    def after(self, make: Callable[[Earlier], Result]) -> Idempotency[Earlier]:
        """The same key for a write whose result `make` turns into this one's."""
        respond = self.respond
        return self.storing(lambda earlier: respond(make(earlier)))

    def storing(self, respond: Callable[[Earlier], str]) -> Idempotency[Earlier]:
        """The same key for a write that stores what `respond` makes of its result (an
        `unfinished` record, for a write that is not the request's last)."""
        return Idempotency(
            self.scope,
            self.key,
            self.body_hash,
            self.now_us,
            self.stale_before_us,
            respond,
            self.follows,
        )

    def following(self, stored: str) -> Idempotency[Result]:
        """The same key for a write that continues the `unfinished` record `stored`."""
        return replace(self, follows=stored)


def body_hash(verb: str, body: Mapping[str, Any]) -> str:
    """SHA-256 of the verb and its body in canonical JSON: equal requests hash alike."""
    text = json.dumps([verb, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def checked(stored: StoredResponse | None, body_hash: str) -> str | None:
    """The stored response to replay for a request whose body hashes to `body_hash`;
    IdempotencyKeyReused when the key came with another body."""
    if stored is None:
        return None
    if stored.body_hash != body_hash:
        raise IdempotencyKeyReused()
    return stored.response


class SqlIdempotency:
    """The idempotency key methods, for both SQL adapters: the base of store/jobs.py's SqlJobs,
    which supplies `_run`; the adapter supplies `_read()` and `_write()`."""

    def _run(self, db: Any, text: str, *params: object) -> Any:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _claim_in(self, db: Any, once: Idempotency[Any] | None) -> None:
        """Take `once`'s key for this transaction; Replayed (or IdempotencyKeyReused) when a
        committed request holds it. On PostgreSQL a concurrent request holding the key makes
        this wait until it commits or rolls back."""
        if once is None:
            return
        if once.follows is not None:
            self._take_over_in(db, once)
            return
        claimed = self._run(
            db,
            "INSERT INTO idempotency_keys (scope, key, body_hash, response, created_at_us)"
            " VALUES (?, ?, ?, '', ?) ON CONFLICT (scope, key) DO UPDATE SET"
            " body_hash = excluded.body_hash, response = '', created_at_us = excluded.created_at_us"
            " WHERE idempotency_keys.created_at_us < ?",
            once.scope,
            once.key,
            once.body_hash,
            once.now_us,
            once.stale_before_us,
        ).rowcount
        if not claimed:
            self._replay_in(db, once)

    def _take_over_in(self, db: Any, once: Idempotency[Any]) -> None:
        """Take `once`'s key from the `unfinished` record it follows; Replayed with what the
        key holds when another request moved it on (or it expired) first."""
        taken = self._run(
            db,
            "UPDATE idempotency_keys SET response = '' WHERE scope = ? AND key = ?"
            " AND body_hash = ? AND response = ? AND created_at_us >= ?",
            once.scope,
            once.key,
            once.body_hash,
            once.follows,
            once.stale_before_us,
        ).rowcount
        if not taken:
            self._replay_in(db, once)

    def _replay_in(self, db: Any, once: Idempotency[Any]) -> NoReturn:
        """Replayed with what `once`'s key holds (422 when it was sent with another body)."""
        stored = self._stored_in(db, once.scope, once.key, once.stale_before_us)
        response = checked(stored, once.body_hash)
        raise Replayed(response if response is not None else "")

    def settle_idempotency(self, once: Idempotency[Result], result: Result) -> Result:
        """Store what `once` makes of `result` with its key, in a write of its own: for a step
        of a request that wrote nothing (it found its work done already)."""
        with self._write() as db:
            self._claim_in(db, once)
            return self._settle_in(db, once, result)

    def _settle_in(self, db: Any, once: Idempotency[Result] | None, result: Result) -> Result:
        """Store the response `once` makes of `result` with its key; hand `result` back."""
        if once is not None:
            self._run(
                db,
                "UPDATE idempotency_keys SET response = ? WHERE scope = ? AND key = ?",
                once.respond(result),
                once.scope,
                once.key,
            )
        return result

    def _stored_in(
        self, db: Any, scope: str, key: str, stale_before_us: int
    ) -> StoredResponse | None:
        row = self._run(
            db,
            "SELECT body_hash, response FROM idempotency_keys"
            " WHERE scope = ? AND key = ? AND created_at_us >= ?",
            scope,
            key,
            stale_before_us,
        ).fetchone()
        return None if row is None else StoredResponse(row["body_hash"], row["response"])

    def idempotent_response(
        self, scope: str, key: str, stale_before_us: int
    ) -> StoredResponse | None:
        """What the key's committed request (written since `stale_before_us`) stored."""
        with self._read() as db:
            return self._stored_in(db, scope, key, stale_before_us)

    def forget_idempotency_keys(self, before_us: int) -> int:
        """Delete the keys written before `before_us`; return how many."""
        with self._write() as db:
            return int(
                self._run(
                    db, "DELETE FROM idempotency_keys WHERE created_at_us < ?", before_us
                ).rowcount
            )
