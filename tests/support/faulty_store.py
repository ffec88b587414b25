"""The real SQLite store behind switches, to inject store faults through the DraftStore port."""

from __future__ import annotations

from typing import Any, cast

from draftsmith.errors import SaveFailed, Unavailable
from draftsmith.store.port import DraftStore
from draftsmith.store.sqlite import SqliteDraftStore


class FaultyStore:
    """The real SQLite store behind two switches: `failing` names store methods that raise
    SaveFailed before they touch anything, and `down` makes every method raise Unavailable, as
    an unreachable store does.
    """

    def __init__(self, inner: SqliteDraftStore) -> None:
        self.inner = inner
        self.failing: set[str] = set()
        self.down = False

    def __getattr__(self, name: str) -> Any:
        # Every method of the port goes through here, including ones added after this test.
        attribute = getattr(self.inner, name)
        if name == "close" or not callable(attribute):
            # Never faulty: the app closes its store on shutdown, whatever the test left on.
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            if self.down:
                raise Unavailable()
            if name in self.failing:
                raise SaveFailed()
            return attribute(*args, **kwargs)

        return call

    def as_store(self) -> DraftStore:
        # Delegation is dynamic, so mypy cannot match this class to the port; what it forwards
        # to is the SQLite adapter, which the store contract suite checks against the port.
        return cast(DraftStore, self)
