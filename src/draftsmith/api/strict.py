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
    "(strict); 0: adjust and report (compatible); true/false, yes/no and on/off, in any "
    "case, say the same. Default (absent or blank): the server's DRAFTSMITH_STRICT."
)
_ON = frozenset({"1", "true", "yes", "on"})
_OFF = frozenset({"0", "false", "no", "off"})
_BLANK = " \t"
"""What HTTP allows around a header's value (and takes away)."""


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c}]" if c.isalpha() else c for c in word)


_WORDS = "|".join(_any_case(word) for word in sorted(_ON | _OFF))
STRICT_PATTERN = f"^[ \\t]*({_WORDS})?[ \\t]*$"
"""The header's values that `strict_mode` reads, in any case, blank meaning the default, as a
pattern for the API's document (which must say exactly what is taken)."""


def strict_mode(value: str | None, default: bool) -> bool:
    """Whether a request is strict: as its header `value` says, else `default`."""
    text = "" if value is None else value.strip(_BLANK).lower()
    if not text:
        return default
    if text in _ON:
        return True
    if text in _OFF:
        return False
    raise InvalidInput(f"{STRICT_HEADER} must be 1 or 0, got {value!r}")
