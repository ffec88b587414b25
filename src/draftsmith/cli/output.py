"""What every client command shares: `--server`/`--api-key`/`--json`, output and exit codes.

Results go to stdout (a human line, or one JSON document with `--json`); progress and errors
go to stderr. A DraftsmithError ends the command with the exit code of its class, the one
table in `draftsmith.errors`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from draftsmith.client import DEFAULT_SERVER, SECOND, Client, RetryNotice, ServerUnreachable
from draftsmith.errors import DraftsmithError

Command = Callable[..., None]


class Microseconds(click.ParamType[int]):
    """A timeline position: microseconds (`3000000`) or with a unit (`3s`, `1.5s`, `250ms`)."""

    name = "time"
    _UNITS = (("ms", 1_000), ("us", 1), ("s", SECOND))

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().lower()
        scale, number = 1, text
        for suffix, unit in self._UNITS:
            if text.endswith(suffix):
                scale, number = unit, text.removesuffix(suffix)
                break
        try:
            micros = round(float(number) * scale) if scale != 1 or "." in number else int(number)
        except (ValueError, OverflowError):
            self.fail(f"{value!r} is not a time (use microseconds, or 3s, 1.5s, 250ms)", param, ctx)
        if micros < 0:
            self.fail(f"{value!r} is negative", param, ctx)
        return micros


TIME = Microseconds()


def seconds(micros: int) -> str:
    return f"{micros / SECOND:.3f} s"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


class Output:
    """Where a command's results and messages go: text for people, JSON for scripts."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def result(self, data: Any, text: str, **extra: Any) -> None:
        """Print `text`, or with --json the dataclass `data` (plus `extra`) as JSON."""
        if self.as_json:
            document = asdict(data) if is_dataclass(data) and not isinstance(data, type) else data
            if isinstance(document, dict):
                document.update(extra)
            click.echo(json.dumps(document, default=_plain, ensure_ascii=False, indent=2))
        else:
            click.echo(text)

    def note(self, message: str) -> None:
        """A progress message for people; on stderr so stdout stays the result."""
        click.echo(message, err=True)

    def retrying(self, notice: RetryNotice) -> None:
        error = notice.error
        status = "" if isinstance(error, ServerUnreachable) else f" (HTTP {error.status})"
        self.note(
            f"{notice.verb}: {error.detail}{status}; "
            f"retrying in {notice.delay:.1f} s (attempt {notice.attempt} failed)"
        )

    def fail(self, error: DraftsmithError) -> None:
        click.echo(f"error: {error.detail}", err=True)
        if self.as_json:
            document = {
                "error": {
                    "code": error.code,
                    "detail": error.detail,
                    "status": error.status,
                    "exit_code": error.exit_code,
                }
            }
            click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def client_command(function: Command) -> Command:
    """Add --server, --api-key and --json, open a Client, and map errors to exit codes."""

    @click.option(
        "--server",
        envvar="DRAFTSMITH_SERVER",
        default=DEFAULT_SERVER,
        show_default=True,
        help="Base URL of the draftsmith server (env DRAFTSMITH_SERVER).",
    )
    @click.option("--api-key", envvar="DRAFTSMITH_API_KEY", default=None, help="Bearer token.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
    @functools.wraps(function)
    def run(server: str, api_key: str | None, as_json: bool, **kwargs: Any) -> None:
        out = Output(as_json)
        try:
            with Client(server, api_key, on_retry=out.retrying) as client:
                function(client, out, **kwargs)
        except DraftsmithError as error:
            out.fail(error)
            raise SystemExit(error.exit_code) from error

    return run
