"""Sync endpoints in one trip to a worker thread.

FastAPI runs a sync (`def`) endpoint in a worker thread, then checks its answer against the
response model in a worker thread again: two hand-offs between threads per request, each about
0.2 ms on a small machine, more than most verbs take themselves. `OneTripRoute` turns each sync
endpoint into a coroutine that runs it in a worker thread, so FastAPI checks the answer on the
event loop and a request crosses threads once. Endpoints stay plain functions that may block.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


def one_trip(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """`endpoint` as a coroutine that runs it in a worker thread; coroutines as they are.

    The wrapper keeps the endpoint's signature, name and docstring (FastAPI reads its
    parameters and the OpenAPI text through `__wrapped__`).
    """
    if inspect.iscoroutinefunction(endpoint):
        return endpoint

    @functools.wraps(endpoint)
    async def in_worker_thread(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return in_worker_thread


class OneTripRoute(APIRoute):
    """An API route whose sync endpoint crosses to a worker thread once per request."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, one_trip(endpoint), **kwargs)
