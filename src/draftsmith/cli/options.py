"""Options that several commands share: where the store and the files are."""

from __future__ import annotations

from pathlib import Path

import click

data_dir_option = click.option(
    "--data-dir",
    envvar="DRAFTSMITH_DATA_DIR",
    default="./data",
    type=click.Path(file_okay=False, path_type=Path),
    show_default=True,
    help="Local files (and the SQLite store when no database URL is given).",
)

database_url_option = click.option(
    "--database-url",
    envvar="DRAFTSMITH_DATABASE_URL",
    default=None,
    help="postgresql://... or sqlite:///path; default: SQLite in the data directory.",
)
