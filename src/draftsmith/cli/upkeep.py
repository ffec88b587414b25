"""`draftsmith gc`, `draftsmith backup DEST` and `draftsmith restore-backup SRC`: keeping a
deployment tidy and safe, from the machine that holds its data (docs/deploying.md)."""

from __future__ import annotations

from pathlib import Path

import click

from draftsmith.bootstrap import open_blobs, open_store
from draftsmith.cli.options import data_dir_option, database_url_option
from draftsmith.cli.output import Output
from draftsmith.config import Settings
from draftsmith.upkeep.backup import backup, restore
from draftsmith.upkeep.collect import collect_garbage

_json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")


@click.command("gc")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@click.option(
    "--grace-seconds",
    type=click.IntRange(min=0),
    default=None,
    help="Spare files younger than this; default: DRAFTSMITH_GC_GRACE_SECONDS (a day).",
)
@database_url_option
@data_dir_option
@_json_option
def gc_command(
    dry_run: bool,
    grace_seconds: int | None,
    database_url: str | None,
    data_dir: Path,
    as_json: bool,
) -> None:
    """Delete the files no draft, saved version, export or render references any more.

    Safe while servers run, and from several machines at once: files younger than the grace
    period, and media an edit asked for within it, are kept.
    """
    out = Output(as_json)
    with out.guard():
        settings = Settings(data_dir=data_dir, database_url=database_url)
        grace = settings.gc_grace_seconds if grace_seconds is None else grace_seconds
        store = open_store(settings)
        try:
            report = collect_garbage(
                store, open_blobs(settings), grace_seconds=grace, dry_run=dry_run
            )
        finally:
            store.close()
    out.result(report, report.summary())


@click.command("backup")
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
@data_dir_option
@database_url_option
@_json_option
def backup_command(
    destination: Path, data_dir: Path, database_url: str | None, as_json: bool
) -> None:
    """Copy the SQLite store and the files it references into DESTINATION (new or empty),
    while servers keep running. PostgreSQL and S3 deployments use pg_dump and bucket
    versioning instead."""
    out = Output(as_json)
    with out.guard():
        report = backup(Settings(data_dir=data_dir, database_url=database_url), destination)
    if report.missing:
        out.note(f"warning: {len(report.missing)} referenced files were not in {data_dir}")
    out.result(report, f"{report.summary('copied')} to {destination}")


@click.command("restore-backup")
@click.argument("source", type=click.Path(file_okay=False, exists=True, path_type=Path))
@data_dir_option
@database_url_option
@_json_option
def restore_command(source: Path, data_dir: Path, database_url: str | None, as_json: bool) -> None:
    """Bring a backup made by `draftsmith backup` back into an empty data directory, checking
    every file's hash."""
    out = Output(as_json)
    with out.guard():
        report = restore(Settings(data_dir=data_dir, database_url=database_url), source)
    out.result(report, f"{report.summary('restored')} into {data_dir}")
