"""Captions as an Advanced SubStation Alpha script for libass (pure): one event per caption,
plus one under it for its shadow.

The script's resolution is the canvas, so every number in it is a canvas pixel. How the
editor's caption styles become pixels:

- Size: the editor's font size is relative to the canvas. We take one unit as 4 px of em on a
  canvas whose short side is 1080 px, so capcut-mate's default 15 is a 60 px em on 1080p and
  720p gets two thirds of that. This is an estimate, not a measurement of the editor.
- libass sizes a font by its Windows ascent plus descent rather than by its em, so the ASS size
  is the em times that ratio of the caption font (`FONT_HEIGHT_PER_EM`).
- Position: the caption's centre sits at the canvas centre plus the clip's transform. Left and
  right alignment line text up inside a box centred there; libass anchors a line rather than a
  box, so its width is estimated (wide East Asian characters 1 em, others 0.55 em).
- Long lines wrap at 82% of the canvas width, the editor's `line_max_width` for subtitles.
  We break them ourselves (between any two wide characters, at spaces otherwise) since libass
  breaks only at spaces, which Chinese and Japanese rarely have.
- Border: 0.08 em, the editor's default stroke (pyJianYingDraft: width 40 of 100, stored /500).
- Shadow: an offset, blurred copy drawn under the text; distance and diffuse read as pixels at
  1080p (diffuse scaled by 0.2 into a blur radius), the angle as the editor's (-45 = down right).
- Opacity is the clip's alpha, as the editor keeps it in the text's `global_alpha`.
- Vertical layouts (alignment 3-5) are drawn horizontally and centred; line spacing is not
  drawn (ASS has no such setting).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from draftsmith.timeline.model import Canvas, TextSegment, TextStyle, Track

CAPTION_FONT = "Noto Sans CJK SC"
FONT_HEIGHT_PER_EM = 1.448
"""(usWinAscent + usWinDescent) / unitsPerEm of Noto Sans CJK (1160 + 288) / 1000."""

EM_PX_PER_SIZE = 4.0
LINE_MAX_WIDTH = 0.82
BORDER_EM = 0.08
LETTER_SPACING_EM = 0.05
DIFFUSE_TO_BLUR = 0.2
_NARROW_EM = 0.55
_NO_BREAK_BEFORE = frozenset(
    "，。、．！？；：）」』】》〉…ー々〜ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.!?;:)]}%"
)

_HEADER = """\
[Script Info]
ScriptType: v4.00+
PlayResX: {width}
PlayResY: {height}
WrapStyle: 0
ScaledBorderAndShadow: yes
YCbCr Matrix: None

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, \
Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, \
Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,{font},{size},&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,\
1,0,0,5,{margin},{margin},0,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
"""


def canvas_scale(canvas: Canvas) -> float:
    """How much larger than a 1080p canvas this one is, by its short side."""
    return min(canvas.width, canvas.height) / 1080


def em_pixels(style: TextStyle, canvas: Canvas) -> float:
    return style.font_size * EM_PX_PER_SIZE * canvas_scale(canvas)


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _timestamp(us: int) -> str:
    centis = (us + 5_000) // 10_000
    hours, rest = divmod(centis, 360_000)
    minutes, rest = divmod(rest, 6_000)
    secs, centis = divmod(rest, 100)
    return f"{hours}:{minutes:02d}:{secs:02d}.{centis:02d}"


def _colour(hex_rgb: str) -> str:
    """#rrggbb as ASS &HBBGGRR&; anything unreadable is white."""
    digits = hex_rgb.removeprefix("#")
    if len(digits) != 6 or any(c not in "0123456789abcdefABCDEF" for c in digits):
        digits = "ffffff"
    red, green, blue = digits[0:2], digits[2:4], digits[4:6]
    return f"&H{blue}{green}{red}&".upper()


def _alpha(opacity: float) -> str:
    """ASS alpha is transparency: 00 opaque, FF invisible."""
    clamped = min(1.0, max(0.0, opacity))
    return f"&H{round((1 - clamped) * 255):02X}&"


def escape_text(lines: Sequence[str]) -> str:
    """Caption lines as literal ASS: no override blocks, no escapes, joined by \\N.

    A word joiner (invisible) after each backslash stops libass reading it as an escape.
    """
    escaped = [
        line.replace("\\", "\\\u2060").replace("{", "\\{").replace("}", "\\}") for line in lines
    ]
    return "\\N".join(escaped)


@dataclass(frozen=True)
class Measure:
    """Estimated text widths in pixels: wide East Asian characters 1 em, others 0.55 em."""

    em: float
    scale_x: float
    spacing: float

    def char(self, c: str) -> float:
        return (1.0 if _wide(c) else _NARROW_EM) * self.em * self.scale_x + self.spacing

    def width(self, text: str) -> float:
        return sum(self.char(c) for c in text) - (self.spacing if text else 0.0)

    def wrap(self, text: str, max_width: float) -> list[str]:
        """Break `text` into lines no wider than `max_width` (estimated), keeping its newlines."""
        lines: list[str] = []
        for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            line = ""
            for token in _tokens(paragraph):
                if line.strip() and self.width(line + token.rstrip()) > max_width:
                    lines.append(line.rstrip())
                    line = token.lstrip()
                else:
                    line += token
            lines.append(line.rstrip())
        return lines


def _wide(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


def _joins(previous: str, c: str) -> bool:
    if c == " " or c in _NO_BREAK_BEFORE:
        return True
    last = previous[-1]
    return last != " " and not _wide(last) and not _wide(c)


def _tokens(text: str) -> list[str]:
    """Unbreakable pieces: a Latin word or one wide character, with what may not start a line."""
    tokens: list[str] = []
    for c in text:
        if tokens and _joins(tokens[-1], c):
            tokens[-1] += c
        else:
            tokens.append(c)
    return tokens


def _events(segment: TextSegment, canvas: Canvas, layer: int) -> list[str]:
    style = segment.style
    clip = segment.clip
    em = em_pixels(style, canvas)
    spacing = style.letter_spacing * LETTER_SPACING_EM * em
    x = canvas.width / 2 + clip.transform_x
    y = canvas.height / 2 + clip.transform_y
    measure = Measure(em, clip.scale_x, spacing)
    lines = measure.wrap(segment.text, canvas.width * LINE_MAX_WIDTH)
    anchor = 5
    if style.alignment in (0, 2):
        half = max(measure.width(line) for line in lines) / 2
        anchor, x = (4, x - half) if style.alignment == 0 else (6, x + half)
    border = BORDER_EM * em if style.border_color is not None else 0.0
    common = (
        f"\\an{anchor}\\fs{_n(em * FONT_HEIGHT_PER_EM)}"
        f"\\fscx{_n(clip.scale_x * 100)}\\fscy{_n(clip.scale_y * 100)}\\fsp{_n(spacing)}"
        f"\\b{int(style.bold)}\\i{int(style.italic)}\\u{int(style.underline)}"
        f"\\bord{_n(border)}\\shad0"
    )
    text = escape_text(lines)
    timing = f"{_timestamp(segment.target.start)},{_timestamp(segment.target.end)},Default,,0,0,0,"
    events = []
    shadow = style.shadow
    if shadow is not None and shadow.alpha > 0:
        scale = canvas_scale(canvas)
        angle = math.radians(shadow.angle)
        dx = shadow.distance * scale * math.cos(angle)
        dy = -shadow.distance * scale * math.sin(angle)
        colour, opacity = _colour(shadow.color), _alpha(shadow.alpha * clip.alpha)
        blur = shadow.diffuse * DIFFUSE_TO_BLUR * scale
        tags = (
            f"\\pos({_n(x + dx)},{_n(y + dy)}){common}\\blur{_n(blur)}"
            f"\\1c{colour}\\1a{opacity}\\3c{colour}\\3a{opacity}"
        )
        events.append(f"Dialogue: {layer * 2},{timing},{{{tags}}}{text}")
    border_colour = _colour(style.border_color or "#000000")
    opacity = _alpha(clip.alpha)
    tags = (
        f"\\pos({_n(x)},{_n(y)}){common}\\blur0"
        f"\\1c{_colour(style.color)}\\1a{opacity}\\3c{border_colour}\\3a{opacity}"
    )
    events.append(f"Dialogue: {layer * 2 + 1},{timing},{{{tags}}}{text}")
    return events


def ass_document(canvas: Canvas, tracks: Sequence[tuple[int, Track]]) -> str:
    """The ASS script drawing the captions of `tracks`, each given with its stacking index."""
    default = TextStyle()
    header = _HEADER.format(
        width=canvas.width,
        height=canvas.height,
        font=CAPTION_FONT,
        size=_n(em_pixels(default, canvas) * FONT_HEIGHT_PER_EM),
        margin=round(canvas.width * (1 - LINE_MAX_WIDTH) / 2),
    )
    lines = [header.rstrip("\n")]
    for layer, track in tracks:
        for segment in track.segments:
            if isinstance(segment, TextSegment):
                lines.extend(_events(segment, canvas, layer))
    return "\n".join(lines) + "\n"
