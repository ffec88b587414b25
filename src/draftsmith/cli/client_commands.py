"""Client commands of the `draftsmith` command line, built on `draftsmith.client.Client`.

`new`, `add-video|add-audio|add-image|add-caption`, `save`, `info`, `versions`, `restore`,
`export`, `server-render`, `cancel-render` and `compose` talk to a server (`--server`, or
DRAFTSMITH_SERVER) and take a draft_url or a bare draft id; so do the commands of the other
editing verbs, in `draftsmith.cli.edits`, and `fill-template` (`draftsmith.cli.templates`).
See `draftsmith.cli.output` for output and exit codes.
"""

from __future__ import annotations

import sys
import time
from dataclasses import asdict
from pathlib import Path

import click
import yaml

from draftsmith.cli.edits import EDIT_COMMANDS, edited
from draftsmith.cli.imports import import_draft, relink_media
from draftsmith.cli.output import TIME, Output, client_command, seconds
from draftsmith.cli.templates import fill_template
from draftsmith.client import (
    Audio,
    Caption,
    CaptionStyle,
    Client,
    DraftInfo,
    Image,
    RenderStatus,
    Unavailable,
    Video,
    draft_id_of,
)
from draftsmith.errors import InvalidSpec, RenderFailed
from draftsmith.timeline.limits import MAX_CANVAS_SIDE


@click.command("new")
@click.option("--width", default=1920, show_default=True, type=click.IntRange(1, MAX_CANVAS_SIDE))
@click.option("--height", default=1080, show_default=True, type=click.IntRange(1, MAX_CANVAS_SIDE))
@click.option("--name", default=None, help="A name to find the draft by.")
@client_command
def new(client: Client, out: Output, width: int, height: int, name: str | None) -> None:
    """Create an empty draft and print its draft_url."""
    created = client.create_draft(width, height, name)
    out.result(created, created.draft_url)


def _media_command(name: str, noun: str, with_volume: bool) -> click.Command:
    """add-video / add-audio / add-image: one media item on a new track."""

    @click.argument("draft")
    @click.argument("media_url")
    @click.option("--start", type=TIME, default=0, help="Timeline start (us, or 3s / 250ms).")
    @click.option("--end", type=TIME, required=True, help="Timeline end (us, or 3s / 250ms).")
    @client_command
    def add(
        client: Client,
        out: Output,
        draft: str,
        media_url: str,
        start: int,
        end: int,
        volume: float = 1.0,
    ) -> None:
        if noun == "video":
            result = client.add_videos(draft, [Video(media_url, start, end, volume)])
        elif noun == "audio":
            result = client.add_audios(draft, [Audio(media_url, start, end, volume)])
        else:
            result = client.add_images(draft, [Image(media_url, start, end)])
        edited(out, result, noun)

    if with_volume:
        add = click.option("--volume", type=click.FloatRange(0, 10), default=1.0)(add)
    add.__doc__ = f"Add the {noun} at MEDIA_URL to DRAFT from --start to --end."
    return click.command(name)(add)


@click.command("add-caption")
@click.argument("draft")
@click.argument("text")
@click.option("--start", type=TIME, default=0, help="Timeline start (us, or 3s / 250ms).")
@click.option("--end", type=TIME, required=True, help="Timeline end (us, or 3s / 250ms).")
@click.option("--font-size", type=click.IntRange(1, 500), default=15, show_default=True)
@click.option("--color", default="#ffffff", show_default=True, help="Text colour, #rrggbb.")
@click.option("--font", default=None, help="A catalogue font name (得意黑...).")
@click.option(
    "--text-effect",
    default=None,
    help="A text effect (花字): numeric effect id or catalogue title; resets --color to white.",
)
@client_command
def add_caption(
    client: Client,
    out: Output,
    draft: str,
    text: str,
    start: int,
    end: int,
    font_size: int,
    color: str,
    font: str | None,
    text_effect: str | None,
) -> None:
    """Add the caption TEXT to DRAFT from --start to --end."""
    style = CaptionStyle(text_color=color, font_size=font_size, font=font, text_effect=text_effect)
    edited(out, client.add_captions(draft, [Caption(text, start, end)], style), "caption")


@click.command("save")
@click.argument("draft")
@click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True)
@click.option("--label", default=None, help="A note kept with the version.")
@click.option("--expected-version", type=int, default=None, help="Fail if the draft moved on.")
@client_command
def save(
    client: Client,
    out: Output,
    draft: str,
    retries: int,
    label: str | None,
    expected_version: int | None,
) -> None:
    """Publish DRAFT as its next saved version, retrying 500/503/429 with backoff."""
    result = client.save(draft, retries, expected_version=expected_version, label=label)
    if result.created:
        text = f"saved version {result.version} (revision {result.current_version})"
    else:
        text = f"no changes: already saved as version {result.version}"
    out.result(result, text)


def _info_text(info: DraftInfo) -> str:
    lines = [
        f"draft     {info.draft_id}  {info.name!r}  {info.width}x{info.height} @ {info.fps} fps",
        f"status    {info.save_status} (revision {info.current_version})",
        f"content   {seconds(info.duration)}, {info.segment_count} segments on "
        f"{len(info.tracks)} tracks",
    ]
    if info.last_saved_at is not None:
        lines.append(f"saved at  {info.last_saved_at.isoformat()}")
    if info.updated_at is not None:
        lines.append(f"edited at {info.updated_at.isoformat()}")
    for track in info.tracks:
        spans = ", ".join(f"{seconds(s.start)}-{seconds(s.end)}" for s in track.segments)
        lines.append(f"  {track.type:<6} {track.id}  {spans}")
    return "\n".join(lines)


@click.command("info")
@click.argument("draft")
@client_command
def info(client: Client, out: Output, draft: str) -> None:
    """Show DRAFT's tracks and whether it is saved or has unsaved changes."""
    details = client.get_draft_info(draft)
    out.result(details, _info_text(details), save_status=details.save_status)


@click.command("versions")
@click.argument("draft")
@client_command
def versions(client: Client, out: Output, draft: str) -> None:
    """List DRAFT's saved versions, oldest first."""
    found = client.list_versions(draft)
    rows = [
        f"v{v.version:<4} revision {v.current_version:<5} "
        f"{v.created_at.isoformat() if v.created_at else '-':<29} "
        f"{v.segment_count:>3} segments {seconds(v.duration):>10}  {v.label or ''}".rstrip()
        for v in found
    ]
    out.result({"versions": [asdict(v) for v in found]}, "\n".join(rows) or "no saved versions")


@click.command("restore")
@click.argument("draft")
@click.argument("version", type=click.IntRange(1))
@client_command
def restore(client: Client, out: Output, draft: str, version: int) -> None:
    """Make saved VERSION of DRAFT its current state, published as a new version."""
    result = client.restore_version(draft, version)
    out.result(result, f"restored version {version} as version {result.version}")


@click.command("export")
@click.argument("draft")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Zip file to write (default: <draft_id>.zip).",
)
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Unpack into this directory instead (gives DIR/<draft_id>/).",
)
@click.option("--version", type=click.IntRange(1), default=None, help="Default: latest saved.")
@client_command
def export(
    client: Client,
    out: Output,
    draft: str,
    output: Path | None,
    folder: Path | None,
    version: int | None,
) -> None:
    """Download a saved version of DRAFT as a zip, or as a folder CapCut/Jianying opens."""
    if output is not None and folder is not None:
        raise click.UsageError("give -o/--output or --folder, not both")
    if folder is not None:
        done = client.download_draft(draft, folder, version, extract=True)
    else:
        draft_id = draft_id_of(draft) if "://" in draft else draft.strip()
        target = output or Path(f"{draft_id}.zip")
        done = client.download_draft(draft, target, version)
    out.result(done, str(done.path))


@click.command("server-render")
@click.argument("draft")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the MP4.",
)
@click.option("--version", type=click.IntRange(1), default=None, help="Default: latest saved.")
@click.option(
    "--interval",
    type=click.FloatRange(0.05),
    default=1.0,
    show_default=True,
    help="Seconds between status checks.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(1),
    default=3600.0,
    show_default=True,
    help="Give up after this many seconds.",
)
@client_command
def server_render(
    client: Client,
    out: Output,
    draft: str,
    output: Path,
    version: int | None,
    interval: float,
    timeout: float,
) -> None:
    """Render DRAFT (saving unsaved changes first), or a saved version of it, to MP4 on the
    server and download it."""
    submitted = client.gen_video(draft, version)
    for warning in submitted.warnings:
        out.note(warning.message)
    status = _await_render(client, out, draft, interval, timeout)
    if status.status != "completed" or status.video_url is None:
        raise RenderFailed(f"Render failed: {status.error_message or status.status}")
    client.fetch(status.video_url, output)
    _note_report(out, status)
    out.result(status, str(output), path=str(output))


@click.command("compose")
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--save", "save_after", is_flag=True, help="Save a version (as `save: true`).")
@click.option("--render", is_flag=True, help="Render after saving (as `render: true`).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With a render: where to download the MP4.",
)
@click.option("--interval", type=click.FloatRange(0.05), default=1.0, show_default=True)
@click.option("--timeout", type=click.FloatRange(1), default=3600.0, show_default=True)
@client_command
def compose(
    client: Client,
    out: Output,
    spec: Path,
    save_after: bool,
    render: bool,
    output: Path | None,
    interval: float,
    timeout: float,
) -> None:
    """Make a whole draft from SPEC (a .json or .yaml compose spec, see docs/compose.md) in
    one request; with a render, show its progress and, with -o, download the MP4."""
    try:
        given = yaml.safe_load(spec.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise click.BadParameter(f"cannot read {spec}: {exc}", param_hint="SPEC") from exc
    if not isinstance(given, dict):
        raise click.BadParameter(f"{spec} does not hold an object", param_hint="SPEC")
    if save_after:
        given["save"] = True
    if render:
        given["render"] = True
    try:
        made = client.compose(given)
    except InvalidSpec as exc:
        for pointer, message in exc.problems:
            out.note(f"{pointer}: {message}")
        raise
    for warning in made.warnings:
        out.note(f"{warning.field}: {warning.message}")
    if made.render_job_id is None:
        out.result(made, made.draft_url)
        return
    status = _await_render(client, out, made.draft_url, interval, timeout)
    if status.status != "completed" or status.video_url is None:
        raise RenderFailed(f"Render failed: {status.error_message or status.status}")
    if output is not None:
        client.fetch(status.video_url, output)
    _note_report(out, status)
    out.result(made, made.draft_url)


@click.command("cancel-render")
@click.argument("draft")
@click.option(
    "--job",
    "job_id",
    default=None,
    help="The job to cancel (gen_video's job_id); default: the latest queued or running one.",
)
@client_command
def cancel_render(client: Client, out: Output, draft: str, job_id: str | None) -> None:
    """Cancel a render of DRAFT on the server that is queued or running; print its status."""
    status = client.cancel_render(draft, job_id)
    out.result(status, f"{status.status} (job {status.job_id})")


def _note_report(out: Output, status: RenderStatus) -> None:
    """What the video approximates or leaves out, one line per report entry, on stderr."""
    for entry in status.not_exact:
        what = " ".join(filter(None, (entry.feature, entry.name)))
        count = len(entry.segment_ids)
        drawn = entry.drawn.replace("_", " ")
        out.note(f"{drawn}: {what}: {entry.how} ({count} segment{'s' * (count != 1)})")


def _await_render(
    client: Client, out: Output, draft: str, interval: float, timeout: float
) -> RenderStatus:
    """Poll gen_video_status until the job finishes, drawing a progress bar on stderr."""
    deadline = time.monotonic() + timeout
    with click.progressbar(
        length=100, label="rendering", file=sys.stderr, hidden=out.as_json
    ) as bar:
        shown = 0
        while True:
            status = client.gen_video_status(draft)
            bar.update(max(0, status.progress - shown))
            shown = max(shown, status.progress)
            if status.finished:
                return status
            if time.monotonic() > deadline:
                raise Unavailable(
                    f"Render did not finish within {timeout:g} s; still {status.status}"
                )
            time.sleep(interval)


COMMANDS: tuple[click.Command, ...] = (
    new,
    _media_command("add-video", "video", with_volume=True),
    _media_command("add-audio", "audio", with_volume=True),
    _media_command("add-image", "image", with_volume=False),
    add_caption,
    *EDIT_COMMANDS,
    save,
    info,
    versions,
    restore,
    export,
    server_render,
    cancel_render,
    compose,
    fill_template,
    import_draft,
    relink_media,
)


def register_client_commands(group: click.Group) -> None:
    """Add the client commands to the `draftsmith` command group."""
    for command in COMMANDS:
        group.add_command(command)
