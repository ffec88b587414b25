"""A base for test helpers that own a process, a socket, a thread or a client: `with` closes
them."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class ClosedOnExit:
    """`with helper:` closes it on the way out: test helpers that own a process, a socket, a
    thread or a client."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
