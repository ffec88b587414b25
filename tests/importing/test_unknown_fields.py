"""Fields draftsmith does not know, injected at every level of a real draft folder, survive an
import, an edit elsewhere, the store and an export: same JSON values, in the same places, keys
in the same order. Deleting a track takes its unknown parts with it."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

from draftsmith.capcut.encode import encode_folder
from draftsmith.capcut.profiles import CONTENT_FILE, INFO_FILE, META_FILE, profile_named
from draftsmith.store.codec import draft_from_json, track_from_json, track_to_json
from draftsmith.timeline.model import Draft, MediaSegment, TextSegment, Timerange, Track, TrackKind
from support.drafts import SAVED_AT_US, S, snapshot_json

from .folders import folder_files, imported, rich_draft, zipped

Json = dict[str, Any]
PROFILE = profile_named("all")


def _inserted(data: Json, after: str, key: str, value: Any) -> Json:
    """`data` with `key` placed right after `after`: in the middle, not at the end."""
    out: Json = {}
    for k, v in data.items():
        out[k] = v
        if k == after:
            out[key] = value
    return out


def injected(timeline: Json) -> Json:
    """`timeline` with unknown fields at the top level, in every material, track, segment and
    clip, an unknown material list, an unknown segment kind and an unknown track type."""
    t = copy.deepcopy(timeline)
    t = _inserted(t, "canvas_config", "x_top", {"b": [1, 2.0, "三"], "n": None})
    materials = t["materials"]
    for name, items in materials.items():
        for index, material in enumerate(items):
            items[index] = _inserted(material, "id", "x_mat", {"list": name, "i": index})
    materials["x_list"] = [{"id": "xl1", "payload": [True, {"deep": 1.25}]}]
    materials["canvases"] = [{"id": "canvas-1", "type": "canvas_color", "color": "#00ff00"}]
    materials["text_templates"] = [{"id": "tt-1", "name": "a template", "resources": []}]
    materials["adjusts"] = [{"id": "adj-1", "brightness": 0.3}]
    for index, original_track in enumerate(t["tracks"]):
        track = _inserted(original_track, "id", "x_track", [index, "t"])
        t["tracks"][index] = track
        for s_index, original_segment in enumerate(track["segments"]):
            at = {"at": [index, s_index]}
            segment = _inserted(original_segment, "material_id", "x_seg", at)
            if isinstance(segment.get("clip"), dict):
                segment["clip"] = _inserted(segment["clip"], "alpha", "x_clip", 0.5)
            track["segments"][s_index] = segment
    video = t["tracks"][0]["segments"][0]
    video["extra_material_refs"].append("canvas-1")
    text_track = next(tr for tr in t["tracks"] if tr["type"] == "text")
    template_segment = copy.deepcopy(text_track["segments"][0])
    template_segment.update(
        id="tt-seg", material_id="tt-1", extra_material_refs=[], x_unknown_kind=True
    )
    template_segment["target_timerange"] = {"start": 3 * S, "duration": S}
    text_track["segments"].append(template_segment)
    t["tracks"].append(
        {
            "attribute": 0,
            "flag": 0,
            "id": "adjust-track",
            "segments": [
                {
                    "id": "adj-seg",
                    "material_id": "adj-1",
                    "target_timerange": {"start": 0, "duration": S},
                    "extra_material_refs": [],
                }
            ],
            "type": "adjust",
            "x_track": "adjust",
        }
    )
    return t


def _folder() -> tuple[dict[str, bytes], Json, Json]:
    files = folder_files(rich_draft("all"), PROFILE, SAVED_AT_US)
    timeline = injected(json.loads(files[INFO_FILE]))
    encoded = json.dumps(timeline, ensure_ascii=False, indent=2).encode()
    files[INFO_FILE] = files[CONTENT_FILE] = encoded
    meta = _inserted(json.loads(files[META_FILE]), "draft_id", "x_meta", {"m": [1]})
    files[META_FILE] = json.dumps(meta).encode()
    files["x_extra.json"] = b'{"kept": "as it was"}'
    return files, timeline, meta


def _edited(draft: Draft) -> Draft:
    """An edit elsewhere: the audio segment's volume changed, a caption track stacked; then
    through the store's forms (track rows and the version snapshot)."""
    tracks = []
    for track in draft.tracks:
        changed = track
        if track.kind is TrackKind.AUDIO:
            segment = track.segments[0]
            assert isinstance(segment, MediaSegment)
            changed = replace(track, segments=(replace(segment, volume=0.25),))
        tracks.append(track_from_json(track_to_json(changed)))
    caption = TextSegment("new-caption", "new-caption-m", "added later", Timerange(0, S))
    tracks.append(Track("new-track", TrackKind.TEXT, "text_new", (caption,)))
    return draft_from_json(snapshot_json(replace(draft, tracks=tuple(tracks))))


def _objects(timeline: Json) -> dict[str, Json]:
    """Every object that got an unknown field, by where it is."""
    found: dict[str, Json] = {"top": timeline}
    for name, items in timeline["materials"].items():
        for material in items:
            found[f"materials.{name}.{material['id']}"] = material
    for track in timeline["tracks"]:
        found[f"track.{track['id']}"] = track
        for segment in track["segments"]:
            found[f"segment.{segment['id']}"] = segment
            if isinstance(segment.get("clip"), dict):
                found[f"clip.{segment['id']}"] = segment["clip"]
    return found


def _dumped(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def test_unknown_fields_survive_import_edit_store_and_export() -> None:
    files, timeline, meta = _folder()
    result = imported(zipped(files))
    assert any("adjust" in w for w in result.warnings)
    exported = encode_folder(_edited(result.draft), saved_at_us=SAVED_AT_US + S, profile=PROFILE)
    assert exported[CONTENT_FILE] == exported[INFO_FILE]
    out = json.loads(exported[INFO_FILE])

    before, after = _objects(timeline), _objects(out)
    checked = 0
    for where, original in before.items():
        unknown = [k for k in original if k.startswith("x_")]
        if not unknown:
            continue
        assert where in after, where
        again = after[where]
        for key in unknown:
            assert _dumped(again[key]) == _dumped(original[key]), (where, key)
            checked += 1
        # The same keys in the same order: the unknown ones stay where they were.
        assert list(again) == list(original), where
    assert checked > 40
    assert list(out) == list(timeline)
    assert list(out["materials"]) == list(timeline["materials"])
    for name in ("x_list", "canvases", "text_templates", "adjusts"):
        assert out["materials"][name] == timeline["materials"][name]
    assert out["tracks"][-2]["type"] == "adjust"
    assert out["tracks"][-1]["id"] == "new-track"
    assert "canvas-1" in out["tracks"][0]["segments"][0]["extra_material_refs"]

    # The edit took: the audio plays at the new volume, and the new caption is there.
    audio = next(t for t in out["tracks"] if t["type"] == "audio")["segments"][0]
    assert audio["volume"] == 0.25 and audio["x_seg"] == {"at": [2, 0]}
    assert any("added later" in m["content"] for m in out["materials"]["texts"])

    meta_out = json.loads(exported[META_FILE])
    assert meta_out["x_meta"] == meta["x_meta"]
    assert list(meta_out).index("x_meta") == list(meta).index("x_meta")
    assert exported["x_extra.json"] == files["x_extra.json"]


def test_deleting_a_track_removes_its_unknown_parts() -> None:
    files, _, _ = _folder()
    draft = imported(zipped(files)).draft
    text_index = next(i for i, t in enumerate(draft.tracks) if t.kind is TrackKind.TEXT)
    video_index = next(i for i, t in enumerate(draft.tracks) if t.kind is TrackKind.VIDEO)
    without = replace(
        draft,
        tracks=tuple(t for i, t in enumerate(draft.tracks) if i not in (text_index, video_index)),
    )
    out = json.loads(encode_folder(without, saved_at_us=SAVED_AT_US, profile=PROFILE)[INFO_FILE])
    segments = [s["id"] for t in out["tracks"] for s in t["segments"]]
    assert "tt-seg" not in segments
    materials = out["materials"]
    assert all(m["id"] != "tt-1" for m in materials.get("text_templates", []))
    assert all(m["id"] != "canvas-1" for m in materials.get("canvases", []))
    # What no segment owned stays with the draft.
    assert materials["x_list"] == [{"id": "xl1", "payload": [True, {"deep": 1.25}]}]
