"""The steps a verb takes between its validated request body and the service, written once for
both edges that speak the verbs: the HTTP routes (web/routes.py) and the MCP tools
(draftsmith.mcp_server). Each function turns a body into the service's requests and makes the
one service call; the edges parse the draft's id and serialise the result their own way."""

from __future__ import annotations

from dataclasses import dataclass, replace

from draftsmith.api import schemas, utility_schemas
from draftsmith.capcut.problems import Report
from draftsmith.capcut.profiles import PROFILES
from draftsmith.capcut.text_material import text_style_content
from draftsmith.capcut.validate import validate_folder
from draftsmith.catalogue.fonts import font as catalogue_font
from draftsmith.catalogue.operator import OperatorCatalogue
from draftsmith.editor.sources import version_files
from draftsmith.errors import InvalidInput
from draftsmith.security.caller import Caller
from draftsmith.service import (
    AnimationRequest,
    CaptionRequest,
    Drafts,
    EditResult,
    EffectRequest,
    KeyframeRequest,
    KeyframeResult,
    MaskRequest,
    MaskResult,
    MediaRequest,
    StickerRequest,
)
from draftsmith.store.records import VersionRecord
from draftsmith.timeline.model import Clip, Font, MediaKind, Shadow, TextStyle, TrackKind


def clip_of(body: schemas.PlacementBody) -> Clip:
    """Where and how a new track's segments sit on the canvas."""
    return Clip(body.alpha, body.scale_x, body.scale_y, body.transform_x, body.transform_y)


def add_videos(
    drafts: Drafts, caller: Caller, draft_id: str, body: schemas.AddVideosBody
) -> EditResult:
    scenes = body.scene_timelines or []
    if len(scenes) > len(body.video_infos):
        raise InvalidInput(
            f"scene_timelines has {len(scenes)} items but video_infos only "
            f"{len(body.video_infos)}; give at most one scene per video"
        )
    items = [
        MediaRequest(
            f"video_infos[{i}]",
            v.video_url,
            v.start,
            v.end,
            v.volume,
            v.transition,
            v.transition_duration,
            scene=(scenes[i].start, scenes[i].end) if i < len(scenes) else None,
            mask=v.mask,
        )
        for i, v in enumerate(body.video_infos)
    ]
    return drafts.add_media(caller, draft_id, "video_infos", MediaKind.VIDEO, items, clip_of(body))


def add_images(
    drafts: Drafts, caller: Caller, draft_id: str, body: schemas.AddImagesBody
) -> EditResult:
    items = [
        MediaRequest(
            f"image_infos[{i}]",
            v.image_url,
            v.start,
            v.end,
            transition=v.transition,
            transition_duration=v.transition_duration,
            animations=animation_request(v),
        )
        for i, v in enumerate(body.image_infos)
    ]
    return drafts.add_media(caller, draft_id, "image_infos", MediaKind.IMAGE, items, clip_of(body))


def animation_request(info: schemas.AnimationFields) -> AnimationRequest:
    return AnimationRequest(
        info.in_animation,
        info.in_animation_duration,
        info.out_animation,
        info.out_animation_duration,
        info.loop_animation,
        info.loop_animation_duration,
    )


def add_audios(
    drafts: Drafts, caller: Caller, draft_id: str, body: schemas.AddAudiosBody
) -> EditResult:
    items = [
        MediaRequest(f"audio_infos[{i}]", a.audio_url, a.start, a.end, a.volume)
        for i, a in enumerate(body.audio_infos)
    ]
    return drafts.add_media(caller, draft_id, "audio_infos", MediaKind.AUDIO, items, None)


def _shadow(enabled: bool, info: schemas.ShadowInfo | None) -> Shadow | None:
    if not enabled:
        return None
    info = info or schemas.ShadowInfo()
    return Shadow(
        info.shadow_color,
        info.shadow_alpha,
        info.shadow_diffuse,
        info.shadow_distance,
        info.shadow_angle,
    )


def _font(name: str | None, field: str) -> Font | None:
    return catalogue_font(name, field=field) if name and name.strip() else None


def caption_requests(
    body: schemas.AddCaptionsBody, catalogue: OperatorCatalogue
) -> list[CaptionRequest]:
    """One request per caption, each styled by the body's shared style (and its own size);
    `text_effect` is looked up in the operator's `catalogue`."""
    color, border_color, has_shadow = body.text_color, body.border_color, body.has_shadow
    effect_id = None
    if body.text_effect and body.text_effect.strip():
        effect_id = catalogue.text_effect_id(body.text_effect, field="text_effect")
        # capcut-mate's rule: the effect brings its own colours, so these are reset.
        color, border_color, has_shadow = "#ffffff", None, False
    shadow = _shadow(has_shadow, body.shadow_info)
    font = _font(body.font, "font")
    requests = []
    for i, c in enumerate(body.captions):
        style = TextStyle(
            font_size=float(c.font_size or body.font_size),
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
        keyword_font = _font(c.keyword_font, f"captions[{i}].keyword_font") or font
        keywords = keyword_list(c.keyword)
        keyword_style = None
        if keywords:
            own_shadow = c.keyword_has_shadow and effect_id is None
            keyword_style = replace(
                style,
                color=c.keyword_color or DEFAULT_KEYWORD_COLOR,
                font_size=float(c.keyword_font_size or style.font_size),
                border_color=c.keyword_border_color or border_color,
                shadow=_shadow(True, c.keyword_shadow_info) if own_shadow else shadow,
                font=keyword_font,
            )
        requests.append(
            CaptionRequest(
                c.text,
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


DEFAULT_KEYWORD_COLOR = "#ff7100"
"""capcut-mate's keyword_color default (add_captions, add_text_style)."""


def keyword_list(keyword: str | None) -> tuple[str, ...]:
    """capcut-mate's "a|b" keyword list, blanks dropped, each word once."""
    if keyword is None:
        return ()
    words = (w.strip() for w in keyword.split("|"))
    return tuple(dict.fromkeys(w for w in words if w))


@dataclass(frozen=True)
class HighlightedText:
    """add_text_style's answer: the keywords found and the `text_style` JSON."""

    keywords: tuple[str, ...]
    text_style: str


def add_text_style(body: utility_schemas.AddTextStyleBody) -> HighlightedText:
    """The rich-text style of `body.text` with each keyword highlighted; touches no draft."""
    keywords = keyword_list(body.keyword)
    if not keywords:
        raise InvalidInput("keyword must name at least one keyword, separated by |")
    text_style = text_style_content(
        body.text,
        keywords,
        font_size=body.font_size,
        keyword_color=body.keyword_color,
        keyword_font_size=body.keyword_font_size,
    )
    return HighlightedText(keywords, text_style)


def add_captions(
    drafts: Drafts, caller: Caller, draft_id: str, body: schemas.AddCaptionsBody
) -> EditResult:
    captions = caption_requests(body, drafts.operator_catalogue)
    return drafts.add_captions(caller, draft_id, "captions", captions, clip_of(body))


def add_effects(
    drafts: Drafts, caller: Caller, draft_id: str, body: schemas.AddEffectsBody
) -> EditResult:
    items = [
        EffectRequest(f"effect_infos[{i}]", e.effect_title, e.start, e.end)
        for i, e in enumerate(body.effect_infos)
    ]
    return drafts.add_effects(caller, draft_id, "effect_infos", TrackKind.EFFECT, items)


def add_filters(
    drafts: Drafts, caller: Caller, draft_id: str, body: schemas.AddFiltersBody
) -> EditResult:
    items = [
        EffectRequest(f"filter_infos[{i}]", f.filter_title, f.start, f.end, f.intensity)
        for i, f in enumerate(body.filter_infos)
    ]
    return drafts.add_effects(caller, draft_id, "filter_infos", TrackKind.FILTER, items)


def validate_version(
    drafts: Drafts, caller: Caller, draft_id: str, body: schemas.ValidateDraftBody
) -> tuple[VersionRecord, Report]:
    """Check a saved version's folder for the editors of `body.profile`."""
    record = drafts.version(caller, draft_id, body.version)
    files = version_files(record, drafts.file_chunks)
    return record, validate_folder(files, PROFILES[body.profile])


def add_masks(
    drafts: Drafts, caller: Caller, draft_id: str, body: schemas.AddMasksBody
) -> MaskResult:
    request = MaskRequest(
        segment_ids=tuple(body.segment_ids),
        name=body.name,
        x=body.X,
        y=body.Y,
        width=body.width,
        height=body.height,
        feather=body.feather,
        rotation=body.rotation,
        invert=body.invert,
        round_corner=body.roundCorner,
    )
    return drafts.add_masks(caller, draft_id, request)


def add_keyframes(
    drafts: Drafts, caller: Caller, draft_id: str, body: schemas.AddKeyframesBody
) -> KeyframeResult:
    items = [
        KeyframeRequest(f"keyframes[{i}]", k.property, k.value, k.segment_id, k.time, k.offset)
        for i, k in enumerate(body.keyframes)
    ]
    return drafts.add_keyframes(caller, draft_id, items)


def add_sticker(
    drafts: Drafts, caller: Caller, draft_id: str, body: schemas.AddStickerBody
) -> EditResult:
    request = StickerRequest(
        body.sticker_id, body.start, body.end, body.scale, body.transform_x, body.transform_y
    )
    return drafts.add_sticker(caller, draft_id, request)
