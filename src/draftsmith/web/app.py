"""The composition root: `create_app(settings)` wires store, files, media and routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from draftsmith import __version__
from draftsmith.blobs.local import LocalBlobStore
from draftsmith.blobs.port import BlobStore
from draftsmith.blobs.s3 import S3BlobStore
from draftsmith.catalogue import operator as operator_catalogue
from draftsmith.config import Settings
from draftsmith.errors import DraftsmithError
from draftsmith.mcp_server.http import mount_mcp
from draftsmith.media.fetch import FetchLimits, parse_allowlist
from draftsmith.media.library import MediaLibrary
from draftsmith.ratelimit import RateLimiter
from draftsmith.render.worker import server_workers
from draftsmith.security.keys import KeyRing
from draftsmith.security.signing import UrlSigner, signing_secret
from draftsmith.service import Drafts, Policy
from draftsmith.store.migrations import is_postgres_url, sqlite_path
from draftsmith.store.port import DraftStore, KeyStore
from draftsmith.store.postgres import PostgresDraftStore
from draftsmith.store.sqlite import SqliteDraftStore
from draftsmith.timeline.ids import API_PREFIX
from draftsmith.web import catalogue_routes, render_routes, responses, utility_routes
from draftsmith.web.access_log import AccessLog
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


def open_store(settings: Settings) -> SqliteDraftStore | PostgresDraftStore:
    """The store the settings choose: PostgreSQL for a postgresql:// URL, else SQLite."""
    url = settings.database_url
    if url is not None and is_postgres_url(url):
        return PostgresDraftStore(url)
    return SqliteDraftStore(sqlite_path(settings))


def build_drafts(
    settings: Settings, *, store: DraftStore | None = None, blobs: BlobStore | None = None
) -> Drafts:
    """The service with the adapters the settings choose, unless adapters are given; the
    operator catalogues the settings name are read first (InvalidSettings)."""
    catalogue = operator_catalogue.from_settings(settings)
    if store is None:
        store = open_store(settings)
    if blobs is None:
        blobs = (
            S3BlobStore.from_settings(settings)
            if settings.s3_bucket
            else LocalBlobStore(settings.data_dir)
        )
    limits = FetchLimits(
        max_bytes=settings.media_max_bytes,
        total_seconds=settings.media_timeout_seconds,
        connect_seconds=settings.media_connect_timeout_seconds,
        allow_private=settings.allow_private_urls,
        first_hop_allowlist=parse_allowlist(settings.private_url_allowlist),
    )
    save_limits = [
        ("draft", RateLimiter(settings.save_rate_per_draft, settings.rate_burst)),
        ("client", RateLimiter(settings.save_rate_per_client, settings.rate_burst)),
    ]
    policy = Policy(
        keep_versions=settings.keep_versions,
        maintenance=settings.maintenance,
        max_items=settings.max_items_per_request,
        max_segments=settings.max_segments_per_draft,
        max_caption_chars=settings.max_caption_chars,
        max_drafts_per_key=settings.max_drafts_per_key,
        max_renders_per_key=settings.max_renders_per_key,
    )
    return Drafts(
        store,
        blobs,
        MediaLibrary(store, blobs, limits),
        policy,
        save_limits,
        operator_catalogue=catalogue,
    )


def key_store_of(store: DraftStore) -> KeyStore:
    if isinstance(store, KeyStore):
        return store
    raise TypeError("create_app: pass keys= when the drafts' store keeps no API keys")


def build_access(settings: Settings, key_store: KeyStore) -> tuple[KeyRing, UrlSigner]:
    """The API keys requests are checked against, and the signer of download links: the same
    for the HTTP API, MCP over HTTP and MCP over stdio."""
    ring = KeyRing(key_store, [key.get_secret_value() for key in settings.api_keys])
    signer = UrlSigner(
        signing_secret(settings.signing_secret, key_store), settings.link_ttl_seconds
    )
    return ring, signer


def create_app(
    settings: Settings, *, drafts: Drafts | None = None, keys: KeyStore | None = None
) -> FastAPI:
    """The application. `keys` defaults to the drafts' store, which keeps API keys too."""
    if drafts is None:
        drafts = build_drafts(settings)
    key_store = keys if keys is not None else key_store_of(drafts.store)

    workers = server_workers(settings, drafts)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if workers is not None:
            workers.start()
        async with mcp_sessions.run():
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
    app.state.keys, app.state.signer = build_access(settings, key_store)
    install_error_handlers(app)
    install_openapi(app)
    app.include_router(router)
    app.include_router(utility_routes.router)
    app.include_router(catalogue_routes.router)
    app.include_router(render_routes.router)
    install_ui(app)
    # MCP over streamable HTTP at /mcp: the same service, keys and errors as the verbs.
    mcp_sessions = mount_mcp(app, settings, drafts, app.state.keys, app.state.signer)

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
    app.add_middleware(AccessLog)
    return app
