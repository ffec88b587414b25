"""add_captions' body as the service's caption requests: the shared style, each caption's own
size, keywords and animations, fonts and the text effect (花字) by name.

As in capcut-mate, a font the catalogue does not know leaves the editor's default font (a
keyword font: the caption's), an unknown text effect is left out and leaves the colours as
given, each noted in the request's `Adjustments`. With `style_text` a caption's text may be
the `text_style` add_text_style answered: its text and keyword highlights are used.
"""

from __future__ import annotations

from dataclasses import replace

from draftsmith.api import schemas
from draftsmith.capcut.text_material import StyledText, read_text_style
from draftsmith.catalogue.fonts import font_or_fallback
from draftsmith.catalogue.operator import OperatorCatalogue
from draftsmith.errors import InvalidInput, UnknownName
from draftsmith.service import AnimationRequest, CaptionRequest
from draftsmith.timeline.adjustments import LEFT_OUT, UNKNOWN_NAME_SKIPPED, Adjustments
from draftsmith.timeline.model import Font, Shadow, TextStyle

DEFAULT_KEYWORD_COLOR = "#ff7100"
"""capcut-mate's keyword_color default (add_captions, add_text_style)."""
DEFAULT_SHADOW = Shadow("#000000", 0.9, 15.0, 5.0, -45.0)
"""capcut-mate's shadow when has_shadow is on and shadow_info is left out."""


def animation_request(info: schemas.AnimationFields) -> AnimationRequest:
    return AnimationRequest(
        info.in_animation,
        info.in_animation_duration,
        info.out_animation,
        info.out_animation_duration,
        info.loop_animation,
        info.loop_animation_duration,
    )


def keyword_list(keyword: str | None) -> tuple[str, ...]:
    """capcut-mate's "a|b" keyword list, blanks dropped, each word once."""
    if keyword is None:
        return ()
    words = (w.strip() for w in keyword.split("|"))
    return tuple(dict.fromkeys(w for w in words if w))


def _shadow(enabled: bool, info: schemas.ShadowInfo | None) -> Shadow | None:
    if not enabled:
        return None
    if info is None:
        return DEFAULT_SHADOW
    return Shadow(
        info.shadow_color,
        info.shadow_alpha,
        info.shadow_diffuse,
        info.shadow_distance,
        info.shadow_angle,
    )


def _font(
    name: str | None, field: str, notes: Adjustments, fallback: Font | None = None
) -> Font | None:
    if not name or not name.strip():
        return fallback
    return font_or_fallback(name, field=field, notes=notes, fallback=fallback)


def _text_effect(
    body: schemas.AddCaptionsBody, catalogue: OperatorCatalogue, notes: Adjustments
) -> str | None:
    if not body.text_effect or not body.text_effect.strip():
        return None
    try:
        return catalogue.text_effect_id(body.text_effect, field="text_effect")
    except UnknownName as exc:
        instead = "the captions were added without it, in the colours given"
        notes.note("text_effect", UNKNOWN_NAME_SKIPPED, f"{exc.detail}; {instead}", refusal=exc)
        return None


def _styled(field: str, text: str, notes: Adjustments) -> StyledText | None:
    """A caption's text read as add_text_style's `text_style` (style_text is on)."""
    styled = read_text_style(text)
    if styled is None:
        message = (
            f"{field}: style_text is on but the text is not a text_style from add_text_style; "
            "it is shown as it is"
        )
        notes.note(field, LEFT_OUT, message, InvalidInput(message))
    return styled


def caption_requests(
    body: schemas.AddCaptionsBody, catalogue: OperatorCatalogue, notes: Adjustments
) -> list[CaptionRequest]:
    """One request per caption, each styled by the body's shared style (and its own size);
    `text_effect` is looked up in the operator's `catalogue`."""
    color, border_color, has_shadow = body.text_color, body.border_color, body.has_shadow
    effect_id = _text_effect(body, catalogue, notes)
    if effect_id is not None:
        # capcut-mate's rule: the effect brings its own colours, so these are reset.
        color, border_color, has_shadow = "#ffffff", None, False
    shadow = _shadow(has_shadow, body.shadow_info)
    font = _font(body.font, "font", notes)
    requests = []
    for i, c in enumerate(body.captions):
        text, keyword, keyword_color = c.text, c.keyword, c.keyword_color
        font_size, keyword_font_size = c.font_size, c.keyword_font_size
        styled = _styled(f"captions[{i}].text", c.text, notes) if body.style_text else None
        if styled is not None:
            text = styled.text
            keyword = keyword if keyword is not None else "|".join(styled.keywords)
            if "keyword_color" not in c.model_fields_set:
                keyword_color = styled.keyword_color or keyword_color
            font_size = font_size or styled.font_size
            keyword_font_size = keyword_font_size or styled.keyword_font_size
        style = TextStyle(
            font_size=float(font_size or body.font_size),
            color=color,
            bold=body.bold,
            italic=body.italic,
            underline=body.underline,
            alignment=body.alignment,
            border_color=border_color,
            shadow=shadow,
            letter_spacing=body.letter_spacing or 0.0,
            line_spacing=body.line_spacing or 0.0,
            font=font,
        )
        keywords = keyword_list(keyword)
        keyword_font = _font(c.keyword_font, f"captions[{i}].keyword_font", notes, font)
        keyword_style = None
        if keywords:
            own_shadow = c.keyword_has_shadow and effect_id is None
            keyword_style = replace(
                style,
                color=keyword_color or DEFAULT_KEYWORD_COLOR,
                font_size=float(keyword_font_size or style.font_size),
                border_color=c.keyword_border_color or border_color,
                shadow=_shadow(True, c.keyword_shadow_info) if own_shadow else shadow,
                font=keyword_font,
            )
        requests.append(
            CaptionRequest(
                text,
                c.start,
                c.end,
                style,
                animation_request(c),
                keywords,
                keyword_style,
                text_effect_id=effect_id,
            )
        )
    return requests
