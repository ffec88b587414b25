"""The steps a verb takes between its validated request body and the service, written once for
both edges that speak the verbs: the HTTP routes (web/routes.py) and the MCP tools
(draftsmith.mcp_server). Each function turns a body into the service's requests and makes the
one service call; the edges parse the draft's id and serialise the result their own way.

Every verb that can adjust a request takes the request's `Adjustments`, which the edge makes
(strict or not) and which the result's `warnings` report.
"""

from __future__ import annotations

from dataclasses import dataclass

from draftsmith.api import schemas, utility_schemas
from draftsmith.api.captions import animation_request, caption_requests, keyword_list
from draftsmith.api.numbers import FromText, number_conversions
from draftsmith.api.views import warning_views
from draftsmith.capcut.text_material import text_style_content
from draftsmith.errors import InvalidInput, NoSavedVersion, UnsavedChanges
from draftsmith.security.caller import Caller
from draftsmith.service import (
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
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.records import DraftHeader, RenderJob
from draftsmith.timeline.adjustments import (
    DEFAULT_APPLIED,
    NUMBER_FROM_STRING,
    NUMBER_ROUNDED,
    SAVED_BEFORE_RENDER,
    Adjustments,
)
from draftsmith.timeline.model import Clip, MediaKind, TrackKind


def note_rounding(notes: Adjustments, body: schemas.Body) -> None:
    """Note every number `body` was given as a string (`number_from_string`) and every whole
    number given with a fraction (`number_rounded`); strict `notes` refuse the first as the
    request was refused before such numbers were taken."""
    for conversion in number_conversions(body):
        field = conversion.field
        if isinstance(conversion, FromText):
            note_from_string(notes, conversion)
            continue
        notes.note(
            field,
            NUMBER_ROUNDED,
            f"{field}: {conversion.given} is not a whole number; {conversion.used} is used",
            InvalidInput(
                f"{field}: Input should be a valid integer, got a number with a fractional part"
            ),
        )


def number_warnings(notes: Adjustments, body: schemas.Body) -> list[dict[str, str]]:
    """The `warnings` of a verb whose only adjustments are the numbers it read; strict `notes`
    refuse them before the verb does anything."""
    note_rounding(notes, body)
    return warning_views(notes.items)


def note_from_string(notes: Adjustments, conversion: FromText) -> None:
    """Note a number given as a string (`number_from_string`); strict `notes` refuse it."""
    field = conversion.field
    notes.note(
        field,
        NUMBER_FROM_STRING,
        f"{field}: the string {conversion.given!r} is read as the number {conversion.used}",
        InvalidInput(f"{field}: Value error, must be {conversion.kind}, not a string"),
    )


def clip_of(body: schemas.PlacementBody) -> Clip:
    """Where and how a new track's segments sit on the canvas."""
    return Clip(body.alpha, body.scale_x, body.scale_y, body.transform_x, body.transform_y)


def add_videos(
    drafts: Drafts,
    caller: Caller,
    draft_id: str,
    body: schemas.AddVideosBody,
    notes: Adjustments,
    *,
    once: Idempotency[EditResult] | None = None,
) -> EditResult:
    note_rounding(notes, body)
    items = video_requests(body)
    return drafts.add_media(
        caller, draft_id, "video_infos", MediaKind.VIDEO, items, clip_of(body), notes, once=once
    )


def video_requests(body: schemas.AddVideosBody) -> list[MediaRequest]:
    """add_videos' items as the service takes them."""
    scenes = body.scene_timelines or []
    if len(scenes) > len(body.video_infos):
        raise InvalidInput(
            f"scene_timelines has {len(scenes)} items but video_infos only "
            f"{len(body.video_infos)}; give at most one scene per video"
        )
    return [
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


def add_images(
    drafts: Drafts,
    caller: Caller,
    draft_id: str,
    body: schemas.AddImagesBody,
    notes: Adjustments,
    *,
    once: Idempotency[EditResult] | None = None,
) -> EditResult:
    note_rounding(notes, body)
    return drafts.add_media(
        caller,
        draft_id,
        "image_infos",
        MediaKind.IMAGE,
        image_requests(body),
        clip_of(body),
        notes,
        once=once,
    )


def image_requests(body: schemas.AddImagesBody) -> list[MediaRequest]:
    """add_images' items as the service takes them."""
    return [
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


def add_audios(
    drafts: Drafts,
    caller: Caller,
    draft_id: str,
    body: schemas.AddAudiosBody,
    notes: Adjustments,
    *,
    once: Idempotency[EditResult] | None = None,
) -> EditResult:
    note_rounding(notes, body)
    items = audio_requests(body)
    return drafts.add_media(
        caller, draft_id, "audio_infos", MediaKind.AUDIO, items, None, notes, once=once
    )


def audio_requests(body: schemas.AddAudiosBody) -> list[MediaRequest]:
    """add_audios' items as the service takes them."""
    return [
        MediaRequest(
            f"audio_infos[{i}]", a.audio_url, a.start, a.end, a.volume, audio_effect=a.audio_effect
        )
        for i, a in enumerate(body.audio_infos)
    ]


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
    drafts: Drafts,
    caller: Caller,
    draft_id: str,
    body: schemas.AddCaptionsBody,
    notes: Adjustments,
    *,
    once: Idempotency[EditResult] | None = None,
) -> EditResult:
    note_rounding(notes, body)
    captions = caption_requests(body, drafts.operator_catalogue, notes)
    return drafts.add_captions(
        caller, draft_id, "captions", captions, clip_of(body), notes, once=once
    )


def add_effects(
    drafts: Drafts,
    caller: Caller,
    draft_id: str,
    body: schemas.AddEffectsBody,
    notes: Adjustments,
    *,
    once: Idempotency[EditResult] | None = None,
) -> EditResult:
    note_rounding(notes, body)
    items = effect_requests(body)
    return drafts.add_effects(
        caller, draft_id, "effect_infos", TrackKind.EFFECT, items, notes, once=once
    )


def effect_requests(body: schemas.AddEffectsBody) -> list[EffectRequest]:
    """add_effects' items as the service takes them."""
    return [
        EffectRequest(f"effect_infos[{i}]", e.effect_title, e.start, e.end)
        for i, e in enumerate(body.effect_infos)
    ]


def add_filters(
    drafts: Drafts,
    caller: Caller,
    draft_id: str,
    body: schemas.AddFiltersBody,
    notes: Adjustments,
    *,
    once: Idempotency[EditResult] | None = None,
) -> EditResult:
    note_rounding(notes, body)
    items = filter_requests(body)
    return drafts.add_effects(
        caller, draft_id, "filter_infos", TrackKind.FILTER, items, notes, once=once
    )


def filter_requests(body: schemas.AddFiltersBody) -> list[EffectRequest]:
    """add_filters' items as the service takes them."""
    return [
        EffectRequest(f"filter_infos[{i}]", f.filter_title, f.start, f.end, f.intensity)
        for i, f in enumerate(body.filter_infos)
    ]


_MASK_DEFAULTS = {
    "name": "name 线性 (linear)",
    "X": "X 0 (the centre)",
    "Y": "Y 0 (the centre)",
    "width": "width 512 pixels",
    "height": "height 512 pixels",
}
"""What add_masks uses for a left-out field the editor needs: capcut-mate's defaults."""


def add_masks(
    drafts: Drafts,
    caller: Caller,
    draft_id: str,
    body: schemas.AddMasksBody,
    notes: Adjustments,
    *,
    once: Idempotency[MaskResult] | None = None,
) -> MaskResult:
    note_rounding(notes, body)
    missing = [name for name in _MASK_DEFAULTS if name not in body.model_fields_set]
    # Strict: the 400 these fields gave when they were required.
    refusal = InvalidInput("; ".join(f"{name}: Field required" for name in missing[:3]))
    for name in missing:
        notes.note(
            name,
            DEFAULT_APPLIED,
            f"{name} was left out; capcut-mate's default {_MASK_DEFAULTS[name]} is used",
            refusal,
        )
    given = body.model_fields_set
    request = MaskRequest(
        segment_ids=tuple(body.segment_ids),
        name=body.name,
        x=body.X if "X" in given else None,
        y=body.Y if "Y" in given else None,
        width=body.width if "width" in given else None,
        height=body.height if "height" in given else None,
        feather=body.feather,
        rotation=body.rotation,
        invert=body.invert,
        round_corner=body.roundCorner,
    )
    return drafts.add_masks(caller, draft_id, request, notes, once=once)


def add_keyframes(
    drafts: Drafts,
    caller: Caller,
    draft_id: str,
    body: schemas.AddKeyframesBody,
    notes: Adjustments,
    *,
    once: Idempotency[KeyframeResult] | None = None,
) -> KeyframeResult:
    note_rounding(notes, body)
    items = [
        KeyframeRequest(f"keyframes[{i}]", k.property, k.value, k.segment_id, k.time, k.offset)
        for i, k in enumerate(body.keyframes)
    ]
    return drafts.add_keyframes(caller, draft_id, items, notes, once=once)


def add_sticker(
    drafts: Drafts,
    caller: Caller,
    draft_id: str,
    body: schemas.AddStickerBody,
    notes: Adjustments,
    *,
    once: Idempotency[EditResult] | None = None,
) -> EditResult:
    note_rounding(notes, body)
    return drafts.add_sticker(caller, draft_id, sticker_request(body), notes, once=once)


def sticker_request(body: schemas.AddStickerBody) -> StickerRequest:
    """add_sticker's sticker as the service takes it."""
    return StickerRequest(
        body.sticker_id,
        body.start,
        body.end,
        body.scale,
        body.transform_x,
        body.transform_y,
        image_url=body.image_url or None,
    )


def gen_video(
    drafts: Drafts,
    caller: Caller,
    draft_id: str,
    version: int | None,
    *,
    client: str,
    notes: Adjustments,
    once: Idempotency[RenderJob] | None = None,
) -> RenderJob:
    """Queue a render of `version`, or, without one, of the draft as it is now.

    capcut-mate renders whatever a draft's folder holds, so a workflow may call gen_video
    without save_draft. A draft with unsaved changes (or never saved) is then saved first,
    exactly as save_draft saves it (a new version; the save rate limits apply, since it is a
    save), and `notes` says so (`saved_before_render`). Strict `notes` refuse instead: a draft
    never saved with NoSavedVersion (404, call save_draft first), unsaved changes with
    UnsavedChanges (400), so nothing is rendered that the caller did not save.
    """
    if version is None:
        header = drafts.header(caller, draft_id)
        if not header.saved_version or header.unsaved_changes:
            _save_before_render(drafts, caller, header, client, notes)
    return drafts.start_render(caller, draft_id, version, once)


def _save_before_render(
    drafts: Drafts, caller: Caller, header: DraftHeader, client: str, notes: Adjustments
) -> None:
    never_saved = not header.saved_version
    if notes.strict:
        if never_saved:
            raise NoSavedVersion()
        raise UnsavedChanges(
            f"draft_url: the draft has changes made after its last saved version "
            f"{header.saved_version}; call save_draft before gen_video, or give version to "
            "render a saved one"
        )
    if header.duration_us <= 0:
        raise InvalidInput("Draft content is empty: the draft has nothing to render")
    outcome = drafts.save(caller, header.id, client=client, label="saved by gen_video")
    if outcome.created:
        state = "had never been saved" if never_saved else "had unsaved changes"
        notes.note(
            "draft_url",
            SAVED_BEFORE_RENDER,
            f"The draft {state}: gen_video saved it as version {outcome.version.version} "
            "(as save_draft does) and renders that version",
        )
