"""What an imported draft held that the model does not, and how it goes back in place.

An imported object O (a segment, a material, a track, the timeline's top level, the meta file)
is compared, at import, with what the encoder made of the model imported from it, B. What
differs is kept as a `Diff`: for each such key, O's value and B's. On export the encoder makes
N from the model as it is then; a key whose N value is still B's gets O's value back (or goes,
when O lacked it), a key an edit changed keeps N's, keys only O has come back as they were, and
keys come in O's order. An import exported unchanged is O again; an edit changes only what it
touched.

The parts are kept as JSON text (`Track.opaque`, `*Segment.opaque`), which keeps their key order:

- a segment's: `seg` (its Diff), `alias` (ids of materials the encoder derives, such as the
  speed, mapped to the ids the draft used), `mats` ([list, id, Diff] of the materials the
  encoder makes for it), `drop` ([list, id, B] materials the encoder adds that the draft did
  not have) and `extra` ([list, material] it referred to that the model has no place for);
- a track's: `track` (its Diff), `unknown` ([index, segment, [[list, material]...]] segments
  the model has no kind for), `hidden` (a track only carrying the draft's part, never written
  out), and on that track `draft`: `top`, `meta` and `project` Diffs, `extra` materials
  nothing refers to, `raw` material lists that are empty or not lists, `absent` lists it did
  not have, `lists` and `order` (the order of the material lists and of their items), and
  `files` (other small files of the folder).

Pure: no I/O; the encoder calls `restore_folder` for drafts that have such parts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from draftsmith.capcut.profiles import META_FILE, TIMELINES_PROJECT
from draftsmith.capcut.timelines import nested_info_path, project_json
from draftsmith.chunks import Chunk, joined, whole
from draftsmith.timeline.model import Segment, Track

Json = dict[str, Any]
Diff = dict[str, Any]

_REFS = "extra_material_refs"
MATERIAL_ALWAYS_NEW = frozenset({"path"})
"""Material fields that say where a file is: always what the encoder writes now."""
META_ALWAYS_NEW = frozenset(
    {
        "draft_fold_path",
        "draft_root_path",
        # The editor's draft list tells drafts apart by it: an import is a draft of its own.
        "draft_id",
        "draft_materials",
        "draft_timeline_materials_size_",
        "tm_duration",
    }
)
"""Meta fields that say where the folder and its files are, and what the timeline holds."""
SAVE_TIMES = frozenset({"update_time", "tm_draft_modified"})
"""The fields a save stamps with its time (the timeline's, the meta file's, Timelines/project.json
and its entries'): always the save's own."""


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


def same(a: Any, b: Any) -> bool:
    """JSON equality that tells 1 from 1.0 and True from 1 (they are written differently)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a is b or a == b)


def diff(original: Json, built: Json, skip: Iterable[str] = ()) -> Diff:
    """How `original` differs from `built` (empty: not at all); keys in `skip` are left out."""
    skipped = frozenset(skip)
    changes: dict[str, Any] = {}
    for key, value in original.items():
        if key in skipped:
            continue
        other = built.get(key, ABSENT)
        if other is ABSENT:
            changes[key] = {"v": value}
        elif same(value, other):
            continue
        elif isinstance(value, dict) and isinstance(other, dict):
            nested = diff(value, other)
            if nested:
                changes[key] = {"d": nested}
        else:
            changes[key] = {"v": value, "b": other}
    for key, other in built.items():
        if key not in original and key not in skipped:
            changes[key] = {"b": other}
    result: Diff = {}
    if changes:
        result["c"] = changes
    if list(original) != [k for k in built if k in original]:
        result["o"] = list(original)
    return result


def apply(new: Json, change: Diff) -> Json:
    """`new` with what `change` kept put back wherever `new` still has what was built."""
    if not change:
        return new
    out = dict(new)
    for key, kept in change.get("c", {}).items():
        current = out.get(key, ABSENT)
        if "d" in kept:
            if isinstance(current, dict):
                out[key] = apply(current, kept["d"])
            continue
        if same(current, kept.get("b", ABSENT)):
            if "v" in kept:
                out[key] = kept["v"]
            else:
                out.pop(key, None)
        elif key == _REFS and isinstance(current, list):
            # An edit changed the refs (added an animation, say): keep those only the draft had.
            built = kept.get("b", [])
            out[key] = current + [
                r for r in kept.get("v", []) if r not in built and r not in current
            ]
    order = change.get("o")
    if order:
        placed = [k for k in order if k in out]
        placed += [k for k in out if k not in set(order)]
        out = {k: out[k] for k in placed}
    return out


def parts(text: str) -> Json:
    if not text:
        return {}
    loaded: Json = json.loads(text)
    return loaded


def encode_parts(value: Json) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""


def has_opaque(tracks: Sequence[Track]) -> bool:
    return any(t.opaque or any(s.opaque for s in t.segments) for t in tracks)


class _Lists:
    """The timeline's `materials`, with each item found by list name and id."""

    def __init__(self, materials: Json) -> None:
        self.materials = materials
        self.where: dict[tuple[str, str], int] = {}
        for name, items in materials.items():
            if isinstance(items, list):
                for index, item in enumerate(items):
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        self.where.setdefault((name, item["id"]), index)

    def get(self, name: str, material_id: str) -> Json | None:
        index = self.where.get((name, material_id))
        return None if index is None else self.materials[name][index]

    def put(self, name: str, material_id: str, material: Json) -> None:
        index = self.where.get((name, material_id))
        if index is not None:
            self.materials[name][index] = material
            if material.get("id") != material_id:
                del self.where[(name, material_id)]
                self.where[(name, material["id"])] = index

    def add(self, name: str, material: Any) -> None:
        """Add `material` to list `name` unless an item of its id is there already."""
        material_id = material.get("id") if isinstance(material, dict) else None
        if isinstance(material_id, str) and (name, material_id) in self.where:
            return
        items = self.materials.setdefault(name, [])
        if not isinstance(items, list):
            return
        if isinstance(material_id, str):
            self.where[(name, material_id)] = len(items)
        items.append(material)

    def remove(self, name: str, material_id: str) -> None:
        index = self.where.pop((name, material_id), None)
        if index is None:
            return
        del self.materials[name][index]
        self.where = {
            k: (i - 1 if k[0] == name and i > index else i) for k, i in self.where.items()
        }


def _rename(segment: Json, lists: _Lists, alias: Mapping[str, str]) -> Json:
    """`segment` and the materials it refers to with the encoder's derived ids renamed."""
    if not alias:
        return segment
    for (name, material_id), index in list(lists.where.items()):
        if material_id in alias:
            material = dict(lists.materials[name][index], id=alias[material_id])
            lists.put(name, material_id, material)
    renamed = dict(segment)
    refs = renamed.get(_REFS)
    if isinstance(refs, list):
        renamed[_REFS] = [alias.get(r, r) if isinstance(r, str) else r for r in refs]
    return renamed


def _restore_segment(entry: Json, segment: Segment, lists: _Lists, done: set[Any]) -> Json:
    kept = parts(segment.opaque)
    if not kept:
        return entry
    entry = _rename(entry, lists, kept.get("alias", {}))
    entry = apply(entry, kept.get("seg", {}))
    for name, material_id, change in kept.get("mats", []):
        material = lists.get(name, material_id)
        if material is not None and (name, material_id) not in done:
            done.add((name, material_id))
            lists.put(name, material_id, apply(material, change))
    for name, material_id, built in kept.get("drop", []):
        material = lists.get(name, material_id)
        if material is not None and same(material, built):
            lists.remove(name, material_id)
    for name, material in kept.get("extra", []):
        lists.add(name, material)
    return entry


def _restore_track(entry: Json, track: Track, lists: _Lists, done: set[Any]) -> Json | None:
    kept = parts(track.opaque)
    segments = [
        _restore_segment(s, model, lists, done)
        for s, model in zip(entry.get("segments", []), track.segments, strict=False)
    ]
    for index, segment, materials in kept.get("unknown", []):
        segments.insert(min(index, len(segments)), segment)
        for name, material in materials:
            lists.add(name, material)
    if kept.get("hidden"):
        return None
    return apply(dict(entry, segments=segments), kept.get("track", {}))


def draft_part(tracks: Sequence[Track]) -> Json:
    """The draft's own part, which rides on a hidden track of its own."""
    for track in tracks:
        if track.opaque:
            found = parts(track.opaque).get("draft")
            if found:
                return dict(found)
    return {}


def restore_timeline(timeline: Json, tracks: Sequence[Track]) -> Json:
    """The timeline file's JSON as encoded (`timeline`, whose tracks are `tracks` in order)
    with every kept part put back."""
    materials = {
        name: list(items) if isinstance(items, list) else items
        for name, items in timeline.get("materials", {}).items()
    }
    lists = _Lists(materials)
    done: set[Any] = set()
    restored_tracks = []
    for entry, track in zip(timeline.get("tracks", []), tracks, strict=True):
        restored = _restore_track(entry, track, lists, done)
        if restored is not None:
            restored_tracks.append(restored)
    kept = draft_part(tracks)
    for name, material in kept.get("extra", []):
        lists.add(name, material)
    for name, value in kept.get("raw", {}).items():
        if not materials.get(name):
            materials[name] = value
    for name in kept.get("absent", []):
        if name in materials and not materials[name]:
            del materials[name]
    for name, ids in kept.get("order", {}).items():
        items = materials.get(name)
        if isinstance(items, list):
            rank = {material_id: index for index, material_id in enumerate(ids)}
            items.sort(
                key=lambda m: rank.get(m.get("id") if isinstance(m, dict) else None, len(rank))
            )
    names = kept.get("lists")
    if names:
        ordered = [n for n in names if n in materials] + [n for n in materials if n not in names]
        materials = {n: materials[n] for n in ordered}
    out = dict(timeline, tracks=restored_tracks, materials=materials)
    return apply(out, kept.get("top", {}))


def restore_meta(meta: Json, tracks: Sequence[Track]) -> Json:
    return apply(meta, draft_part(tracks).get("meta", {}))


def restore_project(project: Json, tracks: Sequence[Track]) -> Json:
    return apply(project, draft_part(tracks).get("project", {}))


def extra_files(tracks: Sequence[Track]) -> dict[str, str]:
    files: dict[str, str] = draft_part(tracks).get("files", {})
    return files


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def restore_folder(
    files: Mapping[str, tuple[Chunk, ...]],
    tracks: Sequence[Track],
    *,
    reads: Sequence[str],
    writes_timelines: bool,
    created_at_us: int,
    saved_at_us: int,
) -> dict[str, tuple[Chunk, ...]]:
    """The encoder's `files` of a folder whose `tracks` carry kept parts, with those parts put
    back: the timeline files (`reads`, and the `Timelines/` copy when `writes_timelines`), the
    meta file, and the folder's other files the draft brought."""
    encoded = json.loads(joined(files[reads[0]]))
    restored = restore_timeline(encoded, tracks)
    timeline = whole(_dumps(restored))
    out: dict[str, tuple[Chunk, ...]] = dict.fromkeys(reads, timeline)
    meta = json.loads(joined(files[META_FILE]))
    out[META_FILE] = whole(_dumps(restore_meta(meta, tracks)))
    if writes_timelines:
        project = project_json(
            {**encoded, **restored}, created_at_us=created_at_us, saved_at_us=saved_at_us
        )
        project = restore_project(project, tracks)
        out[TIMELINES_PROJECT] = whole(_dumps(project))
        out[nested_info_path(str(project.get("main_timeline_id") or restored["id"]))] = timeline
    for path, text in extra_files(tracks).items():
        out.setdefault(path, whole(text.encode()))
    return out
