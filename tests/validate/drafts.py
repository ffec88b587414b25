"""Draft folders for the validator and installer tests: one good folder, built in code with
the real encoder, and small helpers to break it in one place at a time."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from draftsmith.capcut.encode import encode_folder, media_relpath
from draftsmith.timeline.model import (
    Canvas,
    Clip,
    Draft,
    Media,
    MediaKind,
    MediaSegment,
    TextSegment,
    Timerange,
    Track,
    TrackKind,
)

S = 1_000_000
CREATED_AT_US = 1_763_881_477_000_123
SAVED_AT_US = 1_763_881_500_000_456
DRAFT_ID = "20261124120000" + "0123456789abcdef"
SAMPLE = Path(__file__).parents[1] / "fixtures" / "capcut-mate-sample"

VIDEO = Media("a" * 64, MediaKind.VIDEO, "mp4", 1000, 5 * S, 640, 360, has_audio=True)
IMAGE = Media("b" * 64, MediaKind.IMAGE, "png", 200, None, 800, 600)
AUDIO = Media("c" * 64, MediaKind.AUDIO, "mp3", 300, 4 * S, None, None)

Json = dict[str, Any]


def oid(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_OID, name).hex


def _media(name: str, media: Media, target: Timerange, source: Timerange) -> MediaSegment:
    return MediaSegment(oid(name), oid(f"{name}/m"), media, f"{name}.src", target, source)


def make_draft(name: str = "good-draft", draft_id: str = DRAFT_ID) -> Draft:
    """Two video segments (one at 2x speed), a photo, an audio clip and two captions."""
    videos = Track(
        oid("t-video"),
        TrackKind.VIDEO,
        "video_1",
        (
            _media("v1", VIDEO, Timerange(0, 3 * S), Timerange(1 * S, 3 * S)),
            _media("v2", VIDEO, Timerange(3 * S, 1 * S), Timerange(0, 2 * S)),
        ),
    )
    images = Track(
        oid("t-image"),
        TrackKind.VIDEO,
        "video_2",
        (_media("i1", IMAGE, Timerange(3 * S, 2 * S), Timerange(0, 2 * S)),),
    )
    audios = Track(
        oid("t-audio"),
        TrackKind.AUDIO,
        "audio_1",
        (_media("a1", AUDIO, Timerange(0, 4 * S), Timerange(0, 4 * S)),),
    )
    texts = Track(
        oid("t-text"),
        TrackKind.TEXT,
        "text_1",
        (
            TextSegment(oid("c1"), oid("c1/m"), "Hello", Timerange(0, 1 * S)),
            TextSegment(
                oid("c2"), oid("c2/m"), "你好🎬", Timerange(1 * S, 2 * S), clip=Clip(alpha=0.8)
            ),
        ),
    )
    return Draft(
        id=draft_id,
        name=name,
        canvas=Canvas(1920, 1080, 30),
        created_at_us=CREATED_AT_US,
        tracks=(videos, images, audios, texts),
    )


def write_folder(folder: Path, draft: Draft | None = None) -> Path:
    """Encode `draft` (default: `make_draft()`) into `folder`, media included."""
    draft = draft or make_draft(folder.name)
    folder.mkdir(parents=True)
    for name, data in encode_folder(draft, saved_at_us=SAVED_AT_US).items():
        (folder / name).write_bytes(data)
    for media in draft.media():
        path = folder / media_relpath(media)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(media.sha256.encode() * 4)
    return folder


def read_json(path: Path) -> Json:
    loaded: Json = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def edit_timeline(
    folder: Path, change: Callable[[Json], None], *, files: tuple[str, ...] = ()
) -> None:
    """Apply `change` to the timeline and write it to `files` (default: both root files)."""
    doc = read_json(folder / "draft_info.json")
    change(doc)
    for name in files or ("draft_content.json", "draft_info.json"):
        write_json(folder / name, doc)


def edit_meta(folder: Path, change: Callable[[Json], None]) -> None:
    meta = read_json(folder / "draft_meta_info.json")
    change(meta)
    write_json(folder / "draft_meta_info.json", meta)


def copy_sample(target: Path) -> Path:
    """The capcut-mate sample folder (JSON files only, as captured) at `target`."""
    target.mkdir(parents=True)
    for path in SAMPLE.glob("*.json"):
        (target / path.name).write_bytes(path.read_bytes())
    return target
