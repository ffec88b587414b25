"""The catalogue verbs: which animations, effects, filters (and, as an extension, transitions,
fonts, masks...) names the editing verbs accept, with their ids. Data: draftsmith.catalogue.

capcut-mate's `mode` filter is 0 = all, 1 = VIP only, 2 = free only. Extensions to every list:
`keyword` (part of the name), `offset` and `limit` (paging), and `total` in the answer.
Text effects (花字) and stickers come from capcut-mate's lists, shipped with the package, or
from the operator's catalogue files instead (draftsmith.catalogue.operator).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter

from draftsmith.api import responses, verbs
from draftsmith.api.catalogue_schemas import (
    AnimationsBody,
    AnimationsResponse,
    AnimationType,
    EffectsResponse,
    FiltersResponse,
    ListBody,
    ListCatalogueBody,
    ListCatalogueResponse,
    LookupBody,
    LookupResponse,
    SearchStickerBody,
    SearchStickerResponse,
    TextEffectsResponse,
)
from draftsmith.api.responses import OK
from draftsmith.catalogue import Entry, Kind, load, lookup, search
from draftsmith.web.auth import CallerDep
from draftsmith.web.deps import DraftsDep, NotesDep
from draftsmith.web.threads import OneTripRoute

router = APIRouter(
    prefix="/openapi/capcut-mate/v1",
    responses=responses.ERROR_RESPONSES,
    tags=["catalogue"],
    route_class=OneTripRoute,
)


def _page(body: ListBody, kind: Kind) -> tuple[int, Sequence[Entry]]:
    found = [
        e for e in search(kind, body.keyword) if body.mode == 0 or e.is_vip == (body.mode == 1)
    ]
    end = None if body.limit is None else body.offset + body.limit
    return len(found), found[body.offset : end]


def _params(entry: Entry) -> list[dict[str, Any]]:
    return [
        {"name": p.name, "default": p.default, "min": p.min, "max": p.max} for p in entry.params
    ]


def _entry_view(entry: Entry) -> dict[str, Any]:
    return {
        "name": entry.name,
        "is_vip": entry.is_vip,
        "resource_id": entry.resource_id,
        "effect_id": entry.effect_id,
        "duration": entry.duration_us,
        "params": _params(entry),
        "resource_type": entry.resource_type,
    }


_CATEGORIES: dict[AnimationType, tuple[str, str]] = {
    "in": ("ruchang", "入场"),
    "out": ("chuchang", "出场"),
    "loop": ("xunhuan", "循环"),
}
_TEXT_KINDS = {"in": Kind.TEXT_INTRO, "out": Kind.TEXT_OUTRO, "loop": Kind.TEXT_LOOP}
_IMAGE_KINDS = {"in": Kind.VIDEO_INTRO, "out": Kind.VIDEO_OUTRO, "loop": Kind.VIDEO_GROUP}


def _animations(body: AnimationsBody, kind: Kind, *, image: bool) -> dict[str, Any]:
    total, page = _page(body, kind)
    category_id, category_name = _CATEGORIES[body.type]
    if image:
        category_id, category_name = f"pic_{category_id}", f"图片{category_name}"
    effects = [
        {
            "resource_id": e.resource_id,
            "type": body.type,
            "category_id": category_id,
            "category_name": category_name,
            "duration": e.duration_us or 0,
            "id": e.effect_id,
            "name": e.name,
            "request_id": "",
            "start": 0,
            "icon_url": "",
            # What pyJianYingDraft writes into a draft for video and for text animations.
            "material_type": "video" if image else "sticker",
            "panel": "video" if image else "",
            "path": "",
            "platform": "all",
            "is_vip": e.is_vip,
        }
        for e in page
    ]
    return {**OK, "total": total, "effects": effects}


@router.post("/get_text_animations", response_model=AnimationsResponse)
def get_text_animations(caller: CallerDep, notes: NotesDep, body: AnimationsBody) -> dict[str, Any]:
    """Text intro, outro or loop animations, for add_captions and caption_infos."""
    warnings = verbs.number_warnings(notes, body)
    return {**_animations(body, _TEXT_KINDS[body.type], image=False), "warnings": warnings}


@router.post("/get_image_animations", response_model=AnimationsResponse)
def get_image_animations(
    caller: CallerDep, notes: NotesDep, body: AnimationsBody
) -> dict[str, Any]:
    """Image and video intro, outro or loop (group) animations, for add_images/add_videos."""
    warnings = verbs.number_warnings(notes, body)
    return {**_animations(body, _IMAGE_KINDS[body.type], image=True), "warnings": warnings}


@router.post("/get_effects", response_model=EffectsResponse)
def get_effects(caller: CallerDep, notes: NotesDep, body: ListBody | None = None) -> dict[str, Any]:
    """Scene and character effects: the names add_effects takes as effect_title."""
    body = body or ListBody()
    warnings = verbs.number_warnings(notes, body)
    total, page = _page(body, Kind.EFFECT)
    effects = [
        {
            "name": e.name,
            "is_vip": e.is_vip,
            "resource_id": e.resource_id,
            "effect_id": e.effect_id,
            "icon_url": "",
            "has_params": bool(e.params),
            "params": _params(e),
            "category": "scene" if e.kind is Kind.SCENE_EFFECT else "character",
        }
        for e in page
    ]
    return {**OK, "total": total, "effects": effects, "warnings": warnings}


@router.post("/get_filters", response_model=FiltersResponse)
def get_filters(caller: CallerDep, notes: NotesDep, body: ListBody | None = None) -> dict[str, Any]:
    """Filters: the names add_filters takes as filter_title."""
    body = body or ListBody()
    warnings = verbs.number_warnings(notes, body)
    total, page = _page(body, Kind.FILTER)
    filters = [
        {
            "name": e.name,
            "is_vip": e.is_vip,
            "resource_id": e.resource_id,
            "effect_id": e.effect_id,
            "has_params": bool(e.params),
            "params": _params(e),
        }
        for e in page
    ]
    return {**OK, "total": total, "filters": filters, "warnings": warnings}


@router.post("/get_text_effects", response_model=TextEffectsResponse)
def get_text_effects(
    drafts: DraftsDep, caller: CallerDep, notes: NotesDep, body: ListBody | None = None
) -> dict[str, Any]:
    """Text effects (花字): capcut-mate's list, shipped with the server, or the operator's
    (DRAFTSMITH_TEXT_EFFECT_CATALOGUE). add_captions takes their titles or ids as text_effect."""
    body = body or ListBody()
    warnings = verbs.number_warnings(notes, body)
    found = drafts.operator_catalogue.text_effects_for(body.mode, body.keyword)
    end = None if body.limit is None else body.offset + body.limit
    effects = [{"id": e.id, "title": e.title, "is_vip": e.is_vip} for e in found[body.offset : end]]
    return {**OK, "total": len(found), "text_effects": effects, "warnings": warnings}


@router.post("/search_sticker", response_model=SearchStickerResponse)
def search_sticker(drafts: DraftsDep, caller: CallerDep, body: SearchStickerBody) -> dict[str, Any]:
    """Stickers whose title contains `keyword`, ignoring case: from capcut-mate's list, shipped
    with the server, or the operator's (DRAFTSMITH_STICKER_CATALOGUE). add_sticker takes their
    sticker_id."""
    found = drafts.operator_catalogue.search_stickers(body.keyword)
    data = [{"sticker": s.sticker, "sticker_id": s.sticker_id, "title": s.title} for s in found]
    return {**OK, "data": data}


@router.post("/list_catalogue", response_model=ListCatalogueResponse)
def list_catalogue(caller: CallerDep, notes: NotesDep, body: ListCatalogueBody) -> dict[str, Any]:
    """Extension: any kind of the catalogue (transition, font, mask, mix_mode, tone_effect...)."""
    warnings = verbs.number_warnings(notes, body)
    total, page = _page(body, body.kind)
    catalogue = load()
    return {
        **OK,
        "total": total,
        "kind": body.kind.value,
        "source": f"{catalogue.package} {catalogue.version}",
        "entries": [_entry_view(e) for e in page],
        "warnings": warnings,
    }


@router.post("/lookup_name", response_model=LookupResponse)
def lookup_name(caller: CallerDep, body: LookupBody) -> dict[str, Any]:
    """Extension: the entry a name stands for, as the editing verbs resolve it (case, spaces
    and underscores do not matter); 400 with the closest names when there is none."""
    entry = lookup(body.kind, body.name, field="name")
    return {**OK, "kind": body.kind.value, "entry": _entry_view(entry)}
