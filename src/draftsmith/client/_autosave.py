"""Auto-save: publish a draft every few seconds while it has unsaved changes.

Each tick asks the server for the draft's save status (`get_draft_info`) and calls
`save_draft` only when `unsaved_changes` is true, so an idle draft costs one cheap read per
tick and never a new version. A failed tick is retried at the next one (the interval is the
backoff); an error that cannot pass by itself (the draft was deleted, the URL is wrong) stops
the loop. `last_result`, `last_error` and `status` are there for a "saved / unsaved" display.
`AutoSaver` runs on a thread for `Client`, `AsyncAutoSaver` on a task for `AsyncClient`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

from draftsmith.client._models import DraftInfo, SaveResult
from draftsmith.client._retry import is_retryable
from draftsmith.errors import DraftsmithError


class AutoSaveState:
    """What an auto-saver has seen so far; written by its loop, safe to read from anywhere."""

    def __init__(self, draft_url: str, every: float) -> None:
        if every <= 0:
            raise ValueError("every must be a positive number of seconds")
        self.draft_url = draft_url
        self.every = every
        self._lock = threading.Lock()
        self._result: SaveResult | None = None
        self._error: DraftsmithError | None = None
        self._info: DraftInfo | None = None
        self._saved_at: datetime | None = None
        self._saves = 0
        self._running = True

    def checked(self, info: DraftInfo) -> bool:
        """Record a status check; True when the draft has changes to save."""
        with self._lock:
            self._info = info
            self._error = None
        return info.unsaved_changes

    def saved(self, result: SaveResult) -> None:
        with self._lock:
            self._result = result
            self._error = None
            self._saved_at = datetime.now(UTC)
            self._saves += int(result.created)

    def failed(self, error: DraftsmithError) -> bool:
        """Record a failed tick; True when the next tick may succeed and the loop goes on."""
        keep_going = is_retryable(error)
        with self._lock:
            self._error = error
            self._running = self._running and keep_going
        return keep_going

    def stopped(self) -> None:
        with self._lock:
            self._running = False

    @property
    def last_result(self) -> SaveResult | None:
        """The last successful save (None until one happens)."""
        with self._lock:
            return self._result

    @property
    def last_error(self) -> DraftsmithError | None:
        """The error of the last tick, None once a later tick succeeds."""
        with self._lock:
            return self._error

    @property
    def saves(self) -> int:
        """How many new versions this auto-saver published."""
        with self._lock:
            return self._saves

    @property
    def running(self) -> bool:
        with self._lock:
            return self._running

    @property
    def status(self) -> str:
        """One line for a status bar: the last outcome, newest first."""
        with self._lock:
            error, result, info, saved_at = self._error, self._result, self._info, self._saved_at
        if error is not None:
            return f"auto-save failed: {error.detail}"
        if result is not None and saved_at is not None:
            return f"saved as version {result.version} at {saved_at:%H:%M:%S} UTC"
        if info is not None:
            return info.save_status
        return "auto-save starting"


class _Handle:
    """The read side shared by both auto-savers."""

    _state: AutoSaveState

    @property
    def draft_url(self) -> str:
        return self._state.draft_url

    @property
    def last_result(self) -> SaveResult | None:
        """The last successful save by this auto-saver (None until one happens)."""
        return self._state.last_result

    @property
    def last_error(self) -> DraftsmithError | None:
        """Why the last tick failed; None once a later tick succeeds."""
        return self._state.last_error

    @property
    def saves(self) -> int:
        """How many new versions this auto-saver published."""
        return self._state.saves

    @property
    def running(self) -> bool:
        """False once stopped, or after an error that retrying cannot fix."""
        return self._state.running

    @property
    def status(self) -> str:
        """A human line: "saved as version 3 at 12:00:01 UTC", "auto-save failed: ..."."""
        return self._state.status


class AutoSaver(_Handle):
    """Saves a draft from a background thread; returned by `Client.auto_save`."""

    def __init__(
        self,
        state: AutoSaveState,
        check: Callable[[], DraftInfo],
        save: Callable[[], SaveResult],
    ) -> None:
        self._state = state
        self._check = check
        self._save = save
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="draftsmith-auto-save", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stopping.wait(self._state.every):
            try:
                self.save_if_changed()
            except DraftsmithError as error:
                if not self._state.failed(error):
                    return

    def save_if_changed(self) -> SaveResult | None:
        """Check now and save if there are unsaved changes; errors are raised to the caller."""
        if self._state.checked(self._check()):
            result = self._save()
            self._state.saved(result)
            return result
        return None

    def stop(self, *, flush: bool = True, timeout: float | None = None) -> SaveResult | None:
        """Stop the thread (a tick under way finishes first); with `flush`, save what is left.

        Returns the last successful save. A failing final save raises its error.
        """
        self._stopping.set()
        self._thread.join(timeout)
        self._state.stopped()
        if flush:
            self.save_if_changed()
        return self._state.last_result

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # After a failure in the block, stop without publishing its half-done edits.
        self.stop(flush=exc is None)


class AsyncAutoSaver(_Handle):
    """Saves a draft from an asyncio task; returned by `AsyncClient.auto_save`."""

    def __init__(
        self,
        state: AutoSaveState,
        check: Callable[[], Awaitable[DraftInfo]],
        save: Callable[[], Awaitable[SaveResult]],
    ) -> None:
        self._state = state
        self._check = check
        self._save = save
        self._stopping = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(
            self._loop(), name="draftsmith-auto-save"
        )

    async def _stop_requested(self) -> bool:
        try:
            await asyncio.wait_for(self._stopping.wait(), self._state.every)
        except TimeoutError:
            return False
        return True

    async def _loop(self) -> None:
        while not await self._stop_requested():
            try:
                await self.save_if_changed()
            except DraftsmithError as error:
                if not self._state.failed(error):
                    return

    async def save_if_changed(self) -> SaveResult | None:
        """Check now and save if there are unsaved changes; errors are raised to the caller."""
        if self._state.checked(await self._check()):
            result = await self._save()
            self._state.saved(result)
            return result
        return None

    async def stop(self, *, flush: bool = True) -> SaveResult | None:
        """Stop the task (a tick under way finishes first); with `flush`, save what is left.

        Returns the last successful save. A failing final save raises its error.
        """
        self._stopping.set()
        await self._task
        self._state.stopped()
        if flush:
            await self.save_if_changed()
        return self._state.last_result

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop(flush=exc is None)
