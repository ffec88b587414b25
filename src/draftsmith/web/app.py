"""The HTTP application: `create_app(...)` wires routes, middleware and the UI over a service
built by draftsmith.bootstrap."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from draftsmith import __version__
from draftsmith.api import responses
from draftsmith.api.urls import API_PREFIX
from draftsmith.config import Settings
from draftsmith.errors import DraftsmithError
from draftsmith.render.worker import server_workers
from draftsmith.security.keys import KeyRing
from draftsmith.security.signing import UrlSigner
from draftsmith.service import Drafts
from draftsmith.web import catalogue_routes, render_routes, utility_routes
from draftsmith.web.access_log import AccessLog
from draftsmith.web.browser_guard import BrowserGuard
from draftsmith.web.errors import (
    BodySizeLimit,
    JsonBodies,
    error_response,
    install_error_handlers,
)
from draftsmith.web.openapi import install_openapi
from draftsmith.web.routes import router
from draftsmith.web.threads import OneTripRoute
from draftsmith.web.ui_routes import install_ui

Part = Callable[[FastAPI], AbstractAsyncContextManager[None]]
"""Something another front end adds to the app (MCP over HTTP): it adds its routes and returns
what must run for the app's lifetime (a mounted app's own lifespan would never run)."""


def create_app(
    settings: Settings,
    drafts: Drafts,
    keys: KeyRing,
    signer: UrlSigner,
    *,
    parts: Sequence[Part] = (),
) -> FastAPI:
    """The HTTP application over a built service (see draftsmith.bootstrap)."""
    workers = server_workers(settings, drafts)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if workers is not None:
            workers.start()
        async with AsyncExitStack() as stack:
            for run in lifetimes:
                await stack.enter_async_context(run)
            yield
        drafts.begin_shutdown()
        if workers is not None:
            # Running renders are cancelled and their jobs queued again for the next start.
            workers.stop()
        drafts.store.close()

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
    app.state.keys, app.state.signer = keys, signer
    install_error_handlers(app)
    install_openapi(app)
    app.include_router(router)
    app.include_router(utility_routes.router)
    app.include_router(catalogue_routes.router)
    app.include_router(render_routes.router)
    install_ui(app)
    lifetimes = [part(app) for part in parts]

    @app.get("/healthz", response_model=responses.HealthResponse)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get(
        "/readyz",
        response_model=responses.ReadyResponse,
        responses=responses.UNAVAILABLE_RESPONSE,
    )
    def readyz() -> dict[str, str] | JSONResponse:
        try:
            drafts.ready()
        except DraftsmithError as exc:
            return error_response(exc)
        return {"status": "ready"}

    app.add_middleware(JsonBodies, prefix=API_PREFIX)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    cors_origins = frozenset(settings.cors_origins)
    app.add_middleware(BrowserGuard, hosts=settings.trusted_host_names(), cors_origins=cors_origins)
    if cors_origins:
        # Outside the guard, so that a listed origin's preflight (OPTIONS) is answered here.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=sorted(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Draftsmith-Strict"],
        )
    app.add_middleware(AccessLog)
    return app
