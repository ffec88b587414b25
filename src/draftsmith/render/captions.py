"""Captions as an Advanced SubStation Alpha script for libass (pure): one event per caption,
plus one under it for its shadow, per piece of time and block of text.

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
- Line spacing and vertical layouts (alignment 3-5) place lines or characters one event each
  (caption_layout.py).
- Keyframes and animations (motion.py) cut the caption's time where its motion turns; each
  piece is an event pair that moves (`\\move`), scales and turns (`\t`) and fades (`\fade`)
  linearly. Turns are about the caption's centre (`\\org`). Animations of single characters
  (typewriter, one by one) give each character its own `\t` of its alpha.
- Text effects (花字) are drawn from what their titles say (text_effects.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from draftsmith.render.caption_layout import (
    COLUMN_EM,
    FONT_HEIGHT_PER_EM,
    LINE_SPACING_EM,
    Block,
    Measure,
    Run,
    column_chars,
    layout,
    line_runs,
    vertical,
)
from draftsmith.render.caption_motion import (
    CharTags,
    Piece,
    ass_number,
    char_tags,
    milliseconds,
    piece_of,
    pieces,
    place,
)
from draftsmith.render.motion import Box, motion
from draftsmith.render.report import Feature, ReportBuilder
from draftsmith.render.text_effects import caption_style
from draftsmith.timeline.model import Canvas, Shadow, TextSegment, TextStyle, Track

__all__ = ["CAPTION_FONT", "FONT_HEIGHT_PER_EM", "Measure", "ass_document", "em_pixels"]

CAPTION_FONT = "Noto Sans CJK SC"

EM_PX_PER_SIZE = 4.0
LINE_MAX_WIDTH = 0.82
BORDER_EM = 0.08
LETTER_SPACING_EM = 0.05
DIFFUSE_TO_BLUR = 0.2

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


_n = ass_number


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
    block: Block,
    canvas: Canvas,
    colours: Callable[[TextStyle], str],
    per_char: CharTags | None = None,
) -> str:
    """The event's text: keyword runs switch to the keyword style and back; characters that
    animate one by one carry their own tags."""
    base = segment.style
    keyword = segment.keyword_style or base
    base_look = _look(base, em_pixels(base, canvas), colours(base))
    keyword_look = _look(keyword, em_pixels(keyword, canvas), colours(keyword))
    out = []
    index = block.first
    for runs in block.lines:
        pieces = []
        for previous, run in zip([Run("", False), *runs], runs, strict=False):
            if run.keyword != previous.keyword:
                pieces.append(f"{{{keyword_look if run.keyword else base_look}}}")
            if per_char is None:
                pieces.append(escape_text([run.text]))
                index += len(run.text)
                continue
            style = keyword if run.keyword else base
            for c in run.text:
                tags = per_char(index, style)
                pieces.append(f"{{{tags}}}{escape_text([c])}" if tags else escape_text([c]))
                index += 1
        out.append("".join(pieces))
    return "\\N".join(out)


class _Caption:
    """The events of one caption."""

    def __init__(
        self, segment: TextSegment, canvas: Canvas, layer: int, report: ReportBuilder
    ) -> None:
        style, effect = caption_style(segment, report)
        self.segment = segment = replace(segment, style=style)
        self.style = style
        self.effect = effect
        self.canvas = canvas
        self.layer = layer
        report.exact(Feature.CAPTION, "", segment.id)
        if segment.keyword_style is not None and segment.keywords:
            report.exact(Feature.KEYWORD, ", ".join(segment.keywords), segment.id)
        clip = segment.clip
        em = em_pixels(style, canvas)
        self.em = em
        self.spacing = style.letter_spacing * LETTER_SPACING_EM * em
        self.measure = measure = Measure(em, clip.scale_x, self.spacing)
        if vertical(style.alignment):
            report.approximated(
                Feature.TEXT_LAYOUT, "vertical", segment.id, "upright characters in columns"
            )
            height = em * clip.scale_y + self.spacing
            lines = column_chars(segment.text, canvas.height * LINE_MAX_WIDTH, height)
            box = (COLUMN_EM * em * len(lines), height * max(len(c) for c in lines))
        else:
            lines = measure.wrap(segment.text, canvas.width * LINE_MAX_WIDTH)
            box = (max(measure.width(line) for line in lines), FONT_HEIGHT_PER_EM * em * len(lines))
        if style.line_spacing:
            report.approximated(
                Feature.TEXT_LAYOUT,
                "line spacing",
                segment.id,
                f"lines {FONT_HEIGHT_PER_EM:g} em plus {LINE_SPACING_EM:g} em per unit apart",
            )
        self.runs = line_runs(segment, lines)
        self.total = sum(len(line) for line in lines)
        self.motion = motion(
            segment.id,
            clip,
            segment.keyframes,
            segment.animations,
            segment.target.start,
            Box(canvas, box[0] / max(clip.scale_x, 1e-6), box[1] / max(clip.scale_y, 1e-6)),
            report,
            text=True,
        )
        opacity = self.motion.alpha.constant_value
        self.fading = opacity is None
        self.opacity = 1.0 if opacity is None else opacity
        self.border = BORDER_EM * em if style.border_color is not None else 0.0
        keyword_shadow = segment.keyword_style.shadow if segment.keyword_style else None
        shadows = [s for s in (style.shadow, keyword_shadow) if s is not None and s.alpha > 0]
        self.shadow = None
        runs = self.runs
        if shadows and (shadows[0] is style.shadow or any(run.keyword for r in runs for run in r)):
            # One copy holds every run's shadow, so all share the caption's offset and blur.
            self.shadow = shadows[0]

    def events(self) -> list[str]:
        segment = self.segment
        events = []
        for start_us, end_us in pieces((segment.target.start, segment.target.end), self.motion):
            piece = piece_of(self.motion, self.canvas, start_us / 1e6, end_us / 1e6)
            timing = f"{_timestamp(start_us)},{_timestamp(end_us)},Default,,0,0,0,"
            events += self._piece_events(piece, timing)
        return events

    def _blocks(self, sx: float, sy: float) -> list[Block]:
        measure = replace(self.measure, scale_x=sx)
        return layout(self.runs, measure, self.style.alignment, self.style.line_spacing, sy)

    def _tags(self, piece: Piece) -> tuple[str, str, str]:
        """(tags before the colours, the fade, the changes over the piece) common to every
        event of the piece."""
        style = self.style
        common = (
            f"\\fs{_n(self.em * FONT_HEIGHT_PER_EM)}"
            f"\\fscx{_n(piece.sx[0] * 100)}\\fscy{_n(piece.sy[0] * 100)}\\fsp{_n(self.spacing)}"
            f"\\b{int(style.bold)}\\i{int(style.italic)}\\u{int(style.underline)}"
            f"\\bord{_n(self.border)}\\shad0"
        )
        if self.motion.rotates:
            common = f"\\org({_n(piece.x[0])},{_n(piece.y[0])})\\frz{_n(-piece.turn[0])}{common}"
        change = ""
        if (piece.sx[1], piece.sy[1]) != (piece.sx[0], piece.sy[0]):
            change += f"\\fscx{_n(piece.sx[1] * 100)}\\fscy{_n(piece.sy[1] * 100)}"
        if piece.turn[1] != piece.turn[0]:
            change += f"\\frz{_n(-piece.turn[1])}"
        fade = ""
        if self.fading:
            a0, a1 = (255 - round(255 * a) for a in piece.alpha)
            duration = milliseconds(piece.t1 - piece.t0)
            fade = f"\\fade({a0},{a1},{a1},0,{duration},{duration},{duration})"
        return common, fade, change

    def _piece_events(self, piece: Piece, timing: str) -> list[str]:
        common, fade, change = self._tags(piece)
        blur0, blur1 = piece.blur
        events = []
        layer = self.layer
        shadow_colours = _shadow_colours(self.style, self.opacity)
        text_colours = self._effect_tags() + _text_colours(self.style, self.opacity)
        starts = self._blocks(piece.sx[0], piece.sy[0])
        still = (piece.sx[1], piece.sy[1]) == (piece.sx[0], piece.sy[0])
        ends = starts if still else self._blocks(piece.sx[1], piece.sy[1])
        for begin, finish in zip(starts, ends, strict=True):
            start = (piece.x[0] + begin.dx, piece.y[0] + begin.dy)
            end = (piece.x[1] + finish.dx, piece.y[1] + finish.dy)
            head = f"\\an{begin.anchor}{common}{fade}"
            if self.shadow is not None:
                dx, dy, blur = self._shadow_offset(self.shadow)
                blurs = (blur + blur0, blur + blur1)
                moving = self._moving_tags(blurs, change, shadow_colours)
                tags = f"{place(start, end, dx, dy)}{head}{moving}"
                text = self._text(begin, piece, shadow=True)
                events.append(f"Dialogue: {layer * 2},{timing},{{{tags}}}{text}")
            moving = self._moving_tags(piece.blur, change, text_colours)
            tags = f"{place(start, end, 0.0, 0.0)}{head}{moving}"
            events.append(
                f"Dialogue: {layer * 2 + 1},{timing},{{{tags}}}{self._text(begin, piece)}"
            )
        return events

    def _moving_tags(self, blurs: tuple[float, float], change: str, colours: str) -> str:
        """Blur, colours (and the effect's look), then what changes over the piece."""
        return (
            f"\\blur{_n(blurs[0])}{colours}"
            + (f"\\t({change})" if change else "")
            + (f"\\t(\\blur{_n(blurs[1])})" if blurs[1] != blurs[0] else "")
        )

    def _shadow_offset(self, shadow: Shadow) -> tuple[float, float, float]:
        scale = canvas_scale(self.canvas)
        angle = math.radians(shadow.angle)
        return (
            shadow.distance * scale * math.cos(angle),
            -shadow.distance * scale * math.sin(angle),
            shadow.diffuse * DIFFUSE_TO_BLUR * scale,
        )

    def _text(self, block: Block, piece: Piece, *, shadow: bool = False) -> str:
        opacity = self.opacity
        if shadow:

            def colours(s: TextStyle) -> str:
                return _shadow_colours(s, opacity)

            def alphas(s: TextStyle) -> str:
                return _shadow_alphas(s, opacity)

        else:
            effect = self._effect_tags()

            def colours(s: TextStyle) -> str:
                return effect + _text_colours(s, opacity)

            def alphas(s: TextStyle) -> str:
                alpha = _alpha(opacity)
                return f"\\1a{alpha}\\3a{alpha}"

        per_char = char_tags(self.motion, self.total, (piece.t0, piece.t1), alphas)
        return _body(self.segment, block, self.canvas, colours, per_char)

    def _effect_tags(self) -> str:
        effect = self.effect
        if effect is None:
            return ""
        tags = f"\\blur{_n(self.border)}" if effect.glow else ""
        if effect.solid_shadow:
            tags += f"\\shad{_n(self.border)}\\4c&H000000&"
        return tags


def _shadow_alphas(style: TextStyle, opacity: float) -> str:
    shadow = style.shadow
    if shadow is None or shadow.alpha <= 0:
        return "\\1a&HFF&\\3a&HFF&"
    alpha = _alpha(shadow.alpha * opacity)
    return f"\\1a{alpha}\\3a{alpha}"


def ass_document(
    canvas: Canvas, tracks: Sequence[tuple[int, Track]], report: ReportBuilder | None = None
) -> str:
    """The ASS script drawing the captions of `tracks`, each given with its stacking index;
    what is drawn of each caption goes to `report`."""
    report = report or ReportBuilder()
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
                lines.extend(_Caption(segment, canvas, layer, report).events())
    return "\n".join(lines) + "\n"
