"""The render report: what a render drew of everything its draft holds (pure).

The planner notes each feature of each segment as it plans it: drawn `exact`, `approximated`
(and how), or `not_drawn` (and why). Notes of one feature, name, outcome and explanation are
merged into one entry listing their segments, in the order they were first noted, so the report
of a draft is always the same. Nothing a draft holds is left out of it: a segment whose kind the
render does not draw at all is noted as not drawn.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Drawn(StrEnum):
    EXACT = "exact"
    APPROXIMATED = "approximated"
    NOT_DRAWN = "not_drawn"


class Feature(StrEnum):
    """What a report entry is about; docs/render.md lists what each outcome means for each."""

    VIDEO = "video"
    IMAGE = "image"
    AUDIO = "audio"
    CAPTION = "caption"
    PLACEMENT = "placement"
    KEYFRAME = "keyframe"
    MASK = "mask"
    ANIMATION = "animation"
    TRANSITION = "transition"
    FILTER = "filter"
    EFFECT = "effect"
    KEYWORD = "keyword"
    TEXT_LAYOUT = "text_layout"
    TEXT_EFFECT = "text_effect"
    STICKER = "sticker"
    AUDIO_EFFECT = "audio_effect"


@dataclass(frozen=True)
class ReportEntry:
    """One feature as drawn: `name` says which (a keyframe property, an animation or filter
    name...), `how` what was drawn instead or why nothing was ("" when exact)."""

    feature: Feature
    name: str
    drawn: Drawn
    how: str
    segment_ids: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "feature": self.feature.value,
            "name": self.name,
            "drawn": self.drawn.value,
            "how": self.how,
            "segment_ids": list(self.segment_ids),
        }


@dataclass(frozen=True)
class RenderReport:
    entries: tuple[ReportEntry, ...] = ()

    def as_json(self) -> list[dict[str, Any]]:
        return [entry.as_json() for entry in self.entries]

    def dumps(self) -> str:
        """Compact JSON, as render jobs store it."""
        return json.dumps(self.as_json(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> RenderReport:
        return cls.from_json(json.loads(text))

    @classmethod
    def from_json(cls, items: Sequence[Mapping[str, Any]]) -> RenderReport:
        return cls(
            tuple(
                ReportEntry(
                    Feature(item["feature"]),
                    str(item["name"]),
                    Drawn(item["drawn"]),
                    str(item["how"]),
                    tuple(str(s) for s in item["segment_ids"]),
                )
                for item in items
            )
        )

    def about(self, feature: Feature) -> tuple[ReportEntry, ...]:
        return tuple(entry for entry in self.entries if entry.feature is feature)


class ReportBuilder:
    """Collects notes while a plan is made."""

    def __init__(self) -> None:
        self._segments: dict[tuple[Feature, str, Drawn, str], list[str]] = {}

    def note(
        self, feature: Feature, name: str, drawn: Drawn, segment_id: str, how: str = ""
    ) -> None:
        ids = self._segments.setdefault((feature, name, drawn, how), [])
        if segment_id not in ids:
            ids.append(segment_id)

    def exact(self, feature: Feature, name: str, segment_id: str) -> None:
        self.note(feature, name, Drawn.EXACT, segment_id)

    def approximated(self, feature: Feature, name: str, segment_id: str, how: str) -> None:
        self.note(feature, name, Drawn.APPROXIMATED, segment_id, how)

    def not_drawn(self, feature: Feature, name: str, segment_id: str, why: str) -> None:
        self.note(feature, name, Drawn.NOT_DRAWN, segment_id, why)

    def build(self) -> RenderReport:
        return RenderReport(
            tuple(
                ReportEntry(feature, name, drawn, how, tuple(ids))
                for (feature, name, drawn, how), ids in self._segments.items()
            )
        )
