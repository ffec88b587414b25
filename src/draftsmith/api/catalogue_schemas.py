"""Request and response models of the catalogue verbs (animations, effects, filters, text
effects, stickers, and the extensions list_catalogue and lookup_name)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from draftsmith.api.numbers import WHOLE_NOT_BOOLEAN, Integer
from draftsmith.api.responses import Noted, Success
from draftsmith.api.schemas import Body
from draftsmith.catalogue import Kind

AnimationType = Literal["in", "out", "loop"]


class ListBody(Body):
    mode: Integer = Field(
        default=0, ge=0, le=2, description="0 = all, 1 = VIP only, 2 = free only."
    )
    keyword: str | None = Field(default=None, max_length=100, description="Part of the name.")
    offset: Integer = Field(default=0, ge=0, le=1_000_000)
    limit: Annotated[int, Field(ge=1, le=10_000), WHOLE_NOT_BOOLEAN] | None = Field(
        default=None, description="Default: all."
    )


class AnimationsBody(ListBody):
    type: AnimationType = Field(description="in = intro, out = outro, loop = loop.")


class ListCatalogueBody(ListBody):
    kind: Kind


class LookupBody(Body):
    kind: Kind
    name: Annotated[str, Field(min_length=1, max_length=200)]


class SearchStickerBody(Body):
    keyword: Annotated[str, Field(min_length=1, max_length=100, pattern=r"\S")]


class ParamView(BaseModel):
    name: str
    default: float
    min: float
    max: float


class AnimationView(BaseModel):
    resource_id: str
    type: str
    category_id: str
    category_name: str
    duration: int
    id: str
    name: str
    request_id: str
    start: int
    icon_url: str
    material_type: str
    panel: str
    path: str
    platform: str
    is_vip: bool


class EffectView(BaseModel):
    name: str
    is_vip: bool
    resource_id: str
    effect_id: str
    icon_url: str
    has_params: bool
    params: list[ParamView]
    category: str = Field(description="scene or character")


class FilterView(BaseModel):
    name: str
    is_vip: bool
    resource_id: str
    effect_id: str
    has_params: bool
    params: list[ParamView]


class EntryView(BaseModel):
    name: str
    is_vip: bool
    resource_id: str
    effect_id: str
    duration: int | None = Field(description="Default duration (animations, transitions), us.")
    params: list[ParamView]
    resource_type: str | None = Field(description="Masks: the shape.")


class TextEffectView(BaseModel):
    id: str
    title: str
    is_vip: bool


class StickerView(BaseModel):
    sticker: dict[str, Any]
    sticker_id: str
    title: str


class Paged(Noted):
    total: int = Field(description="Matching entries before offset and limit.")


class AnimationsResponse(Paged):
    effects: list[AnimationView]


class EffectsResponse(Paged):
    effects: list[EffectView]


class FiltersResponse(Paged):
    filters: list[FilterView]


class TextEffectsResponse(Paged):
    text_effects: list[TextEffectView]


class SearchStickerResponse(Success):
    data: list[StickerView]


class LookupResponse(Success):
    kind: str
    entry: EntryView


class ListCatalogueResponse(Paged):
    kind: str
    source: str = Field(description="Where the names come from, e.g. pyjianyingdraft 0.3.1.")
    entries: list[EntryView]
