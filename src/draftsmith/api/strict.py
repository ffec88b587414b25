"""Strict mode on request: the header that turns it on or off for one request.

By default a verb adjusts what capcut-mate would adjust and reports it (`warnings`); strict
mode refuses each such request with a 400 instead. The server's setting
(`DRAFTSMITH_STRICT`) is the default; `X-Draftsmith-Strict: 1` or `0` overrides it for one
request.
"""

from __future__ import annotations

from draftsmith.errors import InvalidInput

STRICT_HEADER = "X-Draftsmith-Strict"
STRICT_HELP = (
    "1: refuse with a 400 what would otherwise be adjusted and reported in `warnings` "
    "(strict); 0: adjust and report (compatible). Default: the server's DRAFTSMITH_STRICT."
)
_ON = frozenset({"1", "true", "yes", "on"})
_OFF = frozenset({"0", "false", "no", "off"})


def strict_mode(value: str | None, default: bool) -> bool:
    """Whether a request is strict: as its header `value` says, else `default`."""
    if value is None or not value.strip():
        return default
    text = value.strip().lower()
    if text in _ON:
        return True
    if text in _OFF:
        return False
    raise InvalidInput(f"{STRICT_HEADER} must be 1 or 0, got {value!r}")
