"""Replacing part of a caption's text while keeping its style ranges in place.

The editor keeps a caption's style runs (and keyword, bubble and effect runs) as [start, end)
ranges in UTF-16 code units: an emoji outside the Basic Multilingual Plane counts 2, a CJK
character 1. When text is replaced, every range is carried to the new text by one rule on its
two ends, so runs that partition the text still partition it:

- an end before the replaced stretch stays; one after it moves by the change in length;
- an end at the stretch's start stays at the replacement's start, one at its end goes to the
  replacement's end, so a range covering the stretch grows or shrinks with it;
- an end strictly inside the stretch goes to the replacement's end: the run that held the
  stretch's first character holds all of the replacement (as typing over a selection does).

A range can end up empty (a run that lay wholly inside a replaced stretch); callers drop those.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

Span = tuple[int, int]
"""A [start, end) range in UTF-16 code units."""


def utf16_length(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit of text style ranges."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Replaced:
    """A text after replacement: the new text, each given range carried over (in the same
    order, possibly empty), and how many stretches were replaced."""

    text: str
    spans: tuple[Span, ...]
    count: int


def _occurrences(text: str, old: str) -> list[tuple[int, int]]:
    """Where `old` occurs in `text`, left to right and not overlapping (as str.replace finds
    them), as [start, end) in UTF-16 code units."""
    found = []
    length = utf16_length(old)
    units = counted = 0
    at = text.find(old)
    while at != -1:
        units += utf16_length(text[counted:at])
        counted = at
        found.append((units, units + length))
        at = text.find(old, at + len(old))
    return found


def _carried(position: int, stretches: list[tuple[int, int]], new_length: int) -> int:
    """Where `position` lands once every stretch is replaced by `new_length` units."""
    # Stretches are sorted and apart: those ending at or before `position` lie wholly before.
    ends = [end for _, end in stretches]
    before = bisect_right(ends, position)
    shift = sum(new_length - (end - start) for start, end in stretches[:before])
    if before < len(stretches):
        start, end = stretches[before]
        if start < position < end:
            return start + shift + new_length
    return position + shift


def replace_all(text: str, spans: tuple[Span, ...], old: str, new: str) -> Replaced:
    """`text` with every occurrence of `old` replaced by `new`, and `spans` carried over."""
    if not old:
        raise ValueError("the text to replace must not be empty")
    stretches = _occurrences(text, old)
    if not stretches:
        return Replaced(text, spans, 0)
    carried = _carried_spans(spans, stretches, utf16_length(new))
    return Replaced(text.replace(old, new), carried, len(stretches))


def replace_whole(text: str, spans: tuple[Span, ...], new: str) -> Replaced:
    """`text` replaced by `new` as a whole, and `spans` carried over: a range over all of the
    text covers all of `new`."""
    length = utf16_length(text)
    stretches = [(0, length)] if length else []
    return Replaced(new, _carried_spans(spans, stretches, utf16_length(new)), 1)


def _carried_spans(
    spans: tuple[Span, ...], stretches: list[tuple[int, int]], new_length: int
) -> tuple[Span, ...]:
    return tuple(
        (_carried(start, stretches, new_length), _carried(end, stretches, new_length))
        for start, end in spans
    )
