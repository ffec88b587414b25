"""Sync endpoints in one trip to a worker thread, holding one of the app's request turns.

FastAPI runs a sync (`def`) endpoint in a worker thread, then checks its answer against the
response model in a worker thread again: two hand-offs between threads per request, each about
0.2 ms on a small machine, more than most verbs take themselves. `OneTripRoute` turns each sync
endpoint into a coroutine that runs it in a worker thread, so FastAPI checks the answer on the
event loop and a request crosses threads once. Endpoints stay plain functions that may block.

In the worker thread the endpoint holds one of the app's request turns (turns.py), which the
app's lifespan sets up for its event loop (`taking_turns`): a few requests work at once, in
arrival order, and the others wait for a turn rather than all slowing each other down.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, TypeVar

from anyio.lowlevel import RunVar
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from draftsmith.turns import Turns

Result = TypeVar("Result")

_TURNS: RunVar[Turns | None] = RunVar("draftsmith_request_turns", default=None)


def taking_turns(turns: Turns) -> Callable[[object], AbstractAsyncContextManager[None]]:
    """A part of the app (web/app.py `Part`) under which its endpoints take `turns`: set for
    the event loop the app's lifespan runs in, which its requests run in too."""

    @asynccontextmanager
    async def taken() -> AsyncIterator[None]:
        _TURNS.set(turns)
        yield

    return lambda _app: taken()


def _in_turn(turns: Turns, call: Callable[[], Result]) -> Result:
    with turns:
        return call()


async def run_in_turn(call: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    """`call(*args, **kwargs)` in a worker thread, holding a request turn while it runs (none
    when the app's lifespan set no turns up)."""
    turns = _TURNS.get()
    bound = functools.partial(call, *args, **kwargs)
    if turns is None:
        return await run_in_threadpool(bound)
    return await run_in_threadpool(_in_turn, turns, bound)


def one_trip(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """`endpoint` as a coroutine that runs it in a worker thread, in a request turn;
    coroutines as they are.

    The wrapper keeps the endpoint's signature, name and docstring (FastAPI reads its
    parameters and the OpenAPI text through `__wrapped__`).
    """
    if inspect.iscoroutinefunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    async def in_worker_thread(*args: Any, **kwargs: Any) -> Any:
        return await run_in_turn(endpoint, *args, **kwargs)

    return in_worker_thread


class OneTripRoute(APIRoute):
    """An API route whose sync endpoint crosses to a worker thread once per request."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, one_trip(endpoint), **kwargs)
