"""GET /metrics in the Prometheus text format, and the middleware that counts and times every
request by route template (`/openapi/capcut-mate/v1/add_videos`, `/drafts/{draft_id}`), never
by the raw path, so draft ids never become labels."""

from __future__ import annotations

import time

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from draftsmith.metrics import Metrics
from draftsmith.web.auth import authenticate

UNMATCHED = "unmatched"
"""The route label of a request no route matched (a 404 for an unknown path, say)."""


class RequestMetrics:
    """ASGI middleware: outside the others, so it also counts what they answer (413, 421)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sent(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sent)
        finally:
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            labels = (route, scope["method"], str(status))
            self._metrics.requests.labels(*labels).inc()
            self._metrics.request_seconds.labels(*labels).observe(time.perf_counter() - started)


async def _anyone(request: Request) -> None:
    return None


def metrics_router(metrics: Metrics, *, public: bool) -> APIRouter:
    """The /metrics route: behind the API key check, as every verb, unless `public`."""
    guard = _anyone if public else authenticate
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False, dependencies=[Depends(guard)])
    async def scrape() -> Response:
        # Render jobs are counted in the store at each scrape: off the event loop.
        body = await run_in_threadpool(generate_latest, metrics.registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return router
