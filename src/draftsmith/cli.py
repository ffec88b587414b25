"""The command line: `draftsmith serve` and friends."""

from __future__ import annotations

import logging
from pathlib import Path

import click
import uvicorn

from draftsmith.config import Settings
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
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=30)
