"""Where caption text goes: estimated widths, line breaks, keyword runs and the blocks a
caption is drawn in (pure).

A caption is drawn as blocks, each one ASS event placed relative to the caption's centre:

- Horizontal text without line spacing is one block of its lines (libass spaces them).
- Horizontal text with line spacing is a block per line, each `FONT_HEIGHT_PER_EM` em plus
  the spacing below the one before (ASS has no line spacing of its own). The editor stores
  `line_spacing` as 0.02 + 0.05 x the request's value, in em.
- Vertical text (alignment 3-5) is a block per character, in columns read top to bottom and
  right to left, each character 1 em below the one before and each column 1.2 em plus the
  spacing left of the one before; columns wrap at 82 % of the canvas height. Alignment 4 and 5
  line the columns up at their tops and bottoms, 3 centres them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from draftsmith.timeline.keywords import keyword_spans
from draftsmith.timeline.model import TextSegment

FONT_HEIGHT_PER_EM = 1.448
"""(usWinAscent + usWinDescent) / unitsPerEm of Noto Sans CJK (1160 + 288) / 1000."""
LINE_SPACING_EM = 0.05
"""Extra space between lines per unit of a style's `line_spacing`, in em."""
COLUMN_EM = 1.2
_NARROW_EM = 0.55
_NO_BREAK_BEFORE = frozenset(
    "，。、．！？；：）」』】》〉…ー々〜ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.!?;:)]}%"
)


@dataclass(frozen=True)
class Measure:
    """Estimated text widths in pixels: wide East Asian characters 1 em, others 0.55 em."""

    em: float
    scale_x: float
    spacing: float

    def char(self, c: str) -> float:
        return (1.0 if wide(c) else _NARROW_EM) * self.em * self.scale_x + self.spacing

    def width(self, text: str) -> float:
        return sum(self.char(c) for c in text) - (self.spacing if text else 0.0)

    def wrap(self, text: str, max_width: float) -> list[str]:
        """Break `text` into lines no wider than `max_width` (estimated), keeping its newlines."""
        lines: list[str] = []
        for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            line = ""
            # The line's width is summed as it grows, character by character in order, so it
            # is exactly `width(line)` (plus one spacing) without summing the line again for
            # every token.
            summed = 0.0
            for token in tokens(paragraph):
                if line.strip():
                    kept = token.rstrip()
                    wider = summed
                    for c in kept:
                        wider += self.char(c)
                    if wider - (self.spacing if line + kept else 0.0) > max_width:
                        lines.append(line.rstrip())
                        line = token.lstrip()
                        summed = 0.0
                        for c in line:
                            summed += self.char(c)
                        continue
                line += token
                for c in token:
                    summed += self.char(c)
            lines.append(line.rstrip())
        return lines


def wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


def joins(previous: str, c: str) -> bool:
    if c == " " or c in _NO_BREAK_BEFORE:
        return True
    last = previous[-1]
    return last != " " and not wide(last) and not wide(c)


def tokens(text: str) -> list[str]:
    """Unbreakable pieces: a Latin word or one wide character, with what may not start a line."""
    tokens: list[str] = []
    for c in text:
        if tokens and joins(tokens[-1], c):
            tokens[-1] += c
        else:
            tokens.append(c)
    return tokens


def located(text: str, lines: Sequence[str]) -> list[int]:
    """Where each wrapped line starts in `text`: wrapping only drops spaces and newlines, so
    every line is a piece of `text`, in order."""
    starts = []
    cursor = 0
    for line in lines:
        at = text.find(line, cursor)
        starts.append(at)
        cursor = at + len(line)
    return starts


@dataclass(frozen=True)
class Run:
    """A piece of one line drawn in the caption's style or in its keyword style."""

    text: str
    keyword: bool


def line_runs(segment: TextSegment, lines: Sequence[str]) -> list[list[Run]]:
    """The wrapped lines cut where keyword ranges begin and end (see `keyword_spans`)."""
    spans = []
    if segment.keyword_style is not None:
        spans = keyword_spans(segment.text, segment.keywords)
    runs: list[list[Run]] = []
    for line, first in zip(lines, located(segment.text, lines), strict=True):
        cuts = sorted(
            {0, len(line)}
            | {min(max(edge - first, 0), len(line)) for span in spans for edge in span}
        )
        pieces = []
        for start, end in pairwise(cuts):
            if start < end:
                at = first + start
                keyword = any(s <= at < e for s, e in spans)
                pieces.append(Run(line[start:end], keyword))
        runs.append(pieces or [Run("", False)])
    return runs


@dataclass(frozen=True)
class Block:
    """Part of a caption drawn by one event: its lines of runs, its anchor (ASS \\an), its
    offset from the caption's centre (pixels at the caption's scale) and the index in the
    caption of its first character."""

    lines: tuple[tuple[Run, ...], ...]
    anchor: int
    dx: float
    dy: float
    first: int

    @property
    def length(self) -> int:
        return sum(len(run.text) for line in self.lines for run in line)


def vertical(alignment: int) -> bool:
    return alignment in (3, 4, 5)


def _horizontal(
    runs: Sequence[Sequence[Run]], measure: Measure, alignment: int, advance: float | None
) -> list[Block]:
    widths = [measure.width("".join(run.text for run in line)) for line in runs]
    half = max(widths, default=0.0) / 2
    anchor, dx = 5, 0.0
    if alignment == 0:
        anchor, dx = 4, -half
    elif alignment == 2:
        anchor, dx = 6, half
    if advance is None:
        return [Block(tuple(tuple(line) for line in runs), anchor, dx, 0.0, 0)]
    blocks = []
    first = 0
    for index, line in enumerate(runs):
        dy = (index - (len(runs) - 1) / 2) * advance
        blocks.append(Block((tuple(line),), anchor, dx, dy, first))
        first += sum(len(run.text) for run in line)
    return blocks


def _columns(
    runs: Sequence[Sequence[Run]], char_advance: float, column_advance: float, alignment: int
) -> list[Block]:
    columns = [[Run(c, run.keyword) for run in line for c in run.text] for line in runs]
    longest = max((len(column) for column in columns), default=0)
    blocks = []
    first = 0
    for index, column in enumerate(columns):
        dx = ((len(columns) - 1) / 2 - index) * column_advance
        skip = {4: 0, 3: (longest - len(column)) / 2, 5: longest - len(column)}[alignment]
        for k, run in enumerate(column):
            dy = (skip + k - (longest - 1) / 2) * char_advance
            blocks.append(Block(((run,),), 5, dx, dy, first + k))
        first += len(column)
    return blocks


def layout(
    runs: Sequence[Sequence[Run]],
    measure: Measure,
    alignment: int,
    line_spacing: float,
    scale_y: float,
) -> list[Block]:
    """The blocks of a caption whose wrapped lines (columns, for vertical text) are `runs`,
    measured at the caption's scale."""
    em = measure.em
    extra = line_spacing * LINE_SPACING_EM * em * scale_y
    if vertical(alignment):
        char_advance = em * scale_y + measure.spacing
        column_advance = COLUMN_EM * em * measure.scale_x + extra
        return _columns(runs, char_advance, column_advance, alignment)
    advance = FONT_HEIGHT_PER_EM * em * scale_y + extra if line_spacing else None
    return _horizontal(runs, measure, alignment, advance)


def column_chars(text: str, max_height: float, char_advance: float) -> list[str]:
    """Vertical text cut into columns of at most `max_height` pixels, at its newlines too."""
    per_column = max(1, int(max_height // max(1.0, char_advance)))
    columns: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not paragraph:
            columns.append("")
        for at in range(0, len(paragraph), per_column):
            columns.append(paragraph[at : at + per_column])
    return columns
