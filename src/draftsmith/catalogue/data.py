"""The catalogue's entries, read once from the generated pyjianyingdraft.json."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

DATA_FILE = "pyjianyingdraft.json"


class Kind(StrEnum):
    """What a name in the catalogue names. `EFFECT` is scene and character effects together."""

    TEXT_INTRO = "text_intro"
    TEXT_OUTRO = "text_outro"
    TEXT_LOOP = "text_loop"
    VIDEO_INTRO = "video_intro"
    VIDEO_OUTRO = "video_outro"
    VIDEO_GROUP = "video_group"
    SCENE_EFFECT = "scene_effect"
    CHARACTER_EFFECT = "character_effect"
    EFFECT = "effect"
    FILTER = "filter"
    TRANSITION = "transition"
    FONT = "font"
    MASK = "mask"
    MIX_MODE = "mix_mode"
    AUDIO_SCENE_EFFECT = "audio_scene_effect"
    TONE_EFFECT = "tone_effect"
    SPEECH_TO_SONG = "speech_to_song"
    AUDIO_EFFECT = "audio_effect"
    """Audio scene effects, voice tones and speech-to-song styles together (add_audios)."""


COMPOSITE: dict[Kind, tuple[Kind, ...]] = {
    Kind.EFFECT: (Kind.SCENE_EFFECT, Kind.CHARACTER_EFFECT),
    Kind.AUDIO_EFFECT: (Kind.AUDIO_SCENE_EFFECT, Kind.TONE_EFFECT, Kind.SPEECH_TO_SONG),
}


@dataclass(frozen=True)
class Param:
    """An adjustable parameter of an effect or filter; values are the editor's 0-1 scale."""

    name: str
    default: float
    min: float
    max: float


@dataclass(frozen=True)
class Entry:
    """One named resource of the editor: what a draft needs to refer to it."""

    kind: Kind
    name: str
    """The name the editor shows, and the one the API takes."""
    member: str
    """The pyJianYingDraft enum member (`打字机_I` for `打字机 I`)."""
    is_vip: bool
    resource_id: str
    effect_id: str
    duration_us: int | None = None
    """Default duration of animations and transitions."""
    params: tuple[Param, ...] = ()
    is_overlap: bool | None = None
    """Transitions only."""
    resource_type: str | None = None
    """Masks only: the shape (`circle`, `rectangle`, ...)."""
    default_aspect_ratio: float | None = None
    """Masks only."""


@dataclass(frozen=True)
class Catalogue:
    package: str
    version: str
    kinds: dict[Kind, tuple[Entry, ...]]


def _entry(kind: Kind, raw: dict[str, Any]) -> Entry:
    params = tuple(
        Param(str(p["name"]), float(p["default"]), float(p["min"]), float(p["max"]))
        for p in raw.get("params", ())
    )
    duration = raw.get("duration_us")
    overlap = raw.get("is_overlap")
    ratio = raw.get("default_aspect_ratio")
    return Entry(
        kind=kind,
        name=str(raw["name"]),
        member=str(raw["member"]),
        is_vip=bool(raw["is_vip"]),
        resource_id=str(raw["resource_id"]),
        effect_id=str(raw["effect_id"]),
        duration_us=int(duration) if duration is not None else None,
        params=params,
        is_overlap=bool(overlap) if overlap is not None else None,
        resource_type=raw.get("resource_type"),
        default_aspect_ratio=float(ratio) if ratio is not None else None,
    )


@functools.cache
def load() -> Catalogue:
    """The catalogue shipped with the package (parsed on first use, then kept)."""
    text = resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    raw = json.loads(text)
    kinds = {
        Kind(name): tuple(_entry(Kind(name), item) for item in items)
        for name, items in raw["kinds"].items()
    }
    for composite, parts in COMPOSITE.items():
        kinds[composite] = tuple(entry for part in parts for entry in kinds[part])
    return Catalogue(str(raw["source"]["package"]), str(raw["source"]["version"]), kinds)


def entries(kind: Kind) -> tuple[Entry, ...]:
    """Every entry of `kind`, in the order pyJianYingDraft lists them."""
    return load().kinds[kind]
