"""`python -m draftsmith` as the kill -9 test runs it: a server that dies (SIGKILL, no clean-up)
right after an idempotent edit commits, before it answers, as a crash at that moment would."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from draftsmith.cli import main
from draftsmith.store.sqlite import SqliteDraftStore

_append_track = SqliteDraftStore.append_track


def _append_then_die(self: SqliteDraftStore, *args: Any, **kwargs: Any) -> Any:
    header = _append_track(self, *args, **kwargs)
    if kwargs.get("once") is not None:
        os.kill(os.getpid(), signal.SIGKILL)
    return header


SqliteDraftStore.append_track = _append_then_die  # type: ignore[assignment]

if __name__ == "__main__":
    sys.argv[0] = "draftsmith"
    main()
