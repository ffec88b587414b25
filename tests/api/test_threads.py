"""Sync endpoints cross to a worker thread once per request (web/threads.py)."""

from __future__ import annotations

import inspect
import threading
from pathlib import Path

import anyio
from fastapi.routing import APIRoute

from draftsmith.bootstrap import http_app
from draftsmith.config import Settings
from draftsmith.web import catalogue_routes, render_routes, routes, ui_routes, utility_routes
from draftsmith.web.threads import one_trip


def blocking(count: int, *, label: str = "x") -> tuple[int, str, int]:
    """Blocks, as a store call does."""
    return count, label, threading.get_ident()


def test_a_sync_endpoint_becomes_a_coroutine_run_in_a_worker_thread() -> None:
    wrapped = one_trip(blocking)

    result = anyio.run(lambda: wrapped(2, label="y"))

    assert inspect.iscoroutinefunction(wrapped)
    assert result[:2] == (2, "y")
    assert result[2] != threading.get_ident()
    assert (wrapped.__name__, wrapped.__doc__) == ("blocking", blocking.__doc__)
    assert inspect.signature(wrapped) == inspect.signature(blocking)


def test_a_coroutine_endpoint_is_left_as_it_is() -> None:
    async def already() -> None:
        return None

    assert one_trip(already) is already


def test_every_route_runs_as_a_coroutine(tmp_path: Path) -> None:
    app = http_app(Settings(data_dir=tmp_path))
    modules = (routes, utility_routes, catalogue_routes, render_routes, ui_routes)

    api_routes = [
        route
        for router in (app.router, *(module.router for module in modules))
        for route in router.routes
        if isinstance(route, APIRoute)
    ]

    assert len(api_routes) > 50
    sync = [route.path for route in api_routes if not inspect.iscoroutinefunction(route.endpoint)]
    assert sync == []
    app.state.drafts.close()
