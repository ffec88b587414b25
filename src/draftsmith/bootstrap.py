"""The composition root: settings -> store, blobs, media library, the two save caches,
service, key ring, link signer and render workers, built once here and handed to every front
end (HTTP, MCP, CLI, render workers, tests).

Nothing is created at import time anywhere else; caches are built here and passed in (`wire`
says how the two depend on each other).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass

from fastapi import FastAPI

from draftsmith.blobs.counted import CountedBlobs
from draftsmith.blobs.local import LocalBlobStore
from draftsmith.blobs.port import BlobStore
from draftsmith.blobs.s3 import S3BlobStore
from draftsmith.capcut.encode import FragmentCache
from draftsmith.catalogue import operator as operator_catalogue
from draftsmith.config import Settings
from draftsmith.mcp_server.http import mount_mcp
from draftsmith.mcp_server.stdio import configure_logging as configure_mcp_logging
from draftsmith.mcp_server.stdio import serve_stdio
from draftsmith.media.budget import MediaBudget
from draftsmith.media.fetch import FetchLimits, parse_allowlist
from draftsmith.media.library import MediaLibrary
from draftsmith.metrics import Metrics
from draftsmith.ratelimit import Limiter, RateLimiter, SharedRateLimiter
from draftsmith.render.worker import RenderWorkers, WorkerSettings
from draftsmith.security.keys import KeyRing
from draftsmith.security.signing import UrlSigner, signing_secret
from draftsmith.service import Drafts, Policy
from draftsmith.store.codec import track_run
from draftsmith.store.migrations import is_postgres_url, sqlite_path
from draftsmith.store.port import DraftStore, JobStore, KeyStore, UpkeepStore
from draftsmith.store.postgres import PostgresDraftStore
from draftsmith.store.sqlite import SqliteDraftStore
from draftsmith.store.track_cache import TrackCache
from draftsmith.store.upkeep import SqlUpkeep
from draftsmith.turns import Turns
from draftsmith.upkeep.collect import collect_garbage
from draftsmith.upkeep.periodic import Periodic
from draftsmith.upkeep.readiness import Probe, Readiness
from draftsmith.web.access_log import configure_access_log
from draftsmith.web.app import create_app
from draftsmith.web.threads import taking_turns


def open_store(
    settings: Settings, tracks: TrackCache | None = None
) -> SqliteDraftStore | PostgresDraftStore:
    """The store the settings choose: PostgreSQL for a postgresql:// URL, else SQLite; its
    tracks are read through `tracks` (None: no cache, as the `keys` commands need none)."""
    url = settings.database_url
    if url is not None and is_postgres_url(url):
        return PostgresDraftStore(url, tracks=tracks)
    return SqliteDraftStore(sqlite_path(settings), tracks=tracks)


def open_blobs(settings: Settings) -> BlobStore:
    """The blob store the settings choose: an S3 bucket, else the data directory."""
    if settings.s3_bucket:
        return S3BlobStore.from_settings(settings)
    return LocalBlobStore(settings.data_dir)


@dataclass(frozen=True)
class Wiring:
    """The service and the adapters it was built over. Front ends drive `drafts` only; this
    module hands the adapters to what runs beside the service: the key ring, render workers."""

    drafts: Drafts
    store: DraftStore
    blobs: BlobStore
    metrics: Metrics
    turns: Turns
    """The request turns the server's endpoints take (web/threads.py), which a media fetch
    gives up while it waits."""

    def key_store(self) -> KeyStore:
        if isinstance(self.store, KeyStore):
            return self.store
        raise TypeError("pass keys= when the drafts' store keeps no API keys")

    def render_workers(self, settings: Settings) -> RenderWorkers | None:
        """The pool a process runs beside the service (woken by each gen_video), or None when
        the settings ask for no workers here (DRAFTSMITH_RENDER_WORKERS=0) or the store keeps
        no render jobs."""
        if settings.render_workers == 0 or not isinstance(self.store, JobStore):
            return None
        pool = RenderWorkers(
            self.store,
            self.store,
            self.blobs,
            WorkerSettings.from_settings(settings),
            metrics=self.metrics,
        )
        self.drafts.on_render_queued(pool.wake)
        return pool

    def readiness(self, settings: Settings, workers: RenderWorkers | None) -> Readiness:
        """What /readyz checks: the database, the file store and the render workers."""

        def database() -> None:
            self.store.ping()

        def file_store() -> None:
            self.blobs.ready()

        def render_workers() -> str:
            return "none in this process" if workers is None else workers.health()

        probes: list[tuple[str, Probe]] = [
            ("database", database),
            ("blob_store", file_store),
            ("render_workers", render_workers),
        ]
        return Readiness(probes, settings.ready_slow_seconds)


def build_drafts(
    settings: Settings, *, store: DraftStore | None = None, blobs: BlobStore | None = None
) -> Drafts:
    """The service with the adapters the settings choose, unless adapters are given."""
    return wire(settings, store=store, blobs=blobs).drafts


def wire(
    settings: Settings, *, store: DraftStore | None = None, blobs: BlobStore | None = None
) -> Wiring:
    """The service with the adapters the settings choose, unless adapters are given; the
    operator catalogues the settings name are read first (InvalidSettings).

    Two caches make saving a long draft again cost what changed, not the whole draft, and
    they work as a pair: the store's `TrackCache` hands back the very same Track objects for
    tracks whose stored JSON did not change, and the folder encoder's `FragmentCache`, keyed
    by track identity, then reuses their encoded timeline fragments; without the first the
    second never hits. A store passed in brings its own TrackCache or none: without one the
    service works the same, but every save encodes every track again.
    """
    catalogue = operator_catalogue.from_settings(settings)
    tracks: TrackCache | None = None
    if store is None:
        tracks = TrackCache()
        store = open_store(settings, tracks)
    if blobs is None:
        blobs = open_blobs(settings)
    # One registry per service: several apps in one process (tests) never share instruments.
    metrics = Metrics()
    blobs = CountedBlobs(blobs, metrics.blob_error)
    if isinstance(store, SqlUpkeep):
        store.on_error(metrics.store_error)
        metrics.watch_render_jobs(store.render_job_counts)
    limits = FetchLimits(
        max_bytes=settings.media_max_bytes,
        total_seconds=settings.media_timeout_seconds,
        connect_seconds=settings.media_connect_timeout_seconds,
        allow_private=settings.allow_private_urls,
        first_hop_allowlist=parse_allowlist(settings.private_url_allowlist),
    )
    save_limits = [
        ("draft", save_limiter(settings, store, "draft", settings.save_rate_per_draft)),
        ("client", save_limiter(settings, store, "client", settings.save_rate_per_client)),
    ]
    policy = Policy(
        keep_versions=settings.keep_versions,
        maintenance=settings.maintenance,
        max_items=settings.max_items_per_request,
        max_segments=settings.max_segments_per_draft,
        max_caption_chars=settings.max_caption_chars,
        max_drafts_per_key=settings.max_drafts_per_key,
        max_renders_per_key=settings.max_renders_per_key,
        render_max_us=round(settings.render_max_seconds * 1_000_000),
        render_max_width=settings.render_max_width,
        render_max_height=settings.render_max_height,
        render_max_pixels=settings.render_max_pixels,
        render_budget_us=settings.render_seconds_per_hour * 1_000_000,
        idempotency_keep_us=settings.idempotency_keep_seconds * 1_000_000,
    )
    turns = Turns(settings.request_concurrency)
    drafts = Drafts(
        store,
        blobs,
        MediaLibrary(
            store,
            blobs,
            limits,
            media_budget(settings),
            metrics=metrics,
            # Half the grace period (at most an hour): a mark that old still spares the media.
            mark_every_us=min(settings.gc_grace_seconds // 2, 3600) * 1_000_000,
            away=turns.away,
        ),
        policy,
        save_limits,
        operator_catalogue=catalogue,
        fragments=FragmentCache(),
        metrics=metrics,
        track_runs=track_run if tracks is None else tracks.run,
    )
    return Wiring(drafts, store, blobs, metrics, turns)


def save_limiter(settings: Settings, store: DraftStore, scope: str, rate: float) -> Limiter:
    """The save limit of one scope: kept in this process with SQLite (one process serves a
    data directory), in the database with PostgreSQL, so that with several processes a
    draft's limit holds in total, not per process."""
    shared = settings.database_url is not None and is_postgres_url(settings.database_url)
    if shared and isinstance(store, UpkeepStore):
        return SharedRateLimiter(store, scope, rate, settings.rate_burst)
    return RateLimiter(rate, settings.rate_burst)


def media_budget(settings: Settings) -> MediaBudget:
    """What one media file may cost to fetch and probe, as the settings say."""
    return MediaBudget(
        max_pixels=settings.media_max_pixels,
        max_side=settings.media_max_side,
        concurrency=settings.media_concurrency,
    )


def build_access(settings: Settings, key_store: KeyStore) -> tuple[KeyRing, UrlSigner]:
    """The API keys requests are checked against, and the signer of download links: the same
    for the HTTP API, MCP over HTTP and MCP over stdio."""
    ring = KeyRing(key_store, [key.get_secret_value() for key in settings.api_keys])
    signer = UrlSigner(
        signing_secret(settings.signing_secret, key_store), settings.link_ttl_seconds
    )
    return ring, signer


def http_app(
    settings: Settings,
    *,
    store: DraftStore | None = None,
    blobs: BlobStore | None = None,
    keys: KeyStore | None = None,
) -> FastAPI:
    """The API server's application, MCP over HTTP at /mcp and render workers included.
    `store` and `blobs` default to those the settings choose; `keys` to the store, which keeps
    API keys too."""
    wiring = wire(settings, store=store, blobs=blobs)
    drafts = wiring.drafts
    ring, signer = build_access(settings, keys if keys is not None else wiring.key_store())
    workers = wiring.render_workers(settings)

    def rendering(app: FastAPI) -> AbstractAsyncContextManager[None]:
        @asynccontextmanager
        async def running() -> AsyncIterator[None]:
            with _running(drafts, workers):
                yield

        return running()

    def mcp(app: FastAPI) -> AbstractAsyncContextManager[None]:
        # MCP over streamable HTTP at /mcp: the same service, keys and errors as the verbs.
        sessions = mount_mcp(app, settings, drafts, ring, signer)

        @asynccontextmanager
        async def running() -> AsyncIterator[None]:
            async with sessions.run():
                yield

        return running()

    def collecting(app: FastAPI) -> AbstractAsyncContextManager[None]:
        @asynccontextmanager
        async def running() -> AsyncIterator[None]:
            periodic = garbage_collection(settings, wiring)
            if periodic is not None:
                periodic.start()
            try:
                yield
            finally:
                if periodic is not None:
                    periodic.stop()

        return running()

    return create_app(
        settings,
        drafts,
        ring,
        signer,
        parts=[taking_turns(wiring.turns), rendering, mcp, collecting],
        metrics=wiring.metrics,
        readiness=wiring.readiness(settings, workers),
    )


def garbage_collection(settings: Settings, wiring: Wiring) -> Periodic | None:
    """The server's periodic garbage collection, or None when the settings turn it off
    (DRAFTSMITH_GC_INTERVAL_SECONDS=0, the default) or the store cannot say what it uses."""
    store = wiring.store
    if settings.gc_interval_seconds <= 0 or not isinstance(store, UpkeepStore):
        return None

    def run() -> None:
        collect_garbage(
            store, wiring.blobs, grace_seconds=settings.gc_grace_seconds, metrics=wiring.metrics
        )

    return Periodic("garbage-collection", run, settings.gc_interval_seconds)


@contextmanager
def _running(drafts: Drafts, workers: RenderWorkers | None) -> Iterator[None]:
    """Render workers running for as long as a server does. On leaving, new writes are
    refused first; then running renders are cancelled and their jobs queued again for the
    next start."""
    if workers is not None:
        workers.start()
    try:
        yield
    finally:
        drafts.begin_shutdown()
        if workers is not None:
            workers.stop()


def render_worker_pool(settings: Settings) -> tuple[Drafts, RenderWorkers | None]:
    """For `draftsmith worker`: the service, and the pool that renders its jobs (None when the
    store keeps no render jobs)."""
    wiring = wire(settings)
    return wiring.drafts, wiring.render_workers(settings)


def http_logging() -> None:
    """The server's access log (it replaces uvicorn's, which would log query strings)."""
    configure_access_log()


def mcp_logging() -> None:
    """Log to stderr only: stdout carries the MCP protocol."""
    configure_mcp_logging()


def mcp_stdio(settings: Settings, api_key: str | None) -> None:
    """Serve MCP on stdin/stdout with a service built from `settings`, and render workers:
    gen_video only queues a job, which without workers here would wait for a server."""
    wiring = wire(settings)
    drafts = wiring.drafts
    ring, signer = build_access(settings, wiring.key_store())
    beside = _running(drafts, wiring.render_workers(settings))
    serve_stdio(settings, drafts, ring, signer, api_key, beside=beside)
