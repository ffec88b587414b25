"""Checks on one timeline document (draft_content.json, draft_info.json or a Timelines/ copy).

Pure: the only view of the world is `media_exists`, which says whether a material's file is
there. Rules and their sources are in the shared FORMAT.md (sections 4-7) and docs/drafts.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from draftsmith.capcut.locations import Location, escapes, locate, tails
from draftsmith.capcut.paths import DRAFT_PATH_PLACEHOLDER
from draftsmith.capcut.problems import FileProblems, Severity, where
from draftsmith.timeline.model import PHOTO_DURATION_US

Json = dict[str, Any]
MediaExists = Callable[[Location], bool]

_LIST_OF_TRACK = {"video": "videos", "audio": "audios", "text": "texts", "sticker": "stickers"}
_KNOWN_TRACKS = frozenset({"video", "audio", "text", "effect", "filter", "sticker", "adjust"})
_MEDIA_TRACKS = frozenset({"video", "audio"})
_LOCAL_MEDIA = frozenset({"video", "photo", "extract_music"})
"""Material types that stand for a local file the draft cannot play without."""
_UNLISTED_SPEED_TRACKS = frozenset({"text", "sticker"})
"""Tracks whose segments pyJianYingDraft gives a speed id it never lists in materials.speeds."""


@dataclass(frozen=True)
class _Material:
    list_name: str
    value: Json


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    index: int


def _index(materials: Json) -> dict[str, list[_Material]]:
    index: dict[str, list[_Material]] = {}
    for name, items in materials.items():
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    index.setdefault(item["id"], []).append(_Material(name, item))
    return index


def _microseconds(value: Any, at: str, out: FileProblems) -> int | None:
    """`value` as integer microseconds, reporting anything else; floats still give a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        out.error(at, f"is {json.dumps(value)}, not integer microseconds", "write an integer")
        return None
    if isinstance(value, float):
        out.error(
            at,
            f"is the float {value!r}; times are integer microseconds",
            f"write the integer {round(value)}",
        )
        value = round(value)
    if value < 0:
        out.error(at, f"is negative ({value})", "times are microseconds from 0")
        return None
    return int(value)


def _timerange(value: Any, at: str, out: FileProblems) -> tuple[int, int] | None:
    if not isinstance(value, dict):
        out.error(at, "is missing or not {start, duration}", "write {start, duration} in µs")
        return None
    start = _microseconds(value.get("start"), f"{at}.start", out)
    duration = _microseconds(value.get("duration"), f"{at}.duration", out)
    if start is None or duration is None:
        return None
    if duration == 0:
        out.error(f"{at}.duration", "is 0: the range is empty", "remove the segment")
        return None
    return start, duration


def check_timeline(doc: Json, out: FileProblems, media_exists: MediaExists) -> None:
    """Report every problem of the timeline `doc` into `out`."""
    tracks, materials = doc.get("tracks"), doc.get("materials")
    if not isinstance(tracks, list) or not isinstance(materials, dict):
        out.error(
            "",
            "has no `tracks` list or no `materials` object: not a draft timeline",
            "start from a real draft's draft_content.json (pyJianYingDraft's template)",
        )
        return
    index = _index(materials)
    ends = [0]
    for i, track in enumerate(tracks):
        ends.extend(_check_track(i, track, index, out))
    _check_duration(doc.get("duration"), max(ends), out)
    _check_texts(materials.get("texts"), out)
    _check_stickers(materials.get("stickers"), out)
    for list_name in ("videos", "audios"):
        items = materials.get(list_name)
        for k, material in enumerate(items if isinstance(items, list) else []):
            if isinstance(material, dict):
                _check_media(where("materials", list_name, k), material, out, media_exists)


def _check_track(
    i: int, track: Any, index: dict[str, list[_Material]], out: FileProblems
) -> list[int]:
    at = where("tracks", i)
    if not isinstance(track, dict) or not isinstance(track.get("segments"), list):
        out.error(at, "is not a track with a `segments` list", "write {id, type, segments: []}")
        return []
    kind = track.get("type")
    if not isinstance(kind, str) or kind not in _KNOWN_TRACKS:
        out.warning(
            f"{at}.type",
            f"track type {json.dumps(kind)} is not one the editor is known to have",
            f"use one of {', '.join(sorted(_KNOWN_TRACKS))}",
        )
    spans = []
    for j, segment in enumerate(track["segments"]):
        span = _check_segment(str(kind), where("tracks", i, "segments", j), segment, index, out)
        if span is not None:
            spans.append(_Span(span[0], span[0] + span[1], j))
    _check_overlaps(at, spans, out)
    return [span.end for span in spans]


def _check_overlaps(track_at: str, spans: list[_Span], out: FileProblems) -> None:
    previous: _Span | None = None
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if previous is not None and span.start < previous.end:
            out.error(
                f"{track_at}.segments[{span.index}].target_timerange",
                f"overlaps {track_at}.segments[{previous.index}] "
                f"({previous.start}-{previous.end} µs) by {previous.end - span.start} µs; "
                "the editor rejects overlapping segments on one track",
                "move one segment to another track or trim it; round start and end separately "
                "so that neighbours meet exactly",
            )
        if previous is None or span.end > previous.end:
            previous = span


def _check_segment(
    kind: str, at: str, segment: Any, index: dict[str, list[_Material]], out: FileProblems
) -> tuple[int, int] | None:
    if not isinstance(segment, dict):
        out.error(at, "is not a segment object", "write a segment object")
        return None
    target = _timerange(segment.get("target_timerange"), f"{at}.target_timerange", out)
    material = _check_material_id(kind, at, segment.get("material_id"), index, out)
    refs = _check_refs(kind, at, segment.get("extra_material_refs", []), index, out)
    if kind in _MEDIA_TRACKS:
        if not any(m.list_name == "speeds" for m in refs):
            out.warning(
                f"{at}.extra_material_refs",
                "names no materials.speeds entry; every known writer gives media segments one",
                "add {id, type: 'speed', mode: 0, speed: 1.0, curve_speed: null} to "
                "materials.speeds and its id here",
            )
        source = _timerange(segment.get("source_timerange"), f"{at}.source_timerange", out)
        if source is not None and material is not None:
            _check_source_range(at, source, material, out)
        if source is not None and target is not None:
            _check_speed(at, segment.get("speed"), source[1], target[1], out)
    return target


def _check_material_id(
    kind: str, at: str, material_id: Any, index: dict[str, list[_Material]], out: FileProblems
) -> _Material | None:
    expected = _LIST_OF_TRACK.get(kind)
    in_list = f"materials.{expected}" if expected else "a materials list"
    if not isinstance(material_id, str) or not material_id:
        out.error(f"{at}.material_id", "is missing", f"set it to the id of an entry of {in_list}")
        return None
    found = index.get(material_id, [])
    if not found:
        out.error(
            f"{at}.material_id",
            f"{material_id} is in no materials list (dangling id)",
            f"add the material to {in_list} or point material_id at an existing one",
        )
        return None
    if expected is None:
        return found[0]
    for material in found:
        if material.list_name == expected:
            return material
    out.error(
        f"{at}.material_id",
        f"{material_id} is in materials.{found[0].list_name}, but a {kind} track plays "
        f"materials.{expected}",
        f"move the material to materials.{expected} or the segment to a matching track",
    )
    return None


def _check_refs(
    kind: str, at: str, refs: Any, index: dict[str, list[_Material]], out: FileProblems
) -> list[_Material]:
    if not isinstance(refs, list):
        out.error(f"{at}.extra_material_refs", "is not a list", "write a list of material ids")
        return []
    resolved: list[_Material] = []
    for k, ref in enumerate(refs):
        found = index.get(ref, []) if isinstance(ref, str) else []
        resolved.extend(found)
        if found:
            continue
        if kind in _UNLISTED_SPEED_TRACKS:
            severity = Severity.WARNING
            fix = (
                f"drop the id or add its material; the editor tolerates this on {kind} "
                "segments (pyJianYingDraft writes an unlisted speed id there)"
            )
        else:
            severity = Severity.ERROR
            fix = "add the material it names (e.g. the segment's speed) or drop the id"
        out.add(severity, f"{at}.extra_material_refs[{k}]", f"{ref} is in no materials list", fix)
    return resolved


def _check_source_range(
    at: str, source: tuple[int, int], material: _Material, out: FileProblems
) -> None:
    duration = material.value.get("duration")
    if isinstance(duration, bool) or not isinstance(duration, int):
        return
    end = source[0] + source[1]
    if end > duration:
        still = material.value.get("type") == "photo"
        out.error(
            f"{at}.source_timerange",
            f"ends at {end} µs, beyond the material's duration of {duration} µs"
            + (" (a photo's duration should be 10800000000 µs, 3 h)" if still else ""),
            "trim source_timerange to the material (and target_timerange with it)"
            + ("; or set the photo material's duration to 10800000000" if still else ""),
        )


def _check_speed(at: str, speed: Any, source: int, target: int, out: FileProblems) -> None:
    if isinstance(speed, bool) or not isinstance(speed, int | float) or speed <= 0:
        out.warning(f"{at}.speed", f"is {json.dumps(speed)}, not a positive number", "write 1.0")
        return
    expected = round(source / speed)
    if abs(expected - target) > 1:
        out.warning(
            f"{at}.target_timerange.duration",
            f"is {target} µs, but source duration {source} µs at speed {speed} plays {expected} µs",
            "make target duration = round(source duration / speed), or fix the speed",
        )


def _check_duration(duration: Any, last_end: int, out: FileProblems) -> None:
    value = _microseconds(duration, "duration", out)
    if value is None or value == last_end:
        return
    if value < last_end:
        out.error(
            "duration",
            f"is {value} µs, shorter than the last segment end {last_end} µs",
            f"set duration to {last_end}",
        )
    else:
        out.warning(
            "duration",
            f"is {value} µs, longer than the last segment end {last_end} µs (trailing black)",
            f"set duration to {last_end}",
        )


def _check_texts(texts: Any, out: FileProblems) -> None:
    for k, material in enumerate(texts if isinstance(texts, list) else []):
        at = where("materials", "texts", k, "content")
        content = material.get("content") if isinstance(material, dict) else None
        try:
            parsed = json.loads(content) if isinstance(content, str) else None
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict) or not isinstance(parsed.get("text"), str):
            out.error(at, "is not a JSON string holding {text, styles}", "write {text, styles}")
            continue
        styles = parsed.get("styles")
        for s, style in enumerate(styles if isinstance(styles, list) else []):
            if isinstance(style, dict) and "range" in style:
                _check_range(f"{at}.styles[{s}].range", style["range"], parsed["text"], out)


def _check_stickers(stickers: Any, out: FileProblems) -> None:
    for k, material in enumerate(stickers if isinstance(stickers, list) else []):
        resource_id = material.get("resource_id") if isinstance(material, dict) else None
        if not isinstance(resource_id, str) or not resource_id:
            out.error(
                where("materials", "stickers", k, "resource_id"),
                "is missing: the editor fetches a sticker by its resource id",
                "write the sticker's id (as add_sticker's sticker_id) in resource_id and "
                "sticker_id",
            )


def _check_range(at: str, value: Any, text: str, out: FileProblems) -> None:
    units = len(text.encode("utf-16-le")) // 2
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or not 0 <= value[0] <= value[1]
    ):
        out.error(at, f"is {json.dumps(value)}, not [start, end]", f"write [0, {units}]")
        return
    start, end = value
    if end > units and end == 2 * units and start % 2 == 0:
        out.error(
            at,
            f"[{start}, {end}] counts UTF-16LE bytes; the text is {units} UTF-16 code units "
            "(ranges count code units: one style over several ranges breaks)",
            f"use code units: [{start // 2}, {end // 2}]",
        )
    elif end > units:
        out.error(
            at,
            f"[{start}, {end}] ends beyond the text ({units} UTF-16 code units)",
            f"end the range at {units} at most",
        )
    elif end == len(text) < units:
        out.warning(
            at,
            f"[{start}, {end}] ends at the code point count; the text is {units} UTF-16 code "
            "units, so its last characters (emoji) go unstyled",
            f"end the range at {units}",
        )


def _check_media(at: str, material: Json, out: FileProblems, media_exists: MediaExists) -> None:
    kind = material.get("type") if isinstance(material.get("type"), str) else None
    path = material.get("path")
    location = locate(path) if isinstance(path, str) else None
    if "duration" in material:
        _microseconds(material["duration"], f"{at}.duration", out)
    if kind == "photo" and material.get("duration") != PHOTO_DURATION_US:
        out.warning(
            f"{at}.duration",
            f"a photo's duration is {json.dumps(material.get('duration'))}, not 10800000000 (3 h)",
            "set it to 10800000000, as the editor does for stills",
        )
    if location is None:
        if kind in _LOCAL_MEDIA:
            out.error(f"{at}.path", "is empty: the media has no file", "point path at the file")
        return
    if media_exists(location):
        return
    severity = Severity.ERROR if kind in _LOCAL_MEDIA else Severity.WARNING
    if location.relative is not None:
        problem = f"media file {location.relative} is not in the draft folder"
    else:
        problem = f"media file {location.absolute} does not exist (dead absolute path)"
    out.add(severity, f"{at}.path", problem, _missing_fix(location, media_exists))


def _missing_fix(location: Location, media_exists: MediaExists) -> str:
    if location.relative is not None:
        if escapes(location.relative):
            return "keep media inside the draft folder: copy it in and point path at it"
        return f"put the file at {location.relative} inside the draft folder"
    for tail in tails(location.absolute or ""):
        if "/" in tail and media_exists(Location(tail, tail, None)):
            return (
                f"the folder holds it at {tail}: write {DRAFT_PATH_PLACEHOLDER}/{tail}, or run "
                "`draftsmith install`, which points paths at the installed folder"
            )
    return (
        "copy the file into the draft folder (under assets/) and point path at it; "
        "`draftsmith install` relinks paths to files it finds there"
    )
