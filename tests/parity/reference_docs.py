"""capcut-mate's documented contract for each verb, read from tests/fixtures/capcut_mate.

Each `<verb>.json` there holds facts taken from capcut-mate's docs page of that verb (its
documented example, its request field tables), and names the page it came from; see the
README in that folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "capcut_mate"


@dataclass(frozen=True)
class Example:
    request: dict[str, Any]
    response: dict[str, Any]


@dataclass(frozen=True)
class DocumentedField:
    """One request field as capcut-mate documents it."""

    name: str
    type: str
    """string, integer, number, boolean, object, array or json_array_string (an array that
    capcut-mate takes encoded as a JSON string); integer where its docs say number but its
    request model takes whole numbers only."""
    required: bool
    items: str | None
    has_default: bool
    default: Any
    """capcut-mate's default: its model's where the docs leave it out, else the documented one."""


@cache
def _page(verb: str) -> dict[str, Any]:
    page: dict[str, Any] = json.loads((FIXTURES / f"{verb}.json").read_text(encoding="utf-8"))
    return page


def verbs() -> list[str]:
    """Every verb capcut-mate documents."""
    return sorted(path.stem for path in FIXTURES.glob("*.json"))


def method(verb: str) -> str:
    return str(_page(verb)["method"])


def example(verb: str) -> Example:
    """The documented example request of `verb` and its documented success response."""
    documented = _page(verb)["example"]
    return Example(documented["request"], documented["response"])


def _field(raw: dict[str, Any]) -> DocumentedField:
    if "model_default" in raw:
        has_default, default = True, raw["model_default"]
    else:
        has_default, default = "default" in raw, raw.get("default")
    kind = raw.get("model_type", raw["type"])
    return DocumentedField(
        raw["name"], kind, raw["required"], raw.get("items"), has_default, default
    )


def fields(verb: str) -> list[DocumentedField]:
    """The top-level request fields of `verb`."""
    return [_field(raw) for raw in _page(verb)["fields"]]


def item_fields(verb: str) -> dict[str, list[DocumentedField]]:
    """The fields inside `verb`'s lists and objects, by path: `video_infos[]` is an item of
    video_infos, `captions[].keyword_shadow_info` the object in a caption's keyword_shadow_info."""
    return {path: [_field(raw) for raw in raws] for path, raws in _page(verb)["items"].items()}
