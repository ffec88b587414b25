"""The command line: `draftsmith serve` and friends."""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from types import FrameType

import click
import uvicorn

from draftsmith.config import Settings
from draftsmith.errors import DraftsmithError
from draftsmith.store.migrations import migrate_database
from draftsmith.web.app import create_app


@click.group()
@click.version_option(package_name="draftsmith")
def main() -> None:
    """draftsmith: durable, versioned CapCut/Jianying drafts over HTTP."""


@main.command()
@click.option("--host", envvar="DRAFTSMITH_HOST", default="127.0.0.1", show_default=True)
@click.option("--port", envvar="DRAFTSMITH_PORT", default=8000, type=int, show_default=True)
@click.option(
    "--data-dir",
    envvar="DRAFTSMITH_DATA_DIR",
    default="./data",
    type=click.Path(file_okay=False, path_type=Path),
    show_default=True,
)
@click.option("--public-url", envvar="DRAFTSMITH_PUBLIC_URL", default=None)
def serve(host: str, port: int, data_dir: Path, public_url: str | None) -> None:
    """Start the HTTP server (SQLite and files in the data directory by default)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings(host=host, port=port, data_dir=data_dir, public_url=public_url)
    app = create_app(settings)
    # uvicorn re-raises the SIGTERM it shut down on once it is done, which would end a clean,
    # graceful stop with "killed by signal" (exit 143); supervisors should see 0 instead.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=30)


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


@main.command()
@click.option(
    "--database-url",
    envvar="DRAFTSMITH_DATABASE_URL",
    default=None,
    help="postgresql://... or sqlite:///path; default: SQLite in the data directory.",
)
@click.option(
    "--data-dir",
    envvar="DRAFTSMITH_DATA_DIR",
    default="./data",
    type=click.Path(file_okay=False, path_type=Path),
    show_default=True,
)
def migrate(database_url: str | None, data_dir: Path) -> None:
    """Apply pending schema migrations to the store and print its schema version."""
    settings = Settings(data_dir=data_dir, database_url=database_url)
    try:
        version = migrate_database(settings)
    except DraftsmithError as exc:
        click.echo(f"error: {exc.detail}", err=True)
        raise SystemExit(exc.exit_code) from exc
    click.echo(f"schema version {version}")
