"""Draft -> the files of a CapCut/Jianying draft folder for one editor profile. Pure and
deterministic.

The profile (`draftsmith.capcut.profiles`) names the timeline files its editors read:
`draft_content.json` for Jianying <= 5.9 on Windows, `draft_info.json` for Jianying 6+, Mac and
CapCut desktop, both for `all`; current editors also get `Timelines/` with the same timeline.
Every copy is the same bytes. Media files are not written here; they belong under
`media_relpath(media)` in the folder.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from draftsmith.capcut.ids import draft_uuid
from draftsmith.capcut.materials import (
    Json,
    animation_material,
    audio_effect_material,
    common_mask_material,
    effect_material,
    mask_material,
    media_material,
    speed_material,
    sticker_material,
    text_effect_material,
    transition_material,
)
from draftsmith.capcut.meta import meta_info
from draftsmith.capcut.opaque import has_opaque, restore_folder
from draftsmith.capcut.paths import DRAFT_PATH_PLACEHOLDER, media_relpath
from draftsmith.capcut.profiles import (
    CONTENT_FILE,
    DEFAULT_PROFILE,
    META_FILE,
    TIMELINES_PROJECT,
    Profile,
)
from draftsmith.capcut.segments import (
    effect_segment,
    media_segment,
    sticker_segment,
    text_segment,
)
from draftsmith.capcut.text_material import text_material
from draftsmith.capcut.timelines import nested_info_path, project_json
from draftsmith.chunks import Chunk, Run, chunked, joined, whole
from draftsmith.timeline.model import (
    MICROSECONDS_PER_SECOND,
    Canvas,
    Draft,
    EffectSegment,
    MediaSegment,
    StickerSegment,
    TextSegment,
    Track,
    TrackKind,
)

__all__ = [
    "DRAFT_PATH_PLACEHOLDER",
    "FragmentCache",
    "encode_folder",
    "encode_folder_chunks",
    "media_relpath",
]

# The template this module fills in, named after the file pyJianYingDraft ships it as.
_TEMPLATE = CONTENT_FILE
DEFAULT_FRAGMENT_CACHE_BYTES = 64 * 1024 * 1024


@cache
def _template_text(name: str) -> str:
    return (resources.files("draftsmith.capcut") / "templates" / name).read_text(encoding="utf-8")


def _template(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(_template_text(name))
    return loaded


@cache
def _shared_template(name: str) -> dict[str, Any]:
    """The template, parsed once and shared: never modify it or anything in it."""
    return _template(name)


@cache
def _encoded_template_members(name: str) -> dict[str, bytes]:
    return {key: _dumps(value) for key, value in _shared_template(name).items()}


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


class _Materials:
    """The template's `materials` lists, filled in first-use order, each id once."""

    def __init__(self, lists: dict[str, list[Json]]) -> None:
        self.lists = lists
        self._seen: set[tuple[str, str]] = set()

    def add(self, list_name: str, material: Json) -> None:
        key = (list_name, material["id"])
        if key not in self._seen:
            self._seen.add(key)
            self.lists.setdefault(list_name, []).append(material)


def _track_json(track: Track, render_index: int, draft: Draft, materials: _Materials) -> Json:
    segments: list[Json] = []
    for segment in track.segments:
        match segment:
            case MediaSegment():
                list_name, material = media_material(track.kind, segment)
                materials.add(list_name, material)
                materials.add("speeds", speed_material(segment))
                if segment.animations is not None:
                    materials.add("material_animations", animation_material(segment.animations))
                transition = transition_material(segment)
                if transition is not None:
                    materials.add("transitions", transition)
                if segment.mask is not None:
                    materials.add("masks", mask_material(segment.mask))
                    # Only drafts with a mask get this list, so the others keep their bytes.
                    materials.add("common_mask", common_mask_material(segment.mask))
                if segment.audio_effect is not None:
                    materials.add("audio_effects", audio_effect_material(segment.audio_effect))
                segments.append(media_segment(track.kind, segment, draft.canvas, render_index))
            case TextSegment() if track.kind is TrackKind.TEXT:
                materials.add("texts", text_material(segment))
                if segment.animations is not None:
                    materials.add("material_animations", animation_material(segment.animations))
                if segment.effect is not None:
                    materials.add("effects", text_effect_material(segment.effect))
                segments.append(text_segment(segment, draft.canvas, render_index))
            case EffectSegment() if track.kind in (TrackKind.EFFECT, TrackKind.FILTER):
                materials.add(*effect_material(segment))
                segments.append(effect_segment(segment, render_index))
            case StickerSegment() if track.kind is TrackKind.STICKER:
                materials.add("stickers", sticker_material(segment))
                segments.append(sticker_segment(segment, draft.canvas, render_index))
            case _:
                raise ValueError(f"track {track.id}: a {track.kind} track cannot hold {segment!r}")
    return {
        "attribute": 0,
        "flag": 0,
        "id": track.id,
        "is_default_name": False,
        "name": track.name,
        "segments": segments,
        "type": str(track.kind),
    }


@dataclass(frozen=True)
class _TrackFragment:
    """One track's part of the timeline file, already JSON: the track object, and the materials
    its segments point at, one run per list (lists in first-use order, materials in first-use
    order within each); `materials` says where each material is in its list's run."""

    track: Run
    runs: dict[str, Run]
    materials: tuple[tuple[str, str, slice], ...]

    def material(self, name: str, where: slice) -> bytes:
        return self.runs[name][where]

    @property
    def size(self) -> int:
        return len(self.track) + sum(map(len, self.runs.values()))


def _encode_track(track: Track, render_index: int, draft: Draft) -> _TrackFragment:
    materials = _Materials({})
    track_json = _track_json(track, render_index, draft, materials)
    runs: dict[str, Run] = {}
    places: list[tuple[str, str, slice]] = []
    for name, listed in materials.lists.items():
        encoded = [_dumps(material) for material in listed]
        offset = 0
        for material, data in zip(listed, encoded, strict=True):
            places.append((name, material["id"], slice(offset, offset + len(data))))
            offset += len(data) + 1
        runs[name] = Run(b",".join(encoded))
    return _TrackFragment(Run(_dumps(track_json)), runs, tuple(places))


class FragmentCache:
    """Encoded tracks by track value, so that saving a draft again after a one-caption edit
    encodes only the new track, not the whole draft.

    Keyed by identity: it hits only while a draft's unchanged tracks are the very same objects
    from one load to the next, which the store's `TrackCache` makes them (the composition root,
    draftsmith.bootstrap, builds the two together). The entry keeps its track alive so that an
    id is never reused while it is cached. Bounded by encoded size.
    """

    def __init__(self, max_bytes: int = DEFAULT_FRAGMENT_CACHE_BYTES) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[int, tuple[Track, int, Canvas, _TrackFragment]] = OrderedDict()
        self._lock = threading.Lock()

    def fragment(self, track: Track, render_index: int, draft: Draft) -> _TrackFragment:
        with self._lock:
            entry = self._entries.get(id(track))
            if (
                entry is not None
                and entry[0] is track
                and entry[1:3]
                == (
                    render_index,
                    draft.canvas,
                )
            ):
                self._entries.move_to_end(id(track))
                return entry[3]
        fragment = _encode_track(track, render_index, draft)
        with self._lock:
            old = self._entries.pop(id(track), None)
            if old is not None:
                self._bytes -= old[3].size
            self._entries[id(track)] = (track, render_index, draft.canvas, fragment)
            self._bytes += fragment.size
            while self._bytes > self._max_bytes and len(self._entries) > 1:
                _, (_, _, _, evicted) = self._entries.popitem(last=False)
                self._bytes -= evicted.size
        return fragment


@cache
def _member_key(key: str, first: bool) -> bytes:
    # Member names come from the template and the material lists: a small, fixed set.
    return (b"" if first else b",") + _dumps(key) + b":"


class _Pieces:
    """A JSON file written as runs and the glue between them, the glue joined into one piece
    between two runs (`draftsmith.chunks`), so that the file is joined only once."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []
        self._glue: list[bytes] = []

    def glue(self, data: bytes) -> None:
        self._glue.append(data)

    def run(self, group: Sequence[bytes]) -> None:
        """The items of one group (one source's) of an array, as one run."""
        if self._glue:
            self.pieces.append(b"".join(self._glue))
            self._glue.clear()
        single = group[0] if len(group) == 1 else None
        self.pieces.append(single if isinstance(single, Run) else Run(b",".join(group)))

    def array(self, groups: Iterable[Sequence[bytes]]) -> None:
        self.glue(b"[")
        for index, group in enumerate(groups):
            if index:
                self.glue(b",")
            self.run(group)
        self.glue(b"]")

    def done(self) -> list[bytes]:
        if self._glue:
            self.pieces.append(b"".join(self._glue))
            self._glue.clear()
        return self.pieces


def _content(draft: Draft, saved_at_us: int, profile: Profile, duration: int | None = None) -> Json:
    """The timeline file's top level, without its tracks and without the materials they add
    (`duration`: the draft's, when known already)."""
    # A shallow copy: the members taken as they are stay the shared template's own objects,
    # which `_timeline_pieces` writes from their cached encoding.
    content = dict(_shared_template(_TEMPLATE))
    content.update(
        {
            "canvas_config": {
                "height": draft.canvas.height,
                "ratio": "original",
                "width": draft.canvas.width,
            },
            "create_time": draft.created_at_us // MICROSECONDS_PER_SECOND,
            "duration": draft.duration if duration is None else duration,
            "fps": float(draft.canvas.fps),
            "id": draft_uuid(draft.id),
            "last_modified_platform": profile.platform.to_json(),
            "name": draft.name,
            "platform": profile.platform.to_json(),
            "update_time": saved_at_us // MICROSECONDS_PER_SECOND,
        }
    )
    # With main-track magnet on, the editor closes gaps on the bottom video track on the first
    # edit, moving segments away from where the API put them; capcut-mate turns it off too.
    content["config"] = {**content["config"], "maintrack_adsorb": False}
    return content


def _timeline_pieces(content: Json, draft: Draft, cache: FragmentCache | None) -> list[bytes]:
    """The timeline file in pieces: `content` with the draft's tracks and their materials
    spliced in, each track's share of a list (and each track object) as one run.

    Each material is written once, in first-use order, as one shared `_Materials` would; list
    names the template lacks follow its own, in first-use order too.
    """
    # Like pyJianYingDraft's ScriptFile.dumps: a segment's render_index is its track's position.
    encode = _encode_track if cache is None else cache.fragment
    fragments = [encode(track, index, draft) for index, track in enumerate(draft.tracks)]
    # Each list's items, grouped by where they came from: the template, then each track.
    lists: dict[str, list[list[bytes]]] = {
        name: [[_dumps(m) for m in listed]] if listed else []
        for name, listed in content["materials"].items()
    }
    seen: set[tuple[str, str]] = set()
    for fragment in fragments:
        fresh = [m for m in fragment.materials if (m[0], m[1]) not in seen]
        seen.update((name, material_id) for name, material_id, _ in fresh)
        if len(fresh) == len(fragment.materials):
            added: dict[str, list[bytes]] = {name: [run] for name, run in fragment.runs.items()}
        else:
            # An earlier track used some of these materials already (a shared mask, say).
            added = {}
            for name, _, where in fresh:
                added.setdefault(name, []).append(fragment.material(name, where))
        for name, items in added.items():
            lists.setdefault(name, []).append(items)

    template = _shared_template(_TEMPLATE)
    encoded_template = _encoded_template_members(_TEMPLATE)
    out = _Pieces()
    out.glue(b"{")
    for index, (key, value) in enumerate(content.items()):
        out.glue(_member_key(key, index == 0))
        if key == "tracks":
            out.array([f.track] for f in fragments)
        elif key == "materials":
            out.glue(b"{")
            for list_index, (name, groups) in enumerate(lists.items()):
                out.glue(_member_key(name, list_index == 0))
                out.array(groups)
            out.glue(b"}")
        elif template.get(key) is value:
            out.glue(encoded_template[key])
        else:
            out.glue(_dumps(value))
    out.glue(b"}")
    return out.done()


def encode_folder_chunks(
    draft: Draft,
    *,
    saved_at_us: int,
    profile: Profile = DEFAULT_PROFILE,
    cache: FragmentCache | None = None,
) -> dict[str, tuple[Chunk, ...]]:
    """`encode_folder`, each file as chunks (`draftsmith.chunks`) that make it up.

    Paths whose files are the same bytes share one tuple, so callers can hash it once.
    """
    content = _content(draft, saved_at_us, profile)
    timeline = chunked(_timeline_pieces(content, draft, cache))
    files = dict.fromkeys(profile.reads, timeline)
    meta = meta_info(_template(META_FILE), draft, saved_at_us=saved_at_us)
    files[META_FILE] = whole(_dumps(meta))
    if profile.writes_timelines:
        project = project_json(content, created_at_us=draft.created_at_us, saved_at_us=saved_at_us)
        files[TIMELINES_PROJECT] = whole(_dumps(project))
        files[nested_info_path(content["id"])] = timeline
    if has_opaque(draft.tracks):
        # An imported draft: what the model does not hold goes back in place.
        return restore_folder(
            files,
            draft.tracks,
            reads=profile.reads,
            writes_timelines=profile.writes_timelines,
            created_at_us=draft.created_at_us,
            saved_at_us=saved_at_us,
        )
    return files


def encode_folder(
    draft: Draft,
    *,
    saved_at_us: int,
    profile: Profile = DEFAULT_PROFILE,
    cache: FragmentCache | None = None,
) -> dict[str, bytes]:
    """The JSON files of `draft`'s folder for the editors of `profile`, by folder-relative
    path ("/"-separated), as UTF-8 bytes.

    `profile` is not taken from `draft.profile`, so that a draft can be written for other
    editors than its own. `saved_at_us` (Unix time, microseconds) is the only other input:
    the same draft, time and profile always give the same bytes (`cache` only saves work).
    Paths whose files are the same bytes share one bytes object.
    """
    by_chunks: dict[int, bytes] = {}
    files = {}
    for path, chunks in encode_folder_chunks(
        draft, saved_at_us=saved_at_us, profile=profile, cache=cache
    ).items():
        data = by_chunks.get(id(chunks))
        if data is None:
            data = by_chunks[id(chunks)] = joined(chunks)
        files[path] = data
    return files
