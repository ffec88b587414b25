"""The command line: `draftsmith serve` and friends."""

from __future__ import annotations

import faulthandler
import gc
import logging
import signal
from pathlib import Path
from types import FrameType

import click
import uvicorn

from draftsmith.bootstrap import build_drafts, http_app, http_logging, mcp_logging, mcp_stdio
from draftsmith.cli.client_commands import register_client_commands, server_render
from draftsmith.cli.editor import install_command, validate_command
from draftsmith.cli.keys import exposure_warning, keys
from draftsmith.cli.options import data_dir_option, database_url_option
from draftsmith.cli.output import Output
from draftsmith.cli.upkeep import backup_command, gc_command, restore_command
from draftsmith.cli.worker import worker
from draftsmith.client import DEFAULT_SERVER
from draftsmith.config import Settings
from draftsmith.render import render_draft
from draftsmith.render.report import RenderReport
from draftsmith.render.runner import sticker_pictures
from draftsmith.security.caller import UNRESTRICTED
from draftsmith.store.migrations import migrate_database
from draftsmith.web.collector import pace_collections


@click.group()
@click.version_option(package_name="draftsmith")
def main() -> None:
    """draftsmith: durable, versioned CapCut/Jianying drafts over HTTP."""


@main.command()
@click.option("--host", envvar="DRAFTSMITH_HOST", default="127.0.0.1", show_default=True)
@click.option("--port", envvar="DRAFTSMITH_PORT", default=8000, type=int, show_default=True)
@data_dir_option
@click.option("--public-url", envvar="DRAFTSMITH_PUBLIC_URL", default=None)
def serve(host: str, port: int, data_dir: Path, public_url: str | None) -> None:
    """Start the HTTP server (SQLite and files in the data directory by default)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    http_logging()
    settings = Settings(host=host, port=port, data_dir=data_dir, public_url=public_url)
    with Output().guard():
        app = http_app(settings)
    # What start-up loaded (catalogues, schemas, the app) lives as long as the process: kept
    # out of the garbage collector's full passes, which otherwise scan it all, a pause of a
    # tenth of a second on a small machine in the middle of whichever request triggers one.
    gc.freeze()
    # Objects made later that live long (the caches of drafts) are frozen as they come.
    pace_collections()
    warning = exposure_warning(host, app.state.keys.enabled())
    if warning is not None:
        click.echo(warning, err=True)
        logging.getLogger("draftsmith").warning("listening on %s without API keys", host)
    # uvicorn re-raises the SIGTERM it shut down on once it is done, which would end a clean,
    # graceful stop with "killed by signal" (exit 143); supervisors should see 0 instead.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    # `kill -USR1` prints every thread's stack to stderr: what a stuck request waits for.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    # The access log of web/access_log.py replaces uvicorn's, which would log query strings.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        timeout_graceful_shutdown=30,
        # Forwarded headers are believed only from the proxies the settings name: uvicorn's
        # default trusts any peer on loopback, which lets a local proxy's clients spoof theirs.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
    )


def _exit_cleanly(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


@main.command()
@database_url_option
@data_dir_option
def migrate(database_url: str | None, data_dir: Path) -> None:
    """Apply pending schema migrations to the store and print its schema version."""
    settings = Settings(data_dir=data_dir, database_url=database_url)
    with Output().guard():
        version = migrate_database(settings)
    click.echo(f"schema version {version}")


@main.command("mcp")
@data_dir_option
@database_url_option
@click.option(
    "--public-url",
    envvar="DRAFTSMITH_PUBLIC_URL",
    default=None,
    help="Where `draftsmith serve` on the same store is reached: download links point there.",
)
@click.option(
    "--api-key",
    envvar="DRAFTSMITH_MCP_API_KEY",
    default=None,
    help="Act as this API key (see only its drafts); default: the local user, unrestricted.",
)
@click.option(
    "--strict",
    is_flag=True,
    envvar="DRAFTSMITH_STRICT",
    help="Refuse what the tools would otherwise adjust and report as warnings.",
)
def mcp(
    data_dir: Path,
    database_url: str | None,
    public_url: str | None,
    api_key: str | None,
    strict: bool,
) -> None:
    """Serve the MCP tools over stdio, for an MCP client that starts draftsmith itself."""
    mcp_logging()
    settings = Settings(
        data_dir=data_dir, database_url=database_url, public_url=public_url, strict=strict
    )
    with Output().guard():
        mcp_stdio(settings, api_key)


@main.command()
@click.argument("draft_id")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@data_dir_option
@click.option("--version", type=int, default=None, help="Saved version; default: the latest.")
@click.option(
    "--server",
    envvar="DRAFTSMITH_SERVER",
    default=None,
    help="Render on this draftsmith server (gen_video) instead of on this machine.",
)
@click.option("--api-key", envvar="DRAFTSMITH_API_KEY", default=None, help="With --server.")
@click.pass_context
def render(
    ctx: click.Context,
    draft_id: str,
    output: Path,
    data_dir: Path,
    version: int | None,
    server: str | None,
    api_key: str | None,
) -> None:
    """Render a saved version of a draft to an MP4 file, with a progress bar.

    Locally with ffmpeg from the data directory by default; on a server with --server (or when
    DRAFT_ID is a draft_url).
    """
    if server or draft_id.startswith(("http://", "https://")):
        ctx.invoke(
            server_render,
            draft=draft_id,
            output=output,
            version=version,
            server=server or DEFAULT_SERVER,
            api_key=api_key,
        )
        return
    reports: list[RenderReport] = []
    with Output().guard():
        settings = Settings(data_dir=data_dir)
        drafts = build_drafts(settings)
        try:
            # Local administration: whoever can run this can read the database anyway.
            record, draft = drafts.snapshot(UNRESTRICTED, draft_id, version)
            label = f"{draft_id} v{record.version}"
            with (
                drafts.local_media(draft) as media,
                click.progressbar(length=100, label=label, show_percent=True) as bar,
            ):
                render_draft(
                    draft,
                    media,
                    output,
                    progress=lambda p: bar.update(p - bar.pos),
                    planned=reports.append,
                    stickers=sticker_pictures(draft, settings.render_sticker_images),
                )
        finally:
            drafts.close()
    click.echo(f"wrote {output}")
    for entry in (e for report in reports for e in report.entries if e.drawn != "exact"):
        what = " ".join(filter(None, (entry.feature.value, entry.name)))
        count = len(entry.segment_ids)
        drawn = entry.drawn.value.replace("_", " ")
        click.echo(f"{drawn}: {what}: {entry.how} ({count} segment{'s' * (count != 1)})")


# The commands that drive a server over HTTP: new, add-*, save, info, versions, ...
register_client_commands(main)

# Desktop editor side: check a draft folder or zip, install one into Jianying/CapCut.
main.add_command(validate_command)
main.add_command(install_command)

# API keys in the configured store.
main.add_command(keys)

# Render workers without the HTTP server, for scale-out.
main.add_command(worker)

# Running it: garbage collection, backups of the embedded store.
main.add_command(gc_command)
main.add_command(backup_command)
main.add_command(restore_command)
