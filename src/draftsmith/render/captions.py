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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from draftsmith.timeline.keywords import keyword_spans
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


def _located(text: str, lines: Sequence[str]) -> list[int]:
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
class _Run:
    """A piece of one line drawn in the caption's style or in its keyword style."""

    text: str
    keyword: bool


def _line_runs(segment: TextSegment, lines: Sequence[str]) -> list[list[_Run]]:
    """The wrapped lines cut where keyword ranges begin and end (see `keyword_spans`)."""
    spans = []
    if segment.keyword_style is not None:
        spans = keyword_spans(segment.text, segment.keywords)
    runs: list[list[_Run]] = []
    for line, first in zip(lines, _located(segment.text, lines), strict=True):
        cuts = sorted(
            {0, len(line)}
            | {min(max(edge - first, 0), len(line)) for span in spans for edge in span}
        )
        pieces = []
        for start, end in pairwise(cuts):
            if start < end:
                at = first + start
                keyword = any(s <= at < e for s, e in spans)
                pieces.append(_Run(line[start:end], keyword))
        runs.append(pieces or [_Run("", False)])
    return runs


def _look(style: TextStyle, em: float, colours: str) -> str:
    """Size, weight and border of one style run, then its colours."""
    border = BORDER_EM * em if style.border_color is not None else 0.0
    return (
        f"\\fs{_n(em * FONT_HEIGHT_PER_EM)}"
        f"\\b{int(style.bold)}\\i{int(style.italic)}\\u{int(style.underline)}"
        f"\\bord{_n(border)}{colours}"
    )


def _text_colours(style: TextStyle, opacity: float) -> str:
    alpha = _alpha(opacity)
    border = _colour(style.border_color or "#000000")
    return f"\\1c{_colour(style.color)}\\1a{alpha}\\3c{border}\\3a{alpha}"


def _shadow_colours(style: TextStyle, opacity: float) -> str:
    """A run's shadow colour; a run whose style has no shadow is invisible in the shadow copy."""
    shadow = style.shadow
    if shadow is None or shadow.alpha <= 0:
        return "\\1a&HFF&\\3a&HFF&"
    colour, alpha = _colour(shadow.color), _alpha(shadow.alpha * opacity)
    return f"\\1c{colour}\\1a{alpha}\\3c{colour}\\3a{alpha}"


def _body(
    segment: TextSegment,
    lines: list[list[_Run]],
    canvas: Canvas,
    colours: Callable[[TextStyle], str],
) -> str:
    """The event's text: keyword runs switch to the keyword style and back."""
    base = segment.style
    keyword = segment.keyword_style or base
    base_look = _look(base, em_pixels(base, canvas), colours(base))
    keyword_look = _look(keyword, em_pixels(keyword, canvas), colours(keyword))
    out = []
    for runs in lines:
        pieces = []
        for previous, run in zip([_Run("", False), *runs], runs, strict=False):
            if run.keyword != previous.keyword:
                pieces.append(f"{{{keyword_look if run.keyword else base_look}}}")
            pieces.append(escape_text([run.text]))
        out.append("".join(pieces))
    return "\\N".join(out)


def _fade(segment: TextSegment) -> str:
    """In and out animations as fades (libass multiplies them into every colour's alpha)."""
    animations = segment.animations
    if animations is None:
        return ""
    end = segment.target.duration // 1000
    fade_in = (0, 0)
    fade_out = (end, end)
    for item in animations.items:
        span = (item.start // 1000, (item.start + item.duration) // 1000)
        if item.type == "in":
            fade_in = span
        elif item.type == "out":
            fade_out = span
    if (fade_in, fade_out) == ((0, 0), (end, end)):
        return ""
    return f"\\fade(255,0,255,{fade_in[0]},{fade_in[1]},{fade_out[0]},{fade_out[1]})"


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
        f"\\bord{_n(border)}\\shad0{_fade(segment)}"
    )
    runs = _line_runs(segment, lines)
    timing = f"{_timestamp(segment.target.start)},{_timestamp(segment.target.end)},Default,,0,0,0,"
    events = []
    keyword_shadow = segment.keyword_style.shadow if segment.keyword_style else None
    shadows = [s for s in (style.shadow, keyword_shadow) if s is not None and s.alpha > 0]
    if shadows and (shadows[0] is style.shadow or any(run.keyword for r in runs for run in r)):
        # One copy holds every run's shadow, so all share the caption's offset and blur.
        shadow = shadows[0]
        scale = canvas_scale(canvas)
        angle = math.radians(shadow.angle)
        dx = shadow.distance * scale * math.cos(angle)
        dy = -shadow.distance * scale * math.sin(angle)
        blur = shadow.diffuse * DIFFUSE_TO_BLUR * scale
        colours = _shadow_colours(style, clip.alpha)
        tags = f"\\pos({_n(x + dx)},{_n(y + dy)}){common}\\blur{_n(blur)}{colours}"
        text = _body(segment, runs, canvas, lambda s: _shadow_colours(s, clip.alpha))
        events.append(f"Dialogue: {layer * 2},{timing},{{{tags}}}{text}")
    tags = f"\\pos({_n(x)},{_n(y)}){common}\\blur0{_text_colours(style, clip.alpha)}"
    text = _body(segment, runs, canvas, lambda s: _text_colours(s, clip.alpha))
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
