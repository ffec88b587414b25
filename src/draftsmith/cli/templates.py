"""`draftsmith fill-template`: a new draft from a template draft on the server, its caption
texts and media replaced in one request; registered with the other client commands by
`draftsmith.cli.client_commands`."""

from __future__ import annotations

from collections.abc import Callable

import click

from draftsmith.cli.output import Output, client_command
from draftsmith.client import Client, MediaFill, TextFill
from draftsmith.errors import InvalidSpec


def _pairs(values: tuple[str, ...], option: str) -> list[tuple[str, str]]:
    """KEY=VALUE options split at their first `=`."""
    pairs = []
    for value in values:
        key, sign, rest = value.partition("=")
        if not sign or not key:
            raise click.BadParameter(f"{value!r} is not KEY=VALUE", param_hint=option)
        pairs.append((key, rest))
    return pairs


@click.command("fill-template")
@click.argument("template")
@click.option(
    "--set",
    "placeholders",
    multiple=True,
    metavar="PLACEHOLDER=TEXT",
    help="Replace PLACEHOLDER ({{title}}) wherever a caption holds it. Repeatable.",
)
@click.option(
    "--segment-text",
    multiple=True,
    metavar="SEGMENT_ID=TEXT",
    help="Set the whole text of the caption segment SEGMENT_ID. Repeatable.",
)
@click.option(
    "--material-text",
    multiple=True,
    metavar="MATERIAL_ID=TEXT",
    help="Set the whole text of the captions of material MATERIAL_ID. Repeatable.",
)
@click.option(
    "--media",
    "media_by_name",
    multiple=True,
    metavar="NAME=URL",
    help="Play the file at URL where the template plays the file called NAME. Repeatable.",
)
@click.option(
    "--material-media",
    multiple=True,
    metavar="MATERIAL_ID=URL",
    help="Play the file at URL in the segments of material MATERIAL_ID. Repeatable.",
)
@click.option(
    "--version",
    "version",
    type=click.IntRange(1),
    default=None,
    help="A saved version of the template; default: as it is now.",
)
@click.option("--name", default=None, help="The new draft's name; default: the template's.")
@client_command
def fill_template(
    client: Client,
    out: Output,
    template: str,
    placeholders: tuple[str, ...],
    segment_text: tuple[str, ...],
    material_text: tuple[str, ...],
    media_by_name: tuple[str, ...],
    material_media: tuple[str, ...],
    version: int | None,
    name: str | None,
) -> None:
    """Make a new draft from TEMPLATE (a draft_url or id) with caption texts and media
    replaced, all in one request; print its draft_url. The template is not changed."""
    texts: list[TextFill] = []
    media: list[MediaFill] = []
    # Problems and warnings point into the request (/texts/2): each is shown by its option.
    shown: dict[str, str] = {}

    def text(option: str, values: tuple[str, ...], make: Callable[[str, str], TextFill]) -> None:
        for key, value in _pairs(values, option):
            shown[f"/texts/{len(texts)}"] = f"{option} {key}"
            texts.append(make(key, value))

    def file(option: str, values: tuple[str, ...], make: Callable[[str, str], MediaFill]) -> None:
        for key, url in _pairs(values, option):
            shown[f"/media/{len(media)}"] = f"{option} {key}"
            media.append(make(key, url))

    text("--set", placeholders, lambda key, value: TextFill(value, placeholder=key))
    text("--segment-text", segment_text, lambda key, value: TextFill(value, segment_id=key))
    text("--material-text", material_text, lambda key, value: TextFill(value, material_id=key))
    file("--media", media_by_name, lambda key, url: MediaFill(url, name=key))
    file("--material-media", material_media, lambda key, url: MediaFill(url, material_id=key))
    if not texts and not media:
        raise click.UsageError(
            "give at least one of --set, --segment-text, --material-text, --media or "
            "--material-media"
        )

    def where(pointer: str) -> str:
        head = "/".join(pointer.split("/")[:3])
        return shown.get(head, pointer) + pointer[len(head) :]

    try:
        made = client.fill_template(template, texts, media, version=version, name=name)
    except InvalidSpec as exc:
        for pointer, message in exc.problems:
            out.note(f"{where(pointer)}: {message}")
        raise
    for warning in made.warnings:
        out.note(f"{where(warning.field)}: {warning.message}")
    counts = ", ".join(f"{r.target}: {r.count}" for r in made.replacements)
    out.note(f"replaced {counts} (not saved yet)")
    out.result(made, made.draft_url)
