"""When and how a caption changes over its time, as ASS pieces and per-character tags (pure).

A caption's motion (motion.py) is linear between its turns, so its time is cut there into
pieces (`pieces`), each drawn by its own events: the events of a piece move, scale, turn and
fade linearly from the piece's start values to its end values (`Piece`). ASS counts time in
centiseconds, so the cuts are rounded to them. Animations of single characters (typewriter,
one by one) are tags on each character instead (`char_tags`): hidden until its turn, then
shown over its share of the animation (in), or the other way round (out).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from draftsmith.render.curves import Channel
from draftsmith.render.motion import Motion
from draftsmith.render.movements import Move
from draftsmith.timeline.model import Canvas, TextStyle


def ass_number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


CharTags = Callable[[int, TextStyle], str]
"""Override tags for the character at an index of the caption, in a run of a style."""


def pieces(target_us: tuple[int, int], moving: Motion) -> list[tuple[int, int]]:
    """The caption's time cut where its motion turns, in whole centiseconds (ASS's unit), as
    microseconds: within each piece everything moves linearly."""
    start, end = target_us
    cuts = {start, end}
    for t in moving.breaks():
        us = round(t * 1_000_000)
        if start < us < end:
            cuts.add((us + 5_000) // 10_000 * 10_000)
    ordered = sorted(c for c in cuts if start <= c <= end)
    return [(a, b) for a, b in pairwise(ordered) if b > a]


def milliseconds(seconds_: float) -> int:
    return round(seconds_ * 1000)


def _char_times(
    move: Move, kind: str, index: int, total: int, span: tuple[float, float]
) -> tuple[float, float]:
    """When the character at `index` of `total` changes (seconds): it appears (in) or goes
    (out) over that time."""
    start, end = span
    length = end - start
    step = length / max(1, total)
    change = 0.01 if move is Move.TYPEWRITER else min(length, 3 * step)
    order = index if kind == "in" else total - 1 - index
    at = start + (length - change) * order / max(1, total - 1)
    return at, at + change


def char_tags(
    moving: Motion, total: int, piece: tuple[float, float], alphas: Callable[[TextStyle], str]
) -> CharTags | None:
    """Per-character tags for the time `piece` (seconds): hidden until the character's turn
    comes, then shown (in); shown, then hidden (out)."""
    moves = moving.per_character
    if not moves:
        return None
    t0, t1 = piece
    scale_y = moving.scale_y.at(t0) * 100

    def tags(index: int, style: TextStyle) -> str:
        shown = alphas(style)
        hidden = "\\1a&HFF&\\3a&HFF&"
        visible_at_start = True
        changes = []
        for move, kind, start, end in moves:
            a, b = _char_times(move, kind, index, total, (start, end))
            pop = move is Move.CHAR_POP
            to_show = shown + (f"\\fscy{ass_number(scale_y)}" if pop else "")
            to_hide = hidden + ("\\fscy0" if pop else "")
            if kind == "in":
                if b <= t0:
                    continue
                visible_at_start = False
                if a < t1:
                    changes.append(
                        f"\\t({milliseconds(max(a, t0) - t0)},{milliseconds(b - t0)},{to_show})"
                    )
            elif b <= t0:
                visible_at_start = False
            elif a < t1:
                changes.append(
                    f"\\t({milliseconds(max(a, t0) - t0)},{milliseconds(b - t0)},{to_hide})"
                )
        start_tags = "" if visible_at_start else hidden
        if not visible_at_start and any(m is Move.CHAR_POP for m, *_ in moves):
            start_tags += "\\fscy0"
        return start_tags + "".join(changes)

    return tags


@dataclass(frozen=True)
class Piece:
    """A stretch of a caption's time (seconds) and what its motion is at both ends."""

    t0: float
    t1: float
    x: tuple[float, float]
    y: tuple[float, float]
    sx: tuple[float, float]
    sy: tuple[float, float]
    turn: tuple[float, float]
    blur: tuple[float, float]
    alpha: tuple[float, float]


def piece_of(moving: Motion, canvas: Canvas, t0: float, t1: float) -> Piece:
    """The piece of time from `t0` to `t1` (seconds), its motion in canvas pixels."""

    def both(channel: Channel, offset: float = 0.0, times: float = 1.0) -> tuple[float, float]:
        return offset + channel.at(t0) * times, offset + channel.at(t1) * times

    scale = min(canvas.width, canvas.height) / 1080
    return Piece(
        t0,
        t1,
        both(moving.x, canvas.width / 2),
        both(moving.y, canvas.height / 2),
        both(moving.scale_x),
        both(moving.scale_y),
        both(moving.rotation),
        both(moving.blur, 0.0, scale),
        both(moving.alpha),
    )


def place(start: tuple[float, float], end: tuple[float, float], dx: float, dy: float) -> str:
    """`\\pos` where a block stays, `\\move` from `start` to `end` where it moves; (dx, dy) on
    top (a shadow's offset)."""
    x0, y0 = ass_number(start[0] + dx), ass_number(start[1] + dy)
    if start == end:
        return f"\\pos({x0},{y0})"
    return f"\\move({x0},{y0},{ass_number(end[0] + dx)},{ass_number(end[1] + dy)})"
