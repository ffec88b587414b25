"""capcut-mate's workflow helpers (the verbs Coze flows glue steps with): pure reshaping.

They split time into timelines and zip URLs, texts or names with timelines into the JSON
strings that add_images, add_videos, add_audios, add_captions, add_effects, add_filters and
add_keyframes take. No draft is read or written. Keys in the output are the ones the consuming
verb reads (`image_url`, `effect_title`, ...), which is what capcut-mate emits even where the
examples in its docs show other spellings.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from itertools import pairwise
from typing import Any

from draftsmith.errors import InvalidInput
from draftsmith.timeline.edits import timerange
from draftsmith.timeline.limits import MAX_TIME_US
from draftsmith.timeline.model import Timerange

MAX_PIECES = 10_000
"""The most timelines (or keyframes) one call may produce: each is a JSON object in the answer."""

Info = dict[str, Any]


class SplitMode(IntEnum):
    """How `split` cuts a duration: capcut-mate's `type` 0 (equal) or 1 (random)."""

    EQUAL = 0
    RANDOM = 1


_SPLIT_NAMES = {"equal": SplitMode.EQUAL, "random": SplitMode.RANDOM, "custom": SplitMode.RANDOM}


def split_mode(field: str, value: int | str) -> SplitMode:
    """Read `type`: 0 or "equal", 1 or "random" ("custom" in capcut-mate's docs)."""
    text = str(value).strip().lower()
    if text in _SPLIT_NAMES:
        return _SPLIT_NAMES[text]
    if text in ("0", "1"):
        return SplitMode(int(text))
    raise InvalidInput(f'{field} must be 0 ("equal") or 1 ("random"), got {value!r}')


def split(duration: int, num: int, start: int, mode: SplitMode) -> list[Timerange]:
    """Cut [start, start + duration) into `num` adjacent pieces of at least 1 us each.

    Random cuts are seeded from the arguments: the same request always gets the same pieces.
    """
    if duration <= 0:
        raise InvalidInput(f"duration must be greater than 0, got {duration}")
    if num <= 0:
        raise InvalidInput(f"num must be greater than 0, got {num}")
    if num > MAX_PIECES:
        raise InvalidInput(f"num must be at most {MAX_PIECES}, got {num}")
    if num > duration:
        raise InvalidInput(f"num must be at most duration ({duration}): pieces last at least 1 us")
    if start < 0:
        raise InvalidInput(f"start must be >= 0, got {start}")
    end = start + duration
    if end > MAX_TIME_US:
        raise InvalidInput(f"start + duration must be at most {MAX_TIME_US} microseconds")
    if mode is SplitMode.EQUAL:
        cuts = [start + i * (duration // num) for i in range(1, num)]
    else:
        rng = random.Random(f"{start}:{duration}:{num}")
        cuts = sorted(rng.sample(range(start + 1, end), num - 1))
    return [Timerange(a, b - a) for a, b in pairwise([start, *cuts, end])]


def consecutive(field: str, durations: Sequence[int]) -> list[Timerange]:
    """Pieces that follow each other from 0, one per duration (audio_timelines)."""
    if not durations:
        raise InvalidInput(f"{field} must contain at least one item")
    pieces = []
    position = 0
    for index, duration in enumerate(durations):
        if duration <= 0:
            raise InvalidInput(f"{field}[{index}].duration must be greater than 0, got {duration}")
        pieces.append(timerange(f"{field}[{index}]", position, position + duration))
        position += duration
    return pieces


def spans(field: str, pairs: Sequence[tuple[int, int]]) -> list[Timerange]:
    """Validated [start, end) pairs of a `timelines` parameter."""
    if not pairs:
        raise InvalidInput(f"{field} must contain at least one item")
    return [timerange(f"{field}[{i}]", start, end) for i, (start, end) in enumerate(pairs)]


def span_json(pieces: Sequence[Timerange]) -> list[Info]:
    return [{"start": p.start, "end": p.end} for p in pieces]


def whole(pieces: Sequence[Timerange]) -> list[Info]:
    """capcut-mate's `all_timelines`: one span from the first start to the last end."""
    return [{"start": pieces[0].start, "end": pieces[-1].end}]


def encode(infos: Sequence[Info]) -> str:
    """The JSON string the add_* verbs take (UTF-8 text kept as is, no spaces)."""
    return json.dumps(list(infos), ensure_ascii=False, separators=(",", ":"))


def _paired(name: str, items: Sequence[object], pieces: Sequence[Timerange]) -> None:
    if len(items) != len(pieces):
        raise InvalidInput(
            f"{name} has {len(items)} items but timelines has {len(pieces)}; give one timeline "
            f"per item"
        )


def _present(values: Mapping[str, Any]) -> Info:
    return {key: value for key, value in values.items() if value is not None}


def _cycled(names: str | None, index: int) -> str | None:
    """capcut-mate's "a|b|c": item i gets the (i mod 3)-th name."""
    choices = [n.strip() for n in (names or "").split("|") if n.strip()]
    return choices[index % len(choices)] if choices else None


@dataclass(frozen=True)
class Motion:
    """Animation and transition fields copied into each info; names may be "a|b" to cycle."""

    in_animation: str | None = None
    in_animation_duration: int | None = None
    loop_animation: str | None = None
    loop_animation_duration: int | None = None
    out_animation: str | None = None
    out_animation_duration: int | None = None
    transition: str | None = None
    transition_duration: int | None = None

    def for_item(self, index: int) -> Info:
        return _present(
            {
                "in_animation": _cycled(self.in_animation, index),
                "in_animation_duration": self.in_animation_duration,
                "loop_animation": _cycled(self.loop_animation, index),
                "loop_animation_duration": self.loop_animation_duration,
                "out_animation": _cycled(self.out_animation, index),
                "out_animation_duration": self.out_animation_duration,
                "transition": _cycled(self.transition, index),
                "transition_duration": self.transition_duration,
            }
        )


def _timed(piece: Timerange) -> Info:
    return {"start": piece.start, "end": piece.end, "duration": piece.duration}


def image_infos(
    urls: Sequence[str], pieces: Sequence[Timerange], *, width: int, height: int, motion: Motion
) -> list[Info]:
    """imgs_infos: `image_infos` for add_images."""
    _paired("imgs", urls, pieces)
    return [
        {"image_url": url, **_timed(p), "height": height, "width": width, **motion.for_item(i)}
        for i, (url, p) in enumerate(zip(urls, pieces, strict=True))
    ]


def video_infos(
    urls: Sequence[str],
    pieces: Sequence[Timerange],
    *,
    width: int,
    height: int,
    mask: str | None,
    transition: str | None,
    transition_duration: int | None,
    volume: float,
) -> list[Info]:
    """video_infos: `video_infos` for add_videos."""
    _paired("video_urls", urls, pieces)
    return [
        {
            "video_url": url,
            **_timed(p),
            "height": height,
            "width": width,
            **_present(
                {
                    "mask": mask,
                    "transition": _cycled(transition, i),
                    "transition_duration": transition_duration,
                    "volume": volume,
                }
            ),
        }
        for i, (url, p) in enumerate(zip(urls, pieces, strict=True))
    ]


def audio_infos(
    urls: Sequence[str], pieces: Sequence[Timerange], *, audio_effect: str | None, volume: float
) -> list[Info]:
    """audio_infos: `audio_infos` for add_audios."""
    _paired("mp3_urls", urls, pieces)
    extra = _present({"volume": volume, "audio_effect": audio_effect})
    return [{"audio_url": url, **_timed(p), **extra} for url, p in zip(urls, pieces, strict=True)]


def caption_infos(
    texts: Sequence[str],
    pieces: Sequence[Timerange],
    *,
    keywords: Sequence[str] | None,
    style: Mapping[str, Any],
    motion: Motion,
) -> list[Info]:
    """caption_infos: `captions` for add_captions. As documented, the shorter of texts and
    timelines decides the count, and items past the end of `keywords` get an empty keyword."""
    if not texts:
        raise InvalidInput("texts must contain at least one item")
    present = _present(style)
    infos = []
    for i, (text, p) in enumerate(zip(texts, pieces, strict=False)):
        info: Info = {"start": p.start, "end": p.end, "text": text}
        if keywords:
            info["keyword"] = keywords[i] if i < len(keywords) else ""
        infos.append({**info, **present, **motion.for_item(i)})
    return infos


def effect_infos(names: Sequence[str], pieces: Sequence[Timerange]) -> list[Info]:
    """effect_infos: `effect_infos` for add_effects."""
    _paired("effects", names, pieces)
    return [{"effect_title": n, **_timed(p)} for n, p in zip(names, pieces, strict=True)]


def filter_infos(
    names: Sequence[str], pieces: Sequence[Timerange], intensities: Sequence[float] | None
) -> list[Info]:
    """filter_infos: `filter_infos` for add_filters; intensity 0-100, 100 when not given."""
    _paired("filters", names, pieces)
    if intensities is not None and len(intensities) != len(names):
        raise InvalidInput(
            f"intensities has {len(intensities)} items but filters has {len(names)}; give one "
            "intensity per filter, or none"
        )
    levels: Sequence[float] = intensities if intensities is not None else [100] * len(names)
    for index, level in enumerate(levels):
        if not 0 <= level <= 100:
            raise InvalidInput(f"intensities[{index}] must be between 0 and 100, got {level}")
    return [
        {"filter_title": n, "start": p.start, "end": p.end, "intensity": level}
        for n, p, level in zip(names, pieces, levels, strict=True)
    ]


def fractions(field: str, raw: str | Sequence[float]) -> list[float]:
    """Keyframe positions as fractions of a segment: an array of 0-1 numbers (the docs), or
    capcut-mate's "0|50|100" string of percentages."""
    if isinstance(raw, str):
        return [value / 100 for value in _pipe_numbers(field, raw, 0, 100)]
    for index, value in enumerate(raw):
        if not 0 <= value <= 1:
            raise InvalidInput(f"{field}[{index}] must be between 0 and 1, got {value}")
    return list(raw)


def numbers(field: str, raw: str | Sequence[float]) -> list[float]:
    """Keyframe values: an array of numbers, or capcut-mate's "1|2|1" string."""
    return _pipe_numbers(field, raw, None, None) if isinstance(raw, str) else list(raw)


def _pipe_numbers(field: str, text: str, low: float | None, high: float | None) -> list[float]:
    values = []
    for index, part in enumerate(text.split("|")):
        try:
            value = float(part.strip())
        except ValueError as exc:
            raise InvalidInput(f"{field}: item {index} ({part!r}) is not a number") from exc
        if (low is not None and value < low) or (high is not None and value > high):
            raise InvalidInput(f"{field}: item {index} must be between {low} and {high}")
        values.append(value)
    return values


@dataclass(frozen=True)
class SegmentSpan:
    id: str
    start: int
    end: int


def keyframe_infos(
    ctype: str,
    offsets: Sequence[float],
    values: Sequence[float],
    segments: Sequence[SegmentSpan],
    *,
    width: int,
    height: int,
) -> list[Info]:
    """keyframes_infos: one keyframe per segment and offset, for add_keyframes.

    `offset` is in microseconds from the segment's start (what add_keyframes reads); `value`
    passes through unchanged.
    """
    if not ctype.strip():
        raise InvalidInput("ctype must not be empty")
    if not offsets:
        raise InvalidInput("offsets must contain at least one item")
    if len(offsets) != len(values):
        raise InvalidInput(
            f"offsets has {len(offsets)} items but values has {len(values)}; give one value "
            "per offset"
        )
    if not segments:
        raise InvalidInput("segment_infos must contain at least one item")
    if len(segments) * len(offsets) > MAX_PIECES:
        raise InvalidInput(
            f"segment_infos x offsets would make {len(segments) * len(offsets)} keyframes; "
            f"at most {MAX_PIECES}"
        )
    infos = []
    for index, segment in enumerate(segments):
        piece = timerange(f"segment_infos[{index}]", segment.start, segment.end)
        for fraction, value in zip(offsets, values, strict=True):
            infos.append(
                {
                    "ctype": ctype,
                    "property": ctype,
                    "segment_id": segment.id,
                    "offset": round(fraction * piece.duration),
                    "value": value,
                    "width": width,
                    "height": height,
                }
            )
    return infos


def objects_of(strings: Sequence[str]) -> list[Info]:
    """str_list_to_objs: each string as {"output": string}."""
    return [{"output": s} for s in strings]
