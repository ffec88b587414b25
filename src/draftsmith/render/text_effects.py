"""Text effects (花字) drawn from what their catalogue titles say (pure).

A draft names a text effect by its resource id only; the editor fetches its textures. The
render looks the id up in the text effect list shipped with draftsmith (capcut-mate's) and
reads the title: its colour words give the fill (the first) and the outline (the second, or
the colour after 描边), 描边 an outline, 发光 a glow (a blurred outline), 立体 a solid drop
shadow, 渐变 a gradient (drawn as its first colour filled and its second as the outline). An
id the list lacks, or a title that names none of these, is not drawn: the caption keeps its
own style.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from draftsmith.catalogue.operator import shipped_text_effects
from draftsmith.render.report import Feature, ReportBuilder
from draftsmith.timeline.model import TextSegment, TextStyle

COLOUR_WORDS: tuple[tuple[str, str], ...] = (
    ("红", "#ff2a2a"),
    ("橙", "#ff8a00"),
    ("黄", "#ffe000"),
    ("绿", "#2ecc40"),
    ("青", "#00d0d0"),
    ("蓝", "#1e6cff"),
    ("紫", "#a040ff"),
    ("粉", "#ff7eb6"),
    ("金", "#ffc83d"),
    ("白", "#ffffff"),
    ("黑", "#000000"),
    ("灰", "#9a9a9a"),
)


@dataclass(frozen=True)
class TextLook:
    """How a text effect is drawn: the caption style it gives and extra ASS tags."""

    title: str
    style: TextStyle
    glow: bool
    solid_shadow: bool
    how: str


@functools.cache
def _titles() -> dict[str, str]:
    return {effect.id: effect.title for effect in shipped_text_effects()}


def title_of(effect_id: str) -> str | None:
    return _titles().get(effect_id)


def _colours(title: str) -> list[str]:
    found: list[tuple[int, str]] = []
    for word, colour in COLOUR_WORDS:
        at = title.find(word)
        if at >= 0:
            found.append((at, colour))
    return [colour for _, colour in sorted(found)]


def text_look(effect_id: str, style: TextStyle) -> TextLook | None:
    """The look of the text effect `effect_id` on a caption of `style`; None when its title
    says nothing the render can draw (or the id is not in the list)."""
    title = title_of(effect_id)
    if title is None:
        return None
    colours = _colours(title)
    outlined = "描边" in title
    glow = "发光" in title or "光" in title
    solid = "立体" in title or "3D" in title.upper()
    gradient = "渐变" in title
    if not (colours or outlined or glow or solid):
        return None
    fill = colours[0] if colours else style.color
    border = style.border_color
    if len(colours) > 1:
        border = colours[1]
    elif outlined or glow or solid:
        border = border or ("#000000" if fill.lower() != "#000000" else "#ffffff")
    parts = [f"filled {fill}"]
    if border is not None:
        parts.append(f"{'glowing' if glow else 'outlined'} {border}")
    if solid:
        parts.append("with a solid drop shadow")
    if gradient:
        parts.append("its gradient as the two colours")
    new_style = replace(style, color=fill, border_color=border)
    return TextLook(title, new_style, glow, solid, ", ".join(parts))


def caption_style(segment: TextSegment, report: ReportBuilder) -> tuple[TextStyle, TextLook | None]:
    """The caption's style, with its text effect's look when the render can draw it."""
    style = segment.style
    effect = segment.effect
    if effect is None:
        return style, None
    look = text_look(effect.effect_id, style)
    if look is None:
        title = title_of(effect.effect_id)
        why = (
            "its title names no colour, outline, glow or 3D look"
            if title
            else "not in the text effect list the server ships"
        )
        report.not_drawn(Feature.TEXT_EFFECT, title or effect.effect_id, segment.id, why)
        return style, None
    report.approximated(Feature.TEXT_EFFECT, look.title, segment.id, look.how)
    return look.style, look
