"""What the edges hand the use cases, as they parsed it, and what an edit gives back."""

from __future__ import annotations

from dataclasses import dataclass

from draftsmith.store.records import DraftHeader
from draftsmith.timeline.model import TextStyle, Track


@dataclass(frozen=True)
class MediaRequest:
    """One requested media item, as the edge parsed it; `field` names it in errors."""

    field: str
    url: str
    start: int
    end: int
    volume: float = 1.0


@dataclass(frozen=True)
class CaptionRequest:
    text: str
    start: int
    end: int
    style: TextStyle


@dataclass(frozen=True)
class EditResult:
    header: DraftHeader
    track: Track
