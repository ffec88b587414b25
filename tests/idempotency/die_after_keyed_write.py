"""`python -m draftsmith` for the client retry tests: a server that dies (SIGKILL, no clean-up)
right after a keyed write through the store method named by DRAFTSMITH_TEST_DIE_AFTER commits,
before it answers, as a crash at that moment would."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from draftsmith.cli import main
from draftsmith.store.sqlite import SqliteDraftStore


def _dying(name: str) -> Any:
    write = getattr(SqliteDraftStore, name)

    def write_then_die(self: SqliteDraftStore, *args: Any, **kwargs: Any) -> Any:
        answer = write(self, *args, **kwargs)
        if kwargs.get("once") is not None:
            os.kill(os.getpid(), signal.SIGKILL)
        return answer

    return write_then_die


if __name__ == "__main__":
    method = os.environ.get("DRAFTSMITH_TEST_DIE_AFTER")
    if method:
        setattr(SqliteDraftStore, method, _dying(method))
    sys.argv[0] = "draftsmith"
    main()
