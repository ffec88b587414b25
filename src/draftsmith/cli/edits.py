"""Client commands of the editing verbs beyond media and captions: `add-effect`, `add-filter`,
`add-mask`, `add-keyframe`, `add-sticker` and `text-style`, registered with the others by
`draftsmith.cli.client_commands`. Names (effects, filters, masks) are the server's catalogue's."""

from __future__ import annotations

import click

from draftsmith.cli.output import TIME, Output, client_command, seconds
from draftsmith.client import (
    Client,
    EditResult,
    Effect,
    Filter,
    Keyframe,
    Mask,
    Sticker,
)

FRACTION = click.FloatRange(0.0, 1.0)
START = click.option("--start", type=TIME, default=0, help="Timeline start (us, or 3s / 250ms).")
END = click.option("--end", type=TIME, required=True, help="Timeline end (us, or 3s / 250ms).")


def edited(out: Output, result: EditResult, what: str) -> None:
    """Print what an add_* call put on which track, and that it is not saved yet."""
    spans = ", ".join(f"{seconds(s.start)}-{seconds(s.end)}" for s in result.segments)
    out.result(
        result,
        f"added {what} on track {result.track_id}: {spans} "
        f"(revision {result.current_version}, not saved yet)",
    )


@click.command("add-effect")
@click.argument("draft")
@click.argument("title")
@START
@END
@client_command
def add_effect(client: Client, out: Output, draft: str, title: str, start: int, end: int) -> None:
    """Add the scene or character effect TITLE to DRAFT from --start to --end."""
    edited(out, client.add_effects(draft, [Effect(title, start, end)]), "effect")


@click.command("add-filter")
@click.argument("draft")
@click.argument("title")
@START
@END
@click.option("--intensity", type=click.FloatRange(0, 100), default=100.0, show_default=True)
@client_command
def add_filter(
    client: Client, out: Output, draft: str, title: str, start: int, end: int, intensity: float
) -> None:
    """Add the filter TITLE to DRAFT from --start to --end."""
    edited(out, client.add_filters(draft, [Filter(title, start, end, intensity)]), "filter")


@click.command("add-mask")
@click.argument("draft")
@click.argument("name")
@click.option(
    "--segment",
    "segment_ids",
    multiple=True,
    required=True,
    help="A video or image segment id to mask; repeat for several.",
)
@click.option("--x", type=FRACTION, default=0.5, show_default=True, help="Centre, 0 left-1 right.")
@click.option("--y", type=FRACTION, default=0.5, show_default=True, help="Centre, 0 top-1 bottom.")
@click.option("--width", type=FRACTION, required=True, help="Fraction of the video's width.")
@click.option("--height", type=FRACTION, required=True, help="Fraction of the video's height.")
@click.option("--feather", type=FRACTION, default=0.0, show_default=True)
@click.option("--rotation", type=click.FloatRange(-360, 360), default=0.0, show_default=True)
@click.option("--invert", is_flag=True, help="Show what is outside the shape.")
@click.option("--round-corner", type=FRACTION, default=0.0, show_default=True)
@client_command
def add_mask(
    client: Client,
    out: Output,
    draft: str,
    name: str,
    segment_ids: tuple[str, ...],
    x: float,
    y: float,
    width: float,
    height: float,
    feather: float,
    rotation: float,
    invert: bool,
    round_corner: float,
) -> None:
    """Mask the --segment video segments of DRAFT with the shape NAME (circle, heart...)."""
    mask = Mask(name, x, y, width, height, feather, rotation, invert, round_corner)
    result = client.add_masks(draft, segment_ids, mask)
    out.result(
        result,
        f"masked {result.masks_added} segment(s): {', '.join(result.affected_segments)} "
        f"(revision {result.current_version}, not saved yet)",
    )


@click.command("add-keyframe")
@click.argument("draft")
@click.argument("prop", metavar="PROPERTY")
@click.option("--time", type=TIME, required=True, help="From the segment's start (us, or 1s).")
@click.option("--value", type=float, required=True, help="The property's value at --time.")
@click.option("--segment", default=None, help="Segment id; default: every video segment.")
@client_command
def add_keyframe(
    client: Client,
    out: Output,
    draft: str,
    prop: str,
    time: int,
    value: float,
    segment: str | None,
) -> None:
    """Set PROPERTY (opacity, scale.x, position.y, rotation, volume...) of DRAFT's video
    segments to --value at --time."""
    result = client.add_keyframes(draft, [Keyframe(prop, time, value, segment)])
    out.result(
        result,
        f"set {result.keyframes_added} keyframe(s) on {', '.join(result.affected_segments)} "
        f"(revision {result.current_version}, not saved yet)",
    )


@click.command("add-sticker")
@click.argument("draft")
@click.argument("sticker_id")
@START
@END
@click.option("--scale", type=click.FloatRange(0, 100, min_open=True), default=1.0)
@click.option("--x", "transform_x", type=float, default=0.0, help="Pixels right of the centre.")
@click.option("--y", "transform_y", type=float, default=0.0, help="Pixels below the centre.")
@click.option(
    "--image-url",
    default=None,
    help="A picture of the sticker (PNG, WebP, GIF, JPEG) for server renders to draw.",
)
@client_command
def add_sticker(
    client: Client,
    out: Output,
    draft: str,
    sticker_id: str,
    start: int,
    end: int,
    scale: float,
    transform_x: float,
    transform_y: float,
    image_url: str | None,
) -> None:
    """Add the editor's sticker STICKER_ID to DRAFT from --start to --end."""
    sticker = Sticker(sticker_id, start, end, scale, transform_x, transform_y, image_url)
    result = client.add_sticker(draft, sticker)
    out.result(
        result,
        f"added sticker {result.sticker_id} on track {result.track_id}: "
        f"{seconds(start)}-{seconds(start + result.duration)} "
        f"(revision {result.current_version}, not saved yet)",
    )


@click.command("text-style")
@click.argument("text")
@click.argument("keyword")
@click.option("--font-size", type=click.FloatRange(1, 500), default=12.0, show_default=True)
@click.option("--keyword-color", default="#ff7100", show_default=True, help="#rrggbb.")
@click.option("--keyword-font-size", type=click.FloatRange(1, 500), default=15.0)
@client_command
def text_style(
    client: Client,
    out: Output,
    text: str,
    keyword: str,
    font_size: float,
    keyword_color: str,
    keyword_font_size: float,
) -> None:
    """Print the rich-text style of TEXT with each word of KEYWORD ("a|b") highlighted."""
    style = client.add_text_style(
        text,
        keyword,
        font_size=font_size,
        keyword_color=keyword_color,
        keyword_font_size=keyword_font_size,
    )
    out.result({"text_style": style}, style)


EDIT_COMMANDS: tuple[click.Command, ...] = (
    add_effect,
    add_filter,
    add_mask,
    add_keyframe,
    add_sticker,
    text_style,
)
