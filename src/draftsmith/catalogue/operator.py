"""Stickers and text effects (花字): the lists capcut-mate ships, shipped here as package data,
each replaced by the operator's own file when one is named.

Out of the box search_sticker, get_text_effects and add_captions' `text_effect` titles use
capcut-mate's lists (Apache-2.0, see NOTICE): `capcut_mate_stickers.json` (sticker id, title,
type and frame size) and `capcut_mate_text_effects.json` (text effect id, title, VIP flag).
They are parsed on first use, once per process.

An operator file (`DRAFTSMITH_STICKER_CATALOGUE`, `DRAFTSMITH_TEXT_EFFECT_CATALOGUE`) replaces
the shipped list of its kind rather than extending it, so an operator can also narrow the list
to what their users may pick. A sticker file holds items shaped like capcut-mate's sticker file
and the items of its search_sticker answer, `{"sticker": {...}, "sticker_id": "...", "title":
"..."}`, or flat like the shipped list, `{"sticker_id", "title", "sticker_type",
"width_per_frame", "height_per_frame"}`. A text effect file holds get_text_effects items,
`{"id": "...", "title": "...", "is_vip": false}`. Either file may also be a saved answer of the
verb (`{"data": [...]}`, `{"text_effects": [...]}`).

Operator files are read at start-up (`from_settings`); a missing or malformed file stops the
start with `InvalidSettings` naming the file and the problem. The service holds the result
(`Drafts.operator_catalogue`), where every edge finds it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from draftsmith.catalogue.names import NameIndex, normalize
from draftsmith.config import Settings
from draftsmith.errors import InvalidSettings, UnknownName

STICKER_SETTING = "DRAFTSMITH_STICKER_CATALOGUE"
TEXT_EFFECT_SETTING = "DRAFTSMITH_TEXT_EFFECT_CATALOGUE"
SHIPPED_STICKERS = "capcut_mate_stickers.json"
SHIPPED_TEXT_EFFECTS = "capcut_mate_text_effects.json"


@dataclass(frozen=True)
class Sticker:
    """One sticker the editor can fetch by `sticker_id`; `sticker` is capcut-mate's detail
    object (images, size, type), passed through as an operator file has it, or built from the
    facts a flat item holds."""

    sticker_id: str
    title: str
    sticker: Mapping[str, Any]


@dataclass(frozen=True)
class TextEffect:
    """One text effect (花字): its resource id and the title the editor shows."""

    id: str
    title: str
    is_vip: bool


@functools.cache
def shipped_stickers() -> tuple[Sticker, ...]:
    """capcut-mate's sticker list, as shipped in the package (parsed on first use)."""
    return _shipped(SHIPPED_STICKERS, _sticker)


@functools.cache
def shipped_text_effects() -> tuple[TextEffect, ...]:
    """capcut-mate's text effect list, as shipped in the package (parsed on first use)."""
    return _shipped(SHIPPED_TEXT_EFFECTS, _effect)


@dataclass(frozen=True)
class OperatorCatalogue:
    """The stickers and text effects a server offers: the shipped lists, each replaced by the
    operator's file where one was read."""

    operator_stickers: tuple[Sticker, ...] | None = None
    """The operator's sticker file; None for the shipped list."""
    operator_text_effects: tuple[TextEffect, ...] | None = None
    """The operator's text effect file; None for the shipped list."""

    @property
    def stickers(self) -> tuple[Sticker, ...]:
        if self.operator_stickers is None:
            return shipped_stickers()
        return self.operator_stickers

    @property
    def text_effects(self) -> tuple[TextEffect, ...]:
        if self.operator_text_effects is None:
            return shipped_text_effects()
        return self.operator_text_effects

    def search_stickers(self, keyword: str) -> tuple[Sticker, ...]:
        """Stickers whose title contains `keyword`, ignoring case and surrounding spaces."""
        wanted = keyword.strip().casefold()
        return tuple(s for s in self.stickers if wanted in s.title.casefold())

    def text_effects_for(self, mode: int, keyword: str | None = None) -> tuple[TextEffect, ...]:
        """capcut-mate's mode: 0 all, 1 VIP only, 2 free only; `keyword` part of the title."""
        wanted = normalize(keyword) if keyword else ""
        return tuple(
            e
            for e in self.text_effects
            if (mode == 0 or e.is_vip == (mode == 1)) and wanted in normalize(e.title)
        )

    @cached_property
    def _text_effect_index(self) -> NameIndex[str]:
        index: NameIndex[str] = NameIndex()
        for effect in self.text_effects:
            index.add(effect.title, effect.id)
        return index

    def text_effect_id(self, name_or_id: str, *, field: str = "text_effect") -> str:
        """The resource id of a text effect: a numeric id as given, a title from the catalogue
        (exact, else ignoring case, spaces and underscores; where titles repeat, the first
        listed); UnknownName with close matches."""
        text = name_or_id.strip()
        if text.isdecimal() and text.isascii():
            return text
        found = self._text_effect_index.find(text)
        if found is not None:
            return found
        detail = f'{field}: unknown text effect "{name_or_id}"'
        close = self._text_effect_index.suggestions(text)
        if close:
            detail += "; close matches: " + ", ".join(f'"{c}"' for c in close)
        raise UnknownName(f"{detail}; get_text_effects lists them all", close)


NO_OPERATOR_CATALOGUE = OperatorCatalogue()
"""What a server without catalogue files has: the shipped lists."""


def from_settings(settings: Settings) -> OperatorCatalogue:
    """The catalogues the settings name (the shipped list where none is named); InvalidSettings
    naming the setting, the file and the problem when one cannot be used."""
    return load(settings.sticker_catalogue, settings.text_effect_catalogue)


def load(sticker_file: Path | None, text_effect_file: Path | None) -> OperatorCatalogue:
    """Read the operator's files now; None keeps the shipped list of that kind."""
    stickers = None if sticker_file is None else _read(STICKER_SETTING, sticker_file, _sticker)
    effects = (
        None if text_effect_file is None else _read(TEXT_EFFECT_SETTING, text_effect_file, _effect)
    )
    return OperatorCatalogue(stickers, effects)


_LIST_KEYS = ("data", "text_effects")
"""Where a saved search_sticker / get_text_effects answer keeps its items."""

_FLAT_STICKER_KEYS = ("sticker_type", "width_per_frame", "height_per_frame")
"""The facts a flat sticker item holds, from which capcut-mate's detail object is built."""

T = TypeVar("T")


class _Malformed(ValueError):
    pass


def _shipped(name: str, parse: Callable[[dict[str, Any]], T]) -> tuple[T, ...]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return _items(json.loads(text), parse)


def _read(setting: str, path: Path, parse: Callable[[dict[str, Any]], T]) -> tuple[T, ...]:
    where = f"{setting}={path}"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidSettings(f"{where}: cannot read the file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InvalidSettings(f"{where}: the file is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise InvalidSettings(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    try:
        return _items(raw, parse)
    except _Malformed as exc:
        raise InvalidSettings(f"{where}: {exc}") from exc


def _items(raw: Any, parse: Callable[[dict[str, Any]], T]) -> tuple[T, ...]:
    if isinstance(raw, dict):
        raw = next((raw[key] for key in _LIST_KEYS if isinstance(raw.get(key), list)), raw)
    if not isinstance(raw, list):
        raise _Malformed(f"expected a JSON list of items, got {_json_type(raw)}")
    items = []
    for index, item in enumerate(raw):
        try:
            if not isinstance(item, dict):
                raise _Malformed(f"expected an object, got {_json_type(item)}")
            items.append(parse(item))
        except _Malformed as exc:
            raise _Malformed(f"item {index}: {exc}") from exc
    return tuple(items)


def _sticker(item: dict[str, Any]) -> Sticker:
    if "sticker" in item or not any(key in item for key in _FLAT_STICKER_KEYS):
        detail = item.get("sticker", {})
        if not isinstance(detail, dict):
            raise _Malformed(f"sticker must be an object, got {_json_type(detail)}")
    else:
        detail = _sticker_detail(*(_count(item, key) for key in _FLAT_STICKER_KEYS))
    return Sticker(_digits(item, "sticker_id"), _title(item), detail)


def _sticker_detail(sticker_type: int, width: int, height: int) -> dict[str, Any]:
    """capcut-mate's detail object, from the facts a flat item keeps. The image links are
    empty and the package size 0: capcut-mate's were signed links that expire, so the shipped
    list keeps neither."""
    return {
        "large_image": {"image_url": ""},
        "preview_cover": "",
        "sticker_package": {"height_per_frame": height, "size": 0, "width_per_frame": width},
        "sticker_type": sticker_type,
        "track_thumbnail": "",
    }


def _effect(item: dict[str, Any]) -> TextEffect:
    is_vip = item.get("is_vip", False)
    if not isinstance(is_vip, bool):
        raise _Malformed(f"is_vip must be true or false, got {_json_type(is_vip)}")
    return TextEffect(_digits(item, "id"), _title(item), is_vip)


def _count(item: dict[str, Any], key: str) -> int:
    value = item.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        shown = "missing" if value is None else json.dumps(value, ensure_ascii=False)
        raise _Malformed(f"{key} must be a whole number of at least 0, got {shown}")
    return value


def _digits(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if not isinstance(value, str) or not (value.isdecimal() and value.isascii()):
        shown = "missing" if value is None else json.dumps(value, ensure_ascii=False)
        raise _Malformed(f"{key} must be a string of digits, got {shown}")
    return value


def _title(item: dict[str, Any]) -> str:
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        raise _Malformed("title must be a non-empty string")
    return title


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "a string" if isinstance(value, str) else type(value).__name__
