"""capcut-mate's workflow helper verbs: reshape lists and timelines into the JSON the add_*
verbs take (timeline/coze.py), measure audio, and easy_create_material.

Like every verb they need an API key while keys are on, even those that touch no draft.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from draftsmith.api import coze, responses, verbs
from draftsmith.api import utility_schemas as s
from draftsmith.api.responses import OK
from draftsmith.api.urls import draft_url, parse_draft_url
from draftsmith.service.easy_material import EasyMaterial, easy_create_material
from draftsmith.timeline.model import Timerange
from draftsmith.web.auth import CallerDep
from draftsmith.web.deps import BaseUrl, DraftsDep, NotesDep
from draftsmith.web.idempotency import KeyDep, idempotent
from draftsmith.web.threads import OneTripRoute

router = APIRouter(
    prefix="/openapi/capcut-mate/v1",
    responses=responses.ERROR_RESPONSES,
    tags=["workflow helpers"],
    route_class=OneTripRoute,
)


def _spans(items: list[s.TimelineItem]) -> list[Timerange]:
    return coze.spans("timelines", [(t.start, t.end) for t in items])


@router.post("/str_to_list", response_model=s.StringListResponse)
def str_to_list(caller: CallerDep, body: s.StrToListBody) -> dict[str, Any]:
    """The string as a one-item list."""
    return {**OK, "infos": [body.obj]}


@router.post("/str_list_to_objs", response_model=s.ObjectListResponse)
def str_list_to_objs(caller: CallerDep, body: s.StrListToObjsBody) -> dict[str, Any]:
    """Each string as {"output": string}."""
    return {**OK, "infos": coze.objects_of(body.infos)}


@router.post("/objs_to_str_list", response_model=s.StringListResponse)
def objs_to_str_list(caller: CallerDep, body: s.ObjsToStrListBody) -> dict[str, Any]:
    """The `output` of each object."""
    return {**OK, "infos": [item.output for item in body.outputs]}


@router.post("/add_text_style", response_model=s.TextStyleResponse)
def add_text_style(caller: CallerDep, notes: NotesDep, body: s.AddTextStyleBody) -> dict[str, Any]:
    """Rich-text style runs for `text` with each keyword highlighted; touches no draft."""
    warnings = verbs.number_warnings(notes, body)
    return {**OK, "text_style": verbs.add_text_style(body).text_style, "warnings": warnings}


@router.post("/get_url", response_model=s.GetUrlResponse)
def get_url(caller: CallerDep, body: s.GetUrlBody) -> dict[str, Any]:
    """`output`, unchanged (as capcut-mate does)."""
    return {**OK, "output": body.output}


@router.post("/timelines", response_model=s.TimelinesResponse)
def timelines(caller: CallerDep, notes: NotesDep, body: s.TimelinesBody) -> dict[str, Any]:
    """Cut `duration` from `start` into `num` pieces, equal or at random (repeatably)."""
    mode = coze.split_mode("type", body.type)
    pieces = coze.split(body.duration, body.num, body.start, mode)
    return {
        **OK,
        "timelines": coze.span_json(pieces),
        "all_timelines": coze.whole(pieces),
        "warnings": verbs.number_warnings(notes, body),
    }


@router.post("/audio_timelines", response_model=s.TimelinesResponse)
def audio_timelines(
    drafts: DraftsDep, caller: CallerDep, notes: NotesDep, body: s.AudioTimelinesBody
) -> dict[str, Any]:
    """One piece per audio file, one after the other from 0; durations not given are probed."""
    durations = [
        link.duration
        if link.duration is not None
        else drafts.audio_duration(f"links[{index}].url", link.url)
        for index, link in enumerate(body.links)
    ]
    pieces = coze.consecutive("links", durations)
    return {
        **OK,
        "timelines": coze.span_json(pieces),
        "all_timelines": coze.whole(pieces),
        "warnings": verbs.number_warnings(notes, body),
    }


@router.post("/get_audio_duration", response_model=s.AudioDurationResponse)
def get_audio_duration(
    drafts: DraftsDep, caller: CallerDep, body: s.GetAudioDurationBody
) -> dict[str, Any]:
    """Fetch the file (with the same safety checks as add_audios), probe it, forget it."""
    return {**OK, "duration": drafts.audio_duration("mp3_url", body.mp3_url)}


def _motion(body: s.ImgsInfosBody | s.CaptionInfosBody) -> coze.Motion:
    return coze.Motion(
        in_animation=body.in_animation,
        in_animation_duration=body.in_animation_duration,
        loop_animation=body.loop_animation,
        loop_animation_duration=body.loop_animation_duration,
        out_animation=body.out_animation,
        out_animation_duration=body.out_animation_duration,
        transition=body.transition,
        transition_duration=body.transition_duration,
    )


@router.post("/imgs_infos", response_model=s.InfosResponse)
def imgs_infos(caller: CallerDep, notes: NotesDep, body: s.ImgsInfosBody) -> dict[str, Any]:
    """`image_infos` for add_images; animation names may be "a|b" to alternate."""
    infos = coze.image_infos(
        body.imgs,
        _spans(body.timelines),
        width=body.width,
        height=body.height,
        motion=_motion(body),
    )
    return {**OK, "infos": coze.encode(infos), "warnings": verbs.number_warnings(notes, body)}


@router.post("/video_infos", response_model=s.InfosResponse)
def video_infos(caller: CallerDep, notes: NotesDep, body: s.VideoInfosBody) -> dict[str, Any]:
    """`video_infos` for add_videos."""
    infos = coze.video_infos(
        body.video_urls,
        _spans(body.timelines),
        width=body.width,
        height=body.height,
        mask=body.mask,
        transition=body.transition,
        transition_duration=body.transition_duration,
        volume=body.volume,
    )
    return {**OK, "infos": coze.encode(infos), "warnings": verbs.number_warnings(notes, body)}


@router.post("/audio_infos", response_model=s.InfosResponse)
def audio_infos(caller: CallerDep, notes: NotesDep, body: s.AudioInfosBody) -> dict[str, Any]:
    """`audio_infos` for add_audios."""
    infos = coze.audio_infos(
        body.mp3_urls, _spans(body.timelines), audio_effect=body.audio_effect, volume=body.volume
    )
    return {**OK, "infos": coze.encode(infos), "warnings": verbs.number_warnings(notes, body)}


_KEYWORD_STYLE = (
    "keyword_color",
    "keyword_border_color",
    "keyword_font",
    "keyword_font_size",
    "keyword_has_shadow",
    "keyword_shadow_info",
    "font_size",
)


@router.post("/caption_infos", response_model=s.InfosResponse)
def caption_infos(caller: CallerDep, notes: NotesDep, body: s.CaptionInfosBody) -> dict[str, Any]:
    """`captions` for add_captions; the shorter of texts and timelines sets the count."""
    style = body.model_dump(include=set(_KEYWORD_STYLE))
    infos = coze.caption_infos(
        body.texts,
        _spans(body.timelines),
        keywords=body.keywords,
        style={key: style[key] for key in _KEYWORD_STYLE},
        motion=_motion(body),
    )
    return {**OK, "infos": coze.encode(infos), "warnings": verbs.number_warnings(notes, body)}


@router.post("/effect_infos", response_model=s.InfosResponse)
def effect_infos(caller: CallerDep, notes: NotesDep, body: s.EffectInfosBody) -> dict[str, Any]:
    """`effect_infos` for add_effects."""
    infos = coze.effect_infos(body.effects, _spans(body.timelines))
    return {**OK, "infos": coze.encode(infos), "warnings": verbs.number_warnings(notes, body)}


@router.post("/filter_infos", response_model=s.InfosResponse)
def filter_infos(caller: CallerDep, notes: NotesDep, body: s.FilterInfosBody) -> dict[str, Any]:
    """`filter_infos` for add_filters."""
    infos = coze.filter_infos(body.filters, _spans(body.timelines), body.intensities)
    return {**OK, "infos": coze.encode(infos), "warnings": verbs.number_warnings(notes, body)}


@router.post("/keyframes_infos", response_model=s.KeyframesInfosResponse)
def keyframes_infos(
    caller: CallerDep, notes: NotesDep, body: s.KeyframesInfosBody
) -> dict[str, Any]:
    """`keyframes` for add_keyframes: every offset on every segment."""
    infos = coze.keyframe_infos(
        body.ctype,
        coze.fractions("offsets", body.offsets),
        coze.numbers("values", body.values),
        [coze.SegmentSpan(i.id, i.start, i.end) for i in body.segment_infos],
        width=body.width,
        height=body.height,
    )
    warnings = verbs.number_warnings(notes, body)
    return {**OK, "keyframes_infos": coze.encode(infos), "warnings": warnings}


@router.post("/easy_create_material", response_model=s.EasyCreateMaterialResponse)
def easy_create_material_route(
    drafts: DraftsDep,
    base: BaseUrl,
    caller: CallerDep,
    notes: NotesDep,
    key: KeyDep,
    body: s.EasyCreateMaterialBody,
) -> Response | dict[str, Any]:
    """Audio (its full length), and optionally a video (5 s), an image (3 s) and a text (5 s),
    each on a new track, as the separate add_* verbs would add them, in one write."""
    draft_id = parse_draft_url(body.draft_url)
    warnings = verbs.number_warnings(notes, body)
    material = EasyMaterial(
        audio_url=body.audio_url,
        text=body.text,
        img_url=body.img_url,
        video_url=body.video_url,
        text_color=body.text_color,
        font_size=body.font_size,
        text_transform_y=body.text_transform_y,
    )
    return idempotent(
        drafts,
        caller,
        key,
        "easy_create_material",
        body,
        s.EasyCreateMaterialResponse,
        lambda once: easy_create_material(drafts, caller, draft_id, material, once),
        lambda header: {
            **OK,
            "draft_url": draft_url(base, header.id),
            "current_version": header.revision,
            "warnings": warnings,
        },
    )
