"""/readyz: each dependency (database, file store, render workers) checked and timed; one that
fails, or answers slower than the setting allows, makes the server unready and says why."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from draftsmith.errors import DraftsmithError, Unavailable

Probe = Callable[[], str | None]
"""A dependency check: raises (a DraftsmithError naming the problem) when it cannot be used,
else returns nothing or a note worth showing ("2 of 2 running")."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    latency_ms: float
    detail: str | None = None


@dataclass(frozen=True)
class ReadyReport:
    checks: tuple[CheckResult, ...]

    @property
    def ready(self) -> bool:
        return all(check.ok for check in self.checks)

    def problem(self) -> Unavailable | None:
        """What makes the server unready (the first dependency that failed), if anything."""
        for check in self.checks:
            if not check.ok:
                return Unavailable(check.detail)
        return None


class Readiness:
    """Runs each `(name, probe)` in turn, timing it against `slow_seconds`."""

    def __init__(
        self,
        probes: Sequence[tuple[str, Probe]],
        slow_seconds: float,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._probes = tuple(probes)
        self._slow = slow_seconds
        self._clock = clock

    def report(self) -> ReadyReport:
        return ReadyReport(tuple(self._check(name, probe) for name, probe in self._probes))

    def _check(self, name: str, probe: Probe) -> CheckResult:
        started = self._clock()
        try:
            note = probe()
        except DraftsmithError as exc:
            return CheckResult(name, False, self._ms(started), exc.detail)
        except Exception as exc:
            detail = f"Service unavailable: {name} check failed ({type(exc).__name__}: {exc})"
            return CheckResult(name, False, self._ms(started), detail)
        latency = self._ms(started)
        if latency > self._slow * 1000:
            detail = (
                f"Service unavailable: {name} answered in {latency / 1000:.3f} s, slower than "
                f"the {self._slow:g} s allowed (DRAFTSMITH_READY_SLOW_SECONDS)"
            )
            return CheckResult(name, False, latency, detail)
        return CheckResult(name, True, latency, note)

    def _ms(self, started: float) -> float:
        return round((self._clock() - started) * 1000, 3)
