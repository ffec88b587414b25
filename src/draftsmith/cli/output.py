"""What every client command shares: `--server`/`--api-key`/`--json`/`--strict`, output and
exit codes.

Results go to stdout (a human line, or one JSON document with `--json`); progress and errors
go to stderr. A DraftsmithError ends the command with the exit code of its class, the one
table in `draftsmith.errors`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

    def __init__(self, as_json: bool = False) -> None:
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
            # What the server adjusted instead of refusing (see --strict).
            for warning in getattr(data, "warnings", ()):
                click.echo(f"warning: {warning.message}", err=True)

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

    @contextmanager
    def guard(self) -> Iterator[None]:
        """The one way a command turns a DraftsmithError into its exit code: say what went
        wrong (`fail`), then exit with the code of the error's class."""
        try:
            yield
        except DraftsmithError as error:
            self.fail(error)
            raise SystemExit(error.exit_code) from error

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
    """Add --server, --api-key, --json and --strict, open a Client, and map errors to exit
    codes."""

    @click.option(
        "--server",
        envvar="DRAFTSMITH_SERVER",
        default=DEFAULT_SERVER,
        show_default=True,
        help="Base URL of the draftsmith server (env DRAFTSMITH_SERVER).",
    )
    @click.option("--api-key", envvar="DRAFTSMITH_API_KEY", default=None, help="Bearer token.")
    @click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
    @click.option(
        "--strict/--no-strict",
        envvar="DRAFTSMITH_STRICT",
        default=None,
        help="Ask the server to refuse (--strict) or to adjust and warn about (--no-strict) "
        "what does not fit, such as a segment longer than its media; default: the server's "
        "setting (env DRAFTSMITH_STRICT).",
    )
    @functools.wraps(function)
    def run(
        server: str, api_key: str | None, as_json: bool, strict: bool | None, **kwargs: Any
    ) -> None:
        out = Output(as_json)
        client = Client(server, api_key, on_retry=out.retrying, strict=strict)
        with out.guard(), client:
            function(client, out, **kwargs)

    return run
