"""Entries of `materials.texts`: a caption's text, its style runs and the flat style fields.

The style that renders is `content` (a JSON string: the text and its style runs, pyJianYingDraft
`text_segment.py`). Around it the editor keeps a flat copy of the style and ~80 more fields; a
material with only pyJianYingDraft's 12 fields reportedly crashes Mac Jianying 5.9 while the full
one opens (luoluoluo22/jianying-editor-skill#16). The full field set below is the one of a text
material Mac Jianying 5.6 wrote itself, keys in its alphabetical order; the flat values are
derived from the same style, so both copies agree.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from draftsmith.timeline.keywords import keyword_spans
from draftsmith.timeline.model import Shadow, TextEffect, TextSegment, TextStyle
from draftsmith.timeline.text_ranges import utf16_length

Json = dict[str, Any]

# pyJianYingDraft's TextBorder default: 40 on the editor's 0-100 slider, stored as 40 / 100 * 0.2.
_BORDER_WIDTH = 0.08
_CHECK_FLAG_TEXT = 7
_CHECK_FLAG_BORDER = 8
_CHECK_FLAG_SHADOW = 32
# An editor-made material with shadow distance 5 at -45 degrees has shadow_point (0.636, -0.636)
# and shadow_smoothing 0.45 at the default diffuse of 15: distance * 0.18 and diffuse * 0.03.
_SHADOW_POINT_PER_DISTANCE = 0.18
_SMOOTHING_PER_DIFFUSE = 0.03
_NO_SHADOW = Shadow(alpha=0.9)
# pyJianYingDraft's placeholder paths for a style run's font and text effect: no file is put
# there; the editor fetches the resource by its id.
_FONT_PATH = "D:"
_EFFECT_PATH = "C:"

_CONSTANT_FIELDS: Json = {
    "add_type": 0,
    "background_alpha": 1.0,
    "background_color": "",
    "background_height": 0.14,
    "background_horizontal_offset": 0.0,
    "background_round_radius": 0.0,
    "background_style": 0,
    "background_vertical_offset": 0.0,
    "background_width": 0.14,
    "bold_width": 0.0,
    "border_alpha": 1.0,
    "border_width": _BORDER_WIDTH,
    "fixed_height": -1.0,
    "fixed_width": -1.0,
    "font_category_id": "",
    "font_category_name": "",
    "font_id": "",
    "font_name": "",
    "font_path": "",
    "font_resource_id": "",
    "font_source_platform": 0,
    "font_team_id": "",
    "font_title": "none",
    "font_url": "",
    "force_apply_line_max_width": False,
    "group_id": "",
    "initial_scale": 1.0,
    "inner_padding": -1.0,
    "is_rich_text": False,
    "italic_degree": 0,
    "ktv_color": "",
    "language": "",
    "layer_weight": 1,
    "line_feed": 1,
    "line_max_width": 0.82,
    "multi_language_current": "none",
    "name": "",
    "preset_category": "",
    "preset_category_id": "",
    "preset_has_set_alignment": False,
    "preset_id": "",
    "preset_index": 0,
    "preset_name": "",
    "recognize_task_id": "",
    "recognize_type": 0,
    "shape_clip_x": False,
    "shape_clip_y": False,
    "style_name": "",
    "sub_type": 0,
    "subtitle_keywords": None,
    "subtitle_template_original_fontsize": 0.0,
    "text_alpha": 1.0,
    "text_curve": None,
    "text_preset_resource_id": "",
    "text_size": 30,
    "tts_auto_update": False,
    # "subtitle" wraps long lines automatically, as capcut-mate's captions do.
    "type": "subtitle",
    "underline_offset": 0.22,
    "underline_width": 0.05,
    "use_effect_default_color": True,
}


def rgb(color: str) -> list[float]:
    """A "#rrggbb" colour as the editor's [r, g, b] floats in 0..1."""
    digits = color.removeprefix("#")
    if len(digits) != 6:
        raise ValueError(f"colour must look like #rrggbb, got {color!r}")
    return [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]


def _hex(color: str | None) -> str:
    """The flat fields' colour form, "#RRGGBB" ("" for none), checked like `rgb`."""
    if color is None:
        return ""
    rgb(color)
    return color.upper()


def _layout(alignment: int) -> tuple[int, int]:
    """(typesetting, alignment) for a capcut-mate alignment 0-5.

    0-2 are left/centre/right in horizontal text; 3-5 are vertical text (typesetting 1) with
    centre/left/right (capcut-mate add_captions docs); the editor keeps 0/1/2 for the latter.
    """
    if alignment in (0, 1, 2):
        return 0, alignment
    vertical = {3: 1, 4: 0, 5: 2}
    if alignment in vertical:
        return 1, vertical[alignment]
    raise ValueError(f"text alignment must be 0-5, got {alignment}")


def _shadow(shadow: Shadow) -> Json:
    return {
        # The editor stores its 0-100 diffuse slider divided by 600 (pyJianYingDraft TextShadow).
        "diffuse": shadow.diffuse / 100.0 / 6,
        "alpha": shadow.alpha,
        "distance": shadow.distance,
        "content": {"solid": {"color": rgb(shadow.color)}},
        "angle": shadow.angle,
    }


def _styles(segment: TextSegment) -> list[Json]:
    """The content's style runs: one for the whole text, or, with keywords, a partition of it
    into base and keyword runs (ranges in UTF-16 code units, as the editor counts)."""
    text = segment.text
    keyword_style = segment.keyword_style
    spans = keyword_spans(text, segment.keywords) if keyword_style is not None else []
    effect = segment.effect
    if keyword_style is None or not spans:
        return [_style(text, segment.style, effect)]
    runs: list[tuple[int, int, TextStyle]] = []
    cursor = 0
    for start, end in spans:
        if start > cursor:
            runs.append((cursor, start, segment.style))
        runs.append((start, end, keyword_style))
        cursor = end
    if cursor < len(text):
        runs.append((cursor, len(text), segment.style))
    styles = []
    for start, end, style in runs:
        entry = _style(text[start:end], style, effect)
        first = utf16_length(text[:start])
        entry["range"] = [first, first + utf16_length(text[start:end])]
        styles.append(entry)
    return styles


def _style(text: str, style: TextStyle, effect: TextEffect | None) -> Json:
    """One style run; a text effect covers the whole caption, so every run carries it."""
    strokes = []
    if style.border_color is not None:
        strokes.append(
            {
                "content": {"solid": {"alpha": 1.0, "color": rgb(style.border_color)}},
                "width": _BORDER_WIDTH,
            }
        )
    entry: Json = {
        "fill": {
            "alpha": 1.0,
            "content": {"render_type": "solid", "solid": {"alpha": 1.0, "color": rgb(style.color)}},
        },
        "range": [0, utf16_length(text)],
        "size": style.font_size,
        "bold": style.bold,
        "italic": style.italic,
        "underline": style.underline,
        "strokes": strokes,
    }
    if style.font is not None:
        entry["font"] = {"id": style.font.resource_id, "path": _FONT_PATH}
    if effect is not None:
        entry["effectStyle"] = {"id": effect.effect_id, "path": _EFFECT_PATH}
    if style.shadow is not None:
        entry["shadows"] = [_shadow(style.shadow)]
    return entry


def _flat_shadow(shadow: Shadow | None) -> Json:
    used = shadow or _NO_SHADOW
    angle = math.radians(used.angle)
    reach = used.distance * _SHADOW_POINT_PER_DISTANCE
    return {
        "has_shadow": shadow is not None,
        "shadow_alpha": used.alpha,
        "shadow_angle": used.angle,
        "shadow_color": _hex(None if shadow is None else shadow.color),
        "shadow_distance": used.distance,
        # Rounded so that libm differences in the last bit never change the bytes.
        "shadow_point": {
            "x": round(reach * math.cos(angle), 12) + 0.0,
            "y": round(reach * math.sin(angle), 12) + 0.0,
        },
        "shadow_smoothing": round(used.diffuse * _SMOOTHING_PER_DIFFUSE, 12),
    }


def text_material(segment: TextSegment) -> Json:
    """The full `materials.texts` entry for a caption."""
    style = segment.style
    check_flag = _CHECK_FLAG_TEXT
    if style.border_color is not None:
        check_flag |= _CHECK_FLAG_BORDER
    if style.shadow is not None:
        check_flag |= _CHECK_FLAG_SHADOW
    typesetting, alignment = _layout(style.alignment)
    content = {"styles": _styles(segment), "text": segment.text}
    material: Json = {
        **_CONSTANT_FIELDS,
        **_flat_shadow(style.shadow),
        "alignment": alignment,
        "border_color": _hex(style.border_color),
        "caption_template_info": {
            "category_id": "",
            "category_name": "",
            "effect_id": "",
            "request_id": "",
            "resource_id": "",
            "resource_name": "",
        },
        "check_flag": check_flag,
        "combo_info": {"text_templates": []},
        "content": json.dumps(content, ensure_ascii=False, allow_nan=False),
        "font_size": style.font_size,
        "fonts": [],
        # capcut-mate puts a caption's opacity here rather than in the segment's clip.
        "global_alpha": segment.clip.alpha,
        "id": segment.material_id,
        # Spacing is in the editor's UI units, mapped as pyJianYingDraft's TextStyle does.
        "letter_spacing": style.letter_spacing * 0.05,
        "line_spacing": 0.02 + style.line_spacing * 0.05,
        "original_size": [],
        "relevance_segment": [],
        "text_color": _hex(style.color),
        "text_to_audio_ids": [],
        "typesetting": typesetting,
        "underline": style.underline,
        "words": {"end_time": [], "start_time": [], "text": []},
    }
    return dict(sorted(material.items()))


def text_style_content(
    text: str,
    keywords: tuple[str, ...],
    *,
    font_size: float,
    keyword_color: str,
    keyword_font_size: float,
) -> str:
    """add_text_style's `text_style`: the text and its plain and keyword style runs, in
    capcut-mate's short form (white plain text, keyword runs with `useLetterColor`)."""
    white = rgb("#ffffff")
    highlight = rgb(keyword_color)
    styles: list[Json] = []
    cursor = 0

    def run(start: int, end: int, keyword: bool) -> None:
        first = utf16_length(text[:start])
        entry: Json = {
            "fill": {"content": {"solid": {"color": highlight if keyword else white}}},
            "range": [first, first + utf16_length(text[start:end])],
            "size": keyword_font_size if keyword else font_size,
            "font": {"id": "", "path": ""},
        }
        if keyword:
            entry["useLetterColor"] = True
        styles.append(entry)

    for start, end in keyword_spans(text, keywords):
        if start > cursor:
            run(cursor, start, False)
        run(start, end, True)
        cursor = end
    if cursor < len(text):
        run(cursor, len(text), False)
    return json.dumps({"styles": styles, "text": text}, ensure_ascii=False, allow_nan=False)


@dataclass(frozen=True)
class StyledText:
    """What an add_text_style `text_style` says: the text, its keywords and how both look."""

    text: str
    keywords: tuple[str, ...]
    font_size: float | None
    keyword_color: str | None
    keyword_font_size: float | None


def _run_color(style: Json) -> str | None:
    fill = style.get("fill")
    content = fill.get("content") if isinstance(fill, dict) else None
    solid = content.get("solid") if isinstance(content, dict) else None
    color = solid.get("color") if isinstance(solid, dict) else None
    if not (isinstance(color, list) and len(color) == 3):
        return None
    if not all(isinstance(c, int | float) and 0 <= c <= 1 for c in color):
        return None
    return "#" + "".join(f"{round(c * 255):02x}" for c in color)


def _run_size(style: Json) -> float | None:
    size = style.get("size")
    if isinstance(size, int | float) and not isinstance(size, bool) and 1 <= size <= 500:
        return float(size)
    return None


def read_text_style(content: str) -> StyledText | None:
    """`content` read as add_text_style's `text_style` (what `text_style_content` writes, or
    capcut-mate's own): keyword runs are those with `useLetterColor`. None if it is not one."""
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    text, styles = data.get("text"), data.get("styles")
    if not isinstance(text, str) or not text.strip() or not isinstance(styles, list):
        return None
    units = text.encode("utf-16-le")
    keywords: list[str] = []
    font_size = keyword_color = keyword_font_size = None
    for style in styles:
        span = style.get("range") if isinstance(style, dict) else None
        if not (isinstance(span, list) and len(span) == 2 and all(type(i) is int for i in span)):
            continue
        piece = units[2 * span[0] : 2 * span[1]].decode("utf-16-le", errors="ignore")
        if style.get("useLetterColor"):
            keywords.append(piece.strip())
            keyword_color = keyword_color or _run_color(style)
            keyword_font_size = keyword_font_size or _run_size(style)
        else:
            font_size = font_size or _run_size(style)
    found = tuple(dict.fromkeys(k for k in keywords if k))
    return StyledText(text, found, font_size, keyword_color, keyword_font_size)
