"""`draftsmith import PATH` (a draft folder or its zip, uploaded; or a zip URL) and
`draftsmith relink-media`; registered with the other client commands by
`draftsmith.cli.client_commands`."""

from __future__ import annotations

import click

from draftsmith.cli.output import Output, client_command
from draftsmith.client import Client


@click.command("import")
@click.argument("source")
@click.option("--profile", default=None, help="Editor profile; default: the folder's own kind.")
@click.option("--name", default=None, help="A name for the new draft; default: the draft's.")
@client_command
def import_draft(
    client: Client, out: Output, source: str, profile: str | None, name: str | None
) -> None:
    """Import SOURCE (a draft folder, a .zip of one, or an http(s) URL of a zip) as a new
    draft and print its draft_url; missing media and other notes go to stderr."""
    imported = client.import_draft(source, profile=profile, name=name)
    for warning in imported.warnings:
        click.echo(f"note: {warning.message}", err=True)
    out.result(imported, imported.draft_url)


@click.command("relink-media")
@click.argument("draft")
@click.argument("material")
@click.argument("media_url")
@client_command
def relink_media(client: Client, out: Output, draft: str, material: str, media_url: str) -> None:
    """Attach MEDIA_URL to MATERIAL (a material id or file name) of an imported DRAFT."""
    result = client.relink_media(draft, material, media_url)
    out.result(result, f"relinked {len(result.segment_ids)} segment(s)")
