"""The HTTP application: `create_app(...)` wires routes, middleware and the UI over a service
built by draftsmith.bootstrap."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from draftsmith import __version__
from draftsmith.api import responses
from draftsmith.api.errors import error_body
from draftsmith.api.urls import API_PREFIX
from draftsmith.config import Settings
from draftsmith.metrics import Metrics
from draftsmith.security.keys import KeyRing
from draftsmith.security.signing import UrlSigner
from draftsmith.service import Drafts
from draftsmith.upkeep.readiness import Readiness, ReadyReport
from draftsmith.web import (
    catalogue_routes,
    compose_routes,
    import_routes,
    render_routes,
    template_routes,
    utility_routes,
)
from draftsmith.web.access_log import AccessLog
from draftsmith.web.browser_guard import BrowserGuard
from draftsmith.web.errors import (
    BodySizeLimit,
    JsonBodies,
    LastResort,
    install_error_handlers,
)
from draftsmith.web.import_routes import IMPORT_DRAFT_PATH
from draftsmith.web.methods import AllowedMethods
from draftsmith.web.metrics import RequestMetrics, metrics_router
from draftsmith.web.openapi import install_openapi
from draftsmith.web.preview_routes import install_previews
from draftsmith.web.routes import router
from draftsmith.web.strict_numbers import StrictNumbers
from draftsmith.web.threads import OneTripRoute
from draftsmith.web.ui_routes import install_ui

Part = Callable[[FastAPI], AbstractAsyncContextManager[None]]
"""Something the composition root adds to the app (render workers, MCP over HTTP): it adds its
routes, if any, and returns what must run for the app's lifetime (a mounted app's own lifespan
would never run). Parts start in order and stop in reverse."""


def create_app(
    settings: Settings,
    drafts: Drafts,
    keys: KeyRing,
    signer: UrlSigner,
    *,
    parts: Sequence[Part] = (),
    metrics: Metrics | None = None,
    readiness: Readiness | None = None,
) -> FastAPI:
    """The HTTP application over a built service (see draftsmith.bootstrap). `metrics` are
    served at /metrics (default: request metrics only); `readiness` is what /readyz checks
    (default: the service's store and file store, as one)."""
    metrics = metrics if metrics is not None else Metrics()
    if readiness is None:
        readiness = Readiness([("service", drafts.ready)], settings.ready_slow_seconds)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for run in lifetimes:
                await stack.enter_async_context(run)
            yield
        drafts.begin_shutdown()
        drafts.close()

    app = FastAPI(
        title="draftsmith",
        version=__version__,
        description="Durable, versioned CapCut/Jianying drafts over a capcut-mate compatible API.",
        lifespan=lifespan,
    )
    # Routes added on the app itself (/readyz) cross to a worker thread once, as the verbs do.
    app.router.route_class = OneTripRoute
    app.state.drafts = drafts
    app.state.base_url = settings.base_url()
    app.state.strict = settings.strict
    app.state.max_body_bytes = settings.max_body_bytes
    app.state.keys, app.state.signer = keys, signer
    install_error_handlers(app)
    install_openapi(app)
    app.include_router(router)
    app.include_router(utility_routes.router)
    app.include_router(catalogue_routes.router)
    app.include_router(render_routes.router)
    app.include_router(compose_routes.router)
    app.include_router(template_routes.router)
    app.include_router(import_routes.router)
    app.include_router(import_routes.relink_router)
    app.include_router(metrics_router(metrics, public=settings.metrics_public))
    install_ui(app)
    install_previews(app, settings)
    lifetimes = [part(app) for part in parts]

    @app.get("/healthz", response_model=responses.HealthResponse)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get(
        "/readyz",
        response_model=responses.ReadyResponse,
        responses=responses.UNAVAILABLE_RESPONSE,
    )
    def readyz() -> dict[str, Any] | JSONResponse:
        """Each dependency with its latency; 503, naming the first that failed or answered
        too slowly, unless all are fine."""
        report = readiness.report()
        problem = report.problem()
        if problem is None:
            return {"status": "ready", "checks": _checks(report)}
        body, headers = error_body(problem)
        return JSONResponse(
            {**body, "checks": _checks(report)}, status_code=problem.status, headers=headers
        )

    app.add_middleware(StrictNumbers)
    app.add_middleware(JsonBodies, prefix=API_PREFIX)
    app.add_middleware(LastResort)
    app.add_middleware(AllowedMethods, routes=app.routes)
    app.add_middleware(
        BodySizeLimit, limit=settings.max_body_bytes, streamed=frozenset({IMPORT_DRAFT_PATH})
    )
    cors_origins = frozenset(settings.cors_origins)
    app.add_middleware(BrowserGuard, hosts=settings.trusted_host_names(), cors_origins=cors_origins)
    if cors_origins:
        # Outside the guard, so that a listed origin's preflight (OPTIONS) is answered here.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=sorted(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Draftsmith-Strict"],
            expose_headers=[responses.WARNINGS_HEADER],
        )
    app.add_middleware(RequestMetrics, metrics=metrics)
    app.add_middleware(AccessLog)
    return app


def _checks(report: ReadyReport) -> dict[str, dict[str, Any]]:
    return {
        check.name: {
            "status": "ok" if check.ok else "failing",
            "latency_ms": check.latency_ms,
            **({"detail": check.detail} if check.detail else {}),
        }
        for check in report.checks
    }
