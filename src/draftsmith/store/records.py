"""What the store hands back, and the JSON form tracks and drafts are kept in.

The same JSON form is used by every adapter, so a draft moves between SQLite and PostgreSQL
unchanged and a saved version's snapshot can be read back by any of them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from draftsmith.timeline.model import (
    Canvas,
    Clip,
    Draft,
    Media,
    MediaKind,
    MediaSegment,
    Segment,
    Shadow,
    TextSegment,
    TextStyle,
    Timerange,
    Track,
    TrackKind,
)


@dataclass(frozen=True)
class DraftHeader:
    """A draft's identity and save status, without its tracks."""

    id: str
    name: str
    canvas: Canvas
    created_at_us: int
    updated_at_us: int
    revision: int
    saved_version: int
    saved_revision: int
    saved_at_us: int | None
    segment_count: int
    duration_us: int

    @property
    def unsaved_changes(self) -> bool:
        return self.revision != self.saved_revision


@dataclass(frozen=True)
class FileEntry:
    """One file of a saved draft folder: where it goes and which blob holds its bytes."""

    path: str
    sha256: str
    size: int


@dataclass(frozen=True)
class VersionRecord:
    draft_id: str
    version: int
    revision: int
    created_at_us: int
    label: str | None
    files: tuple[FileEntry, ...]
    segment_count: int
    duration_us: int


@dataclass(frozen=True)
class SaveOutcome:
    """What a save did: the version now published, and whether this call created it."""

    version: VersionRecord
    created: bool


def _timerange(data: dict[str, Any]) -> Timerange:
    return Timerange(int(data["start"]), int(data["duration"]))


def _media(data: dict[str, Any]) -> Media:
    return Media(
        sha256=data["sha256"],
        kind=MediaKind(data["kind"]),
        extension=data["extension"],
        size=data["size"],
        duration_us=data["duration_us"],
        width=data["width"],
        height=data["height"],
        has_audio=data.get("has_audio", False),
    )


def media_to_json(media: Media) -> str:
    return json.dumps(asdict(media), sort_keys=True)


def media_from_json(text: str) -> Media:
    return _media(json.loads(text))


def _segment(data: dict[str, Any]) -> Segment:
    if data["type"] == "text":
        style = dict(data["style"])
        shadow = style.pop("shadow")
        return TextSegment(
            id=data["id"],
            material_id=data["material_id"],
            text=data["text"],
            target=_timerange(data["target"]),
            style=TextStyle(**style, shadow=Shadow(**shadow) if shadow else None),
            clip=Clip(**data["clip"]),
        )
    clip = data["clip"]
    return MediaSegment(
        id=data["id"],
        material_id=data["material_id"],
        media=_media(data["media"]),
        source_name=data["source_name"],
        target=_timerange(data["target"]),
        source=_timerange(data["source"]),
        volume=data["volume"],
        clip=Clip(**clip) if clip is not None else None,
    )


def _segment_dict(segment: Segment) -> dict[str, Any]:
    data = asdict(segment)
    data["type"] = "text" if isinstance(segment, TextSegment) else "media"
    return data


def track_to_json(track: Track) -> str:
    return json.dumps(
        {
            "id": track.id,
            "kind": track.kind.value,
            "name": track.name,
            "segments": [_segment_dict(s) for s in track.segments],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def track_from_json(text: str) -> Track:
    data = json.loads(text)
    return Track(
        id=data["id"],
        kind=TrackKind(data["kind"]),
        name=data["name"],
        segments=tuple(_segment(s) for s in data["segments"]),
    )


def draft_to_json(draft: Draft) -> str:
    """The snapshot form of a whole draft, as kept with each saved version."""
    return json.dumps(
        {
            "id": draft.id,
            "name": draft.name,
            "canvas": asdict(draft.canvas),
            "created_at_us": draft.created_at_us,
            "tracks": [json.loads(track_to_json(t)) for t in draft.tracks],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def draft_from_json(text: str) -> Draft:
    data = json.loads(text)
    return Draft(
        id=data["id"],
        name=data["name"],
        canvas=Canvas(**data["canvas"]),
        created_at_us=data["created_at_us"],
        tracks=tuple(track_from_json(json.dumps(t)) for t in data["tracks"]),
    )


def files_to_json(files: tuple[FileEntry, ...]) -> str:
    return json.dumps([asdict(f) for f in files], sort_keys=True)


def files_from_json(text: str) -> tuple[FileEntry, ...]:
    return tuple(FileEntry(**f) for f in json.loads(text))
