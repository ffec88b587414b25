"""`draftsmith validate` and `draftsmith install`: thin click wrappers, registered in cli.py."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from draftsmith.capcut.problems import Problem, Report
from draftsmith.capcut.profiles import DEFAULT_PROFILE, PROFILES
from draftsmith.capcut.validate import validate_folder
from draftsmith.cli.output import Output
from draftsmith.editor.fetch import RemoteDraft, download, resolve
from draftsmith.editor.install import InstallRefused, install
from draftsmith.editor.roots import Host, find_drafts_root
from draftsmith.editor.sources import path_files

INVALID_EXIT_CODE = 1

profile_option = click.option(
    "--profile",
    type=click.Choice(list(PROFILES)),
    default=DEFAULT_PROFILE.name,
    show_default=True,
    help="Editor to check for: "
    + "; ".join(f"{p.name}: {p.description}" for p in PROFILES.values()),
)


def _render_problem(problem: Problem) -> str:
    place = f"{problem.file}: {problem.where}" if problem.where else problem.file
    return f"{problem.severity:<8}{place}\n        {problem.problem}\n        fix: {problem.fix}"


def render(report: Report) -> str:
    """A report as text: one block per problem, then a one-line verdict."""
    lines = [_render_problem(p) for p in report.problems]
    counts = f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)"
    verdict = "valid" if report.valid else "INVALID"
    lines.append(f"{verdict} for profile {report.profile}: {counts}")
    return "\n".join(lines)


@click.command("validate")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@profile_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def validate_command(path: Path, profile: str, as_json: bool) -> None:
    """Check the draft folder or zip at PATH; exit status 1 when it has errors."""
    with Output().guard():
        report = validate_folder(path_files(path), PROFILES[profile])
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render(report))
    if not report.valid:
        raise SystemExit(INVALID_EXIT_CODE)


@click.command("install")
@click.argument("draft")
@click.option(
    "--drafts-root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The editor's drafts folder (holding root_meta_info.json); found on Windows and macOS.",
)
@click.option(
    "--server",
    envvar="DRAFTSMITH_SERVER",
    help="draftsmith server for a bare draft id (default http://127.0.0.1:8000).",
)
@click.option(
    "--api-key",
    envvar="DRAFTSMITH_API_KEY",
    default=None,
    help="Bearer token, for a server with API keys on.",
)
@profile_option
@click.option("--name", help="Folder and draft name in the editor (default: the draft's own).")
@click.option("--force", is_flag=True, help="Install even with errors, or over another draft.")
def install_command(
    draft: str,
    drafts_root: Path | None,
    server: str | None,
    api_key: str | None,
    profile: str,
    name: str | None,
    force: bool,
) -> None:
    """Install DRAFT (a draft_url, a draft id, a draft zip or folder) into the editor."""
    chosen = PROFILES[profile]
    out = Output()
    with out.guard():
        try:
            root = drafts_root or find_drafts_root(chosen, Host())
            source = resolve(draft, server)
            with tempfile.TemporaryDirectory(prefix="draftsmith-") as scratch:
                if isinstance(source, RemoteDraft):
                    target = Path(scratch) / f"{source.draft_id}.zip"
                    source = download(source, target, api_key, out.retrying)
                result = install(source, root, chosen, name=name, force=force)
        except InstallRefused as exc:
            click.echo(render(exc.report), err=True)
            raise
    for problem in result.report.problems:
        click.echo(_render_problem(problem))
    action = "Replaced" if result.replaced_folder else "Installed"
    click.echo(f"{action} {result.name!r} at {result.folder}")
    click.echo(f"Listed in {result.registration.index}")
    if result.registration.backup is not None:
        click.echo(f"Previous list saved as {result.registration.backup}")
