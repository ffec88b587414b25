"""The composition root: `create_app(settings)` wires store, files, media and routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from draftsmith import __version__
from draftsmith.blobs.local import LocalBlobStore
from draftsmith.blobs.port import BlobStore
from draftsmith.config import Settings
from draftsmith.errors import DraftsmithError
from draftsmith.media.fetch import FetchLimits
from draftsmith.media.library import MediaLibrary
from draftsmith.ratelimit import RateLimiter
from draftsmith.service import Drafts, Policy
from draftsmith.store.migrations import is_postgres_url
from draftsmith.store.port import DraftStore
from draftsmith.store.postgres import PostgresDraftStore
from draftsmith.store.sqlite import SqliteDraftStore
from draftsmith.timeline.ids import API_PREFIX
from draftsmith.web.errors import (
    BodySizeLimit,
    JsonBodies,
    error_response,
    install_error_handlers,
)
from draftsmith.web.routes import router
from draftsmith.web.ui_routes import install_ui


def build_drafts(
    settings: Settings, *, store: DraftStore | None = None, blobs: BlobStore | None = None
) -> Drafts:
    """The service with the adapters the settings choose, unless adapters are given."""
    if store is None:
        url = settings.database_url
        if url is not None and is_postgres_url(url):
            store = PostgresDraftStore(url)
        else:
            store = SqliteDraftStore(settings.sqlite_path())
    blobs = blobs or LocalBlobStore(settings.data_dir)
    limits = FetchLimits(
        max_bytes=settings.media_max_bytes,
        total_seconds=settings.media_timeout_seconds,
        connect_seconds=settings.media_connect_timeout_seconds,
        allow_private=settings.allow_private_urls,
    )
    save_limits = [
        ("draft", RateLimiter(settings.save_rate_per_draft, settings.rate_burst)),
        ("client", RateLimiter(settings.save_rate_per_client, settings.rate_burst)),
    ]
    policy = Policy(
        keep_versions=settings.keep_versions,
        maintenance=settings.maintenance,
        max_items=settings.max_items_per_request,
    )
    return Drafts(store, blobs, MediaLibrary(store, blobs, limits), policy, save_limits)


def create_app(settings: Settings, *, drafts: Drafts | None = None) -> FastAPI:
    drafts = drafts or build_drafts(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        drafts.begin_shutdown()
        drafts.store.close()

    app = FastAPI(
        title="draftsmith",
        version=__version__,
        description="Durable, versioned CapCut/Jianying drafts over a capcut-mate compatible API.",
        lifespan=lifespan,
    )
    app.state.drafts = drafts
    app.state.base_url = settings.base_url()
    install_error_handlers(app)
    app.include_router(router)
    install_ui(app)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", response_model=None)
    def readyz() -> dict[str, str] | JSONResponse:
        try:
            drafts.ready()
        except DraftsmithError as exc:
            return error_response(exc)
        return {"status": "ready"}

    app.add_middleware(JsonBodies, prefix=API_PREFIX)
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    return app
