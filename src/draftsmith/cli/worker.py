"""`draftsmith worker`: render workers without the HTTP server, for scale-out.

API-only servers (DRAFTSMITH_RENDER_WORKERS=0) queue render jobs in the shared store; any
number of worker processes, on any machines sharing that PostgreSQL database and S3 bucket,
take them (docs/rendering.md).
"""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from types import FrameType

import click

from draftsmith.bootstrap import render_worker_pool
from draftsmith.cli.options import data_dir_option, database_url_option
from draftsmith.cli.output import Output
from draftsmith.config import Settings


@click.command()
@data_dir_option
@database_url_option
@click.option(
    "--workers",
    envvar="DRAFTSMITH_RENDER_WORKERS",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Renders run at once by this process.",
)
def worker(data_dir: Path, database_url: str | None, workers: int) -> None:
    """Take render jobs (gen_video) from the store and render them, until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    with Output().guard():
        settings = Settings(data_dir=data_dir, database_url=database_url, render_workers=workers)
        drafts, pool = render_worker_pool(settings)
    if pool is None:
        drafts.close()
        raise click.ClickException("this store keeps no render jobs")
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pool.start()
    click.echo(f"{workers} render worker(s) running; stop with Ctrl+C or SIGTERM", err=True)
    try:
        while not stopping.wait(1.0):
            pass
    finally:
        # Renders still running are cancelled; their jobs go back to the queue.
        pool.stop()
        drafts.close()
