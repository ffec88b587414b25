"""Idempotency keys as the use cases see them: the key of a request, its stored response, and
the pruning of keys past their time. The store writes each key with its effect
(store/idempotency.py); every state-changing use case takes one as `once`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from draftsmith.errors import RequestInProgress
from draftsmith.security.caller import Caller
from draftsmith.service.policy import UseCases
from draftsmith.store.idempotency import Idempotency, Replayed, checked, finished

Result = TypeVar("Result")


PRUNE_EVERY_US = 3600 * 1_000_000
"""How often a process deletes the keys past their time, when keyed requests come."""
MOVES = 8
"""How often a keyed request looks again at what its key holds (another request of the same
key having moved it on) before it answers RequestInProgress: more than any request has steps."""


class IdempotencyUseCases(UseCases):
    """Idempotency keys: each caller's own, answered for `Policy.idempotency_keep_us`."""

    _idempotency_pruned_us = 0

    def _stale_before_us(self, now: int) -> int:
        return now - self._policy.idempotency_keep_us

    @staticmethod
    def _scope(caller: Caller) -> str:
        # Keys are the caller's own: with API keys off every caller shares one scope.
        return caller.key_id or ""

    def idempotency(
        self, caller: Caller, key: str, body_hash: str, respond: Callable[[Result], str]
    ) -> Idempotency[Result]:
        """The key `caller` sent with a request whose body hashes to `body_hash`; `respond`
        makes the response stored with it from the use case's result."""
        now = self._clock()
        return Idempotency(
            self._scope(caller), key, body_hash, now, self._stale_before_us(now), respond
        )

    def stored_response(self, caller: Caller, key: str, body_hash: str) -> str | None:
        """The response stored for `caller`'s key, to answer again; None when the key is new.
        IdempotencyKeyReused when it came with another body."""
        now = self._clock()
        stale_before = self._stale_before_us(now)
        if now - self._idempotency_pruned_us >= PRUNE_EVERY_US:
            self._idempotency_pruned_us = now
            self._store.forget_idempotency_keys(stale_before)
        return checked(
            self._store.idempotent_response(self._scope(caller), key, stale_before), body_hash
        )

    def forget_idempotency_keys(self) -> int:
        """Delete the keys past their time; return how many."""
        return self._store.forget_idempotency_keys(self._stale_before_us(self._clock()))

    def answer_once(
        self,
        caller: Caller,
        key: str,
        body_hash: str,
        apply: Callable[[Idempotency[Result]], Result],
        as_json: Callable[[Result], str],
        resume: Callable[[str, Idempotency[Result]], Result] | None = None,
    ) -> tuple[str, bool]:
        """The answer (JSON) to the request `caller` sent with `key`, and whether it is the
        stored answer of an earlier request with that key. `apply` makes the request's
        effect, storing with it what `as_json` makes of its result; `resume` finishes a
        request of several writes from the `unfinished` record one of them stored."""
        stored = self.stored_response(caller, key, body_hash)
        once = self.idempotency(caller, key, body_hash, as_json)
        for _ in range(MOVES):
            try:
                if stored is None:
                    return as_json(apply(once)), False
                if finished(stored):
                    return stored, True
                if resume is None:
                    raise RequestInProgress()
                return as_json(resume(stored, once.following(stored))), False
            except Replayed as exc:
                # Another request with this key wrote first: take it from where it got.
                stored = exc.response or self.stored_response(caller, key, body_hash)
        raise RequestInProgress()

    def settle(self, once: Idempotency[Result], result: Result) -> Result:
        """Store what `once` makes of `result` with its key, for a step that wrote nothing."""
        return self._store.settle_idempotency(once, result)
