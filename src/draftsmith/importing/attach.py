"""The opaque parts of an imported draft (draftsmith.capcut.opaque): what its files hold that
the model made of them does not, attached to the segment, track or draft it belongs to."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from draftsmith.capcut.encode import encode_folder
from draftsmith.capcut.opaque import (
    MATERIAL_ALWAYS_NEW,
    META_ALWAYS_NEW,
    SAVE_TIMES,
    diff,
    encode_parts,
)
from draftsmith.capcut.profiles import META_FILE, TIMELINES_PROJECT, Profile
from draftsmith.importing.parse import Parsed
from draftsmith.importing.timeline import Timeline
from draftsmith.timeline.model import Draft, Segment, Track

Json = dict[str, Any]
Ref = tuple[str, str]
"""(materials list name, material id)."""
_MEDIA_LISTS = ("videos", "audios")


class _Index:
    def __init__(self, materials: Json) -> None:
        # One id may be in several lists: a mask is in `masks` and `common_mask`.
        self.items: dict[str, list[tuple[str, Json]]] = {}
        self.named: dict[Ref, Json] = {}
        for name, items in materials.items():
            if isinstance(items, list):
                for item in items:
                    material_id = item.get("id") if isinstance(item, dict) else None
                    if isinstance(material_id, str) and (name, material_id) not in self.named:
                        self.named[(name, material_id)] = item
                        self.items.setdefault(material_id, []).append((name, item))

    def of(self, segment: Json) -> list[tuple[str, Json]]:
        """The materials `segment` uses: its own, then its refs, each once."""
        refs = segment.get("extra_material_refs")
        ids = [segment.get("material_id"), *(refs if isinstance(refs, list) else [])]
        found: dict[str, list[tuple[str, Json]]] = {}
        for material_id in ids:
            if isinstance(material_id, str) and material_id in self.items:
                found.setdefault(material_id, self.items[material_id])
        return [entry for entries in found.values() for entry in entries]


def _segment_part(original: Json, built: Json, o_index: _Index, b_index: _Index) -> Json:
    ours = o_index.of(original)
    theirs = b_index.of(built)
    o_keys = {(name, m["id"]) for name, m in ours}
    paired: list[tuple[str, Json, Json]] = []
    unpaired_b: dict[str, list[Json]] = {}
    for name, material in theirs:
        if (name, material["id"]) in o_keys:
            paired.append((name, o_index.named[(name, material["id"])], material))
        else:
            unpaired_b.setdefault(name, []).append(material)
    used = {(name, m["id"]) for name, m, _ in paired}
    unpaired_o: dict[str, list[Json]] = {}
    for name, material in ours:
        if (name, material["id"]) not in used:
            unpaired_o.setdefault(name, []).append(material)
    alias: dict[str, str] = {}
    for name, built_items in list(unpaired_b.items()):
        originals = unpaired_o.get(name, [])
        # One derived material (the speed) where the draft had one of its own.
        if len(built_items) == 1 and len(originals) == 1:
            alias[built_items[0]["id"]] = originals[0]["id"]
            renamed = dict(built_items[0], id=originals[0]["id"])
            paired.append((name, originals[0], renamed))
            del unpaired_b[name]
            del unpaired_o[name]
    built_entry = dict(built)
    refs = built_entry.get("extra_material_refs")
    if alias and isinstance(refs, list):
        built_entry["extra_material_refs"] = [alias.get(r, r) for r in refs]
    part: Json = {}
    if alias:
        part["alias"] = alias
    seg = diff(original, built_entry)
    if seg:
        part["seg"] = seg
    mats = []
    for name, o_material, b_material in paired:
        change = diff(o_material, b_material, MATERIAL_ALWAYS_NEW if name in _MEDIA_LISTS else ())
        if change:
            mats.append([name, o_material["id"], change])
    if mats:
        part["mats"] = mats
    drop = [[name, m["id"], m] for name, items in unpaired_b.items() for m in items]
    if drop:
        part["drop"] = drop
    extra = [[name, m] for name, items in unpaired_o.items() for m in items]
    if extra:
        part["extra"] = extra
    return part


def attach(
    draft: Draft,
    parsed: Parsed,
    timeline: Timeline,
    files: Mapping[str, str],
    profile: Profile,
    saved_at_us: int,
) -> Draft:
    """`draft` (the model of `parsed`, nothing opaque yet) with every opaque part attached.

    `files`: the folder's other small files, by path, kept with the draft. The draft's own
    part goes on the track `parsed` has no JSON for (the carrier, which is never written)."""
    built_files = encode_folder(draft, saved_at_us=saved_at_us, profile=profile)
    built = json.loads(built_files[profile.reads[0]])
    original = timeline.content
    o_index, b_index = _Index(original["materials"]), _Index(built["materials"])
    referenced: set[str] = set()
    tracks: list[Track] = []
    for parsed_track, track, built_track in zip(
        parsed.tracks, draft.tracks, built["tracks"], strict=True
    ):
        segments: list[Segment] = []
        for segment, built_segment in zip(track.segments, built_track["segments"], strict=True):
            source = parsed.segments[segment.id]
            referenced.update(m["id"] for _, m in o_index.of(source))
            part = _segment_part(source, built_segment, o_index, b_index)
            segments.append(replace(segment, opaque=encode_parts(part)))
        track_part: Json = {}
        if parsed_track.original is None:
            track_part["hidden"] = True
        else:
            change = diff(parsed_track.original, built_track, skip=("segments",))
            if change:
                track_part["track"] = change
        unknown = []
        for index, segment_json in parsed_track.unknown:
            materials = o_index.of(segment_json)
            referenced.update(m["id"] for _, m in materials)
            unknown.append([index, segment_json, [[name, m] for name, m in materials]])
        if unknown:
            track_part["unknown"] = unknown
        tracks.append(replace(track, segments=tuple(segments), opaque=encode_parts(track_part)))
    carrier = next(i for i, p in enumerate(parsed.tracks) if p.original is None)
    kept = json.loads(tracks[carrier].opaque)
    kept["draft"] = _draft_part(original, built, built_files, timeline, files, o_index, referenced)
    tracks[carrier] = replace(tracks[carrier], opaque=encode_parts(kept))
    return replace(draft, tracks=tuple(tracks))


def _entries_stamped_as(project: Json, built: Json) -> Json:
    """Timelines/project.json with its timeline entries' save times (SAVE_TIMES) those of the
    entries `built` has for the same timelines.

    A save writes its own time: were an entry's old one kept as a difference, a save in the
    second of the import would put it back (the entry built then matches), a later one not."""
    entries, built_entries = project.get("timelines"), built.get("timelines")
    if not isinstance(entries, list) or not isinstance(built_entries, list):
        return project
    by_id = {e.get("id"): e for e in built_entries if isinstance(e, dict)}

    def stamped(entry: Any) -> Any:
        twin = by_id.get(entry.get("id")) if isinstance(entry, dict) else None
        if twin is None:
            return entry
        return {**entry, **{k: twin[k] for k in SAVE_TIMES if k in entry and k in twin}}

    return {**project, "timelines": [stamped(e) for e in entries]}


def _draft_part(
    original: Json,
    built: Json,
    built_files: Mapping[str, bytes],
    timeline: Timeline,
    files: Mapping[str, str],
    o_index: _Index,
    referenced: set[str],
) -> Json:
    part: Json = {}
    # A save stamps its own time (SAVE_TIMES): the folder's old one is not kept.
    top = diff(original, built, skip=("tracks", "materials", *SAVE_TIMES))
    if top:
        part["top"] = top
    if timeline.meta is not None:
        built_meta = json.loads(built_files[META_FILE])
        meta = diff(timeline.meta, built_meta, skip=META_ALWAYS_NEW | SAVE_TIMES)
        if meta:
            part["meta"] = meta
    if timeline.project is not None and TIMELINES_PROJECT in built_files:
        built_project = json.loads(built_files[TIMELINES_PROJECT])
        stamped = _entries_stamped_as(timeline.project, built_project)
        project = diff(stamped, built_project, skip=SAVE_TIMES)
        if project:
            part["project"] = project
    extra: list[list[Any]] = []
    raw: Json = {}
    order: dict[str, list[str]] = {}
    for name, items in original["materials"].items():
        if not isinstance(items, list) or not items:
            raw[name] = items
            continue
        ids = []
        for item in items:
            material_id = item.get("id") if isinstance(item, dict) else None
            if isinstance(material_id, str):
                ids.append(material_id)
                if material_id not in referenced and o_index.named[(name, material_id)] is item:
                    extra.append([name, item])
            else:
                extra.append([name, item])
        if ids:
            order[name] = ids
    if extra:
        part["extra"] = extra
    if raw:
        part["raw"] = raw
    part["order"] = order
    names = list(original["materials"])
    if names != list(built["materials"]):
        part["lists"] = names
    absent = [name for name in built["materials"] if name not in original["materials"]]
    if absent:
        part["absent"] = absent
    if files:
        part["files"] = dict(files)
    return part
