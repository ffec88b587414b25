"""The composition root: settings -> store, blobs, media library, service, key ring and link
signer, built once here and handed to every front end (HTTP, MCP, CLI, render workers, tests).

Nothing is created at import time anywhere else; caches are built here and passed in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from draftsmith.blobs.local import LocalBlobStore
from draftsmith.blobs.port import BlobStore
from draftsmith.blobs.s3 import S3BlobStore
from draftsmith.catalogue import operator as operator_catalogue
from draftsmith.config import Settings
from draftsmith.mcp_server.http import mount_mcp
from draftsmith.mcp_server.stdio import configure_logging as configure_mcp_logging
from draftsmith.mcp_server.stdio import serve_stdio
from draftsmith.media.fetch import FetchLimits, parse_allowlist
from draftsmith.media.library import MediaLibrary
from draftsmith.ratelimit import RateLimiter
from draftsmith.security.keys import KeyRing
from draftsmith.security.signing import UrlSigner, signing_secret
from draftsmith.service import Drafts, Policy
from draftsmith.store.migrations import is_postgres_url, sqlite_path
from draftsmith.store.port import DraftStore, KeyStore
from draftsmith.store.postgres import PostgresDraftStore
from draftsmith.store.sqlite import SqliteDraftStore
from draftsmith.web.access_log import configure_access_log
from draftsmith.web.app import create_app


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


def http_app(
    settings: Settings, *, drafts: Drafts | None = None, keys: KeyStore | None = None
) -> FastAPI:
    """The API server's application, MCP over HTTP at /mcp included. `keys` defaults to the
    drafts' store, which keeps API keys too."""
    if drafts is None:
        drafts = build_drafts(settings)
    ring, signer = build_access(settings, keys if keys is not None else key_store_of(drafts.store))

    def mcp(app: FastAPI) -> AbstractAsyncContextManager[None]:
        # MCP over streamable HTTP at /mcp: the same service, keys and errors as the verbs.
        sessions = mount_mcp(app, settings, drafts, ring, signer)

        @asynccontextmanager
        async def running() -> AsyncIterator[None]:
            async with sessions.run():
                yield

        return running()

    return create_app(settings, drafts, ring, signer, parts=[mcp])


def http_logging() -> None:
    """The server's access log (it replaces uvicorn's, which would log query strings)."""
    configure_access_log()


def mcp_logging() -> None:
    """Log to stderr only: stdout carries the MCP protocol."""
    configure_mcp_logging()


def mcp_stdio(settings: Settings, api_key: str | None) -> None:
    """Serve MCP on stdin/stdout with a service built from `settings`."""
    drafts = build_drafts(settings)
    ring, signer = build_access(settings, key_store_of(drafts.store))
    serve_stdio(settings, drafts, ring, signer, api_key)
