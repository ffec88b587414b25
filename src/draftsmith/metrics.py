"""What a running draftsmith counts, for GET /metrics in the Prometheus text format.

One `Metrics` per service, built by the composition root with a registry of its own (never
prometheus-client's global one), so several apps in one process do not collide. Every label
takes a bounded set of values: route templates, status codes, error codes, job states; never a
draft id or a URL.

Counters count what this process did; a Prometheus server adds up the processes of a
deployment. Render jobs by state and the queue depth are read from the store at each scrape,
so every process reports the same, shared numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from draftsmith.errors import DraftsmithError

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
RENDER_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600, 7200)
JOB_STATES = ("pending", "processing", "completed", "failed", "cancelled")


class Metrics:
    """The instruments, registered on `registry` (a new one by default)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        reg = self.registry
        self.requests = Counter(
            "draftsmith_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=reg,
        )
        self.request_seconds = Histogram(
            "draftsmith_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template, method and status.",
            ["route", "method", "status"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.saves = Counter(
            "draftsmith_saves",
            "save_draft calls that succeeded, by whether they published a new version.",
            ["outcome"],
            registry=reg,
        )
        self.versions_created = Counter(
            "draftsmith_versions_created", "Saved versions published.", registry=reg
        )
        self.edits = Counter(
            "draftsmith_edits",
            "Edits applied to drafts: a track stacked, or the tracks changed in place.",
            ["kind"],
            registry=reg,
        )
        self.media_fetched = Counter(
            "draftsmith_media_fetched", "Media files downloaded and kept.", registry=reg
        )
        self.media_fetched_bytes = Counter(
            "draftsmith_media_fetched_bytes",
            "Bytes of media files downloaded and kept.",
            registry=reg,
        )
        self.media_fetch_failures = Counter(
            "draftsmith_media_fetch_failures",
            "Media downloads that failed, by error code.",
            ["reason"],
            registry=reg,
        )
        self.render_seconds = Histogram(
            "draftsmith_render_duration_seconds",
            "Time render workers of this process spent on a render, by how it ended.",
            ["outcome"],
            buckets=RENDER_BUCKETS,
            registry=reg,
        )
        self.store_errors = Counter(
            "draftsmith_store_errors",
            "Database transactions that failed, by whether they wrote.",
            ["operation"],
            registry=reg,
        )
        self.blob_errors = Counter(
            "draftsmith_blob_store_errors",
            "File store calls that failed, by call.",
            ["operation"],
            registry=reg,
        )
        self.rate_limited = Counter(
            "draftsmith_rate_limited",
            "Calls refused by a rate limit, by limit.",
            ["scope"],
            registry=reg,
        )
        self.gc_freed_blobs = Counter(
            "draftsmith_gc_freed_blobs",
            "Unreferenced files garbage collection deleted.",
            registry=reg,
        )
        self.gc_freed_bytes = Counter(
            "draftsmith_gc_freed_bytes", "Bytes garbage collection freed.", registry=reg
        )

    def watch_render_jobs(self, counts: Callable[[], dict[str, int]]) -> None:
        """Report render jobs by state, and the queue depth, as `counts` reads them from the
        store at each scrape."""
        self.registry.register(_JobCollector(counts))

    def store_error(self, operation: str) -> None:
        self.store_errors.labels(operation).inc()

    def blob_error(self, operation: str) -> None:
        self.blob_errors.labels(operation).inc()


class _JobCollector(Collector):
    def __init__(self, counts: Callable[[], dict[str, int]]) -> None:
        self._counts = counts

    def collect(self) -> Iterable[Metric]:
        try:
            counts = self._counts()
        except DraftsmithError:
            # The store's own error counter says why; the other metrics are still worth having.
            return []
        jobs = GaugeMetricFamily(
            "draftsmith_render_jobs", "Render jobs in the store, by state.", labels=["state"]
        )
        for state in JOB_STATES:
            jobs.add_metric([state], counts.get(state, 0))
        depth = GaugeMetricFamily(
            "draftsmith_render_queue_depth", "Render jobs waiting for a worker (pending)."
        )
        depth.add_metric([], counts.get("pending", 0))
        return [jobs, depth]

    def describe(self) -> Iterable[Metric]:
        # Described without reading the store: registering must not query it.
        return [
            GaugeMetricFamily("draftsmith_render_jobs", "", labels=["state"]),
            GaugeMetricFamily("draftsmith_render_queue_depth", ""),
        ]
