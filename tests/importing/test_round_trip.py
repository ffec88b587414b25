"""Round trip of draftsmith's own exports: import, then export, gives the same files.

For every profile, a draft holding every kind of object the model has is exported, zipped,
imported and exported again. The only differences allowed are what a new save changes, the
save time (`update_time` of the timeline, `tm_draft_modified` of the meta file, `update_time`
of Timelines/project.json and of its timeline entry), and the meta file's `draft_id`, the id
of the new draft (the editor's draft list tells drafts apart by it). Every other id is kept,
the timeline's own included. A second round trip changes nothing at all.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from draftsmith.capcut.encode import encode_folder
from draftsmith.capcut.profiles import META_FILE, PROFILES, profile_named
from draftsmith.importing.folder import CARRIER_NAME
from draftsmith.timeline.model import (
    EffectSegment,
    MediaSegment,
    StickerSegment,
    TextSegment,
    TrackKind,
)
from support.drafts import SAVED_AT_US, S

from .folders import IMPORTED_AT_US, as_json, folder_files, imported, rich_draft, zipped

EXPORTED_AT_US = SAVED_AT_US + 7_200 * S
NEW_ON_EXPORT = frozenset({"update_time", "tm_draft_modified", "draft_id"})
"""What an import and a save change (see the module docstring)."""


def _without_save_times(value: Any) -> Any:
    """`value` with what a new draft's save changes blanked."""
    if isinstance(value, dict):
        return {k: None if k in NEW_ON_EXPORT else _without_save_times(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_save_times(v) for v in value]
    return value


@pytest.mark.parametrize("name", list(PROFILES))
def test_an_export_imports_and_exports_as_the_same_files(name: str) -> None:
    profile = profile_named(name)
    draft = rich_draft(name)
    original = folder_files(draft, profile, SAVED_AT_US)

    first = imported(zipped(original))
    assert first.draft.profile == name
    assert first.warnings == () and first.missing == ()
    # Current editors read the Timelines/ copy: so does the import, when there is one.
    assert first.source.startswith("Timelines/") == profile.writes_timelines
    model = first.draft
    *tracks, carrier = model.tracks
    assert carrier.name == CARRIER_NAME and carrier.segments == ()
    assert [t.kind for t in tracks] == [t.kind for t in draft.tracks]
    assert [len(t.segments) for t in tracks] == [len(t.segments) for t in draft.tracks]
    assert [s.id for t in tracks for s in t.segments] == [
        s.id for t in draft.tracks for s in t.segments
    ]
    kinds = {type(s) for t in model.tracks for s in t.segments}
    assert kinds == {MediaSegment, TextSegment, EffectSegment, StickerSegment}
    assert model.canvas == draft.canvas and model.created_at_us == draft.created_at_us
    texts = [s for t in model.tracks for s in t.segments if isinstance(s, TextSegment)]
    assert texts[0].text == "hello world 你好" and texts[0].style.color == "#ffcc00"
    sounds = [s for t in model.tracks if t.kind is TrackKind.AUDIO for s in t.segments]
    [sound] = [s for t in draft.tracks if t.kind is TrackKind.AUDIO for s in t.segments]
    assert isinstance(sounds[0], MediaSegment) and isinstance(sound, MediaSegment)
    assert sounds[0].audio_effect == sound.audio_effect is not None

    exported = folder_files(model, profile, EXPORTED_AT_US)
    assert sorted(exported) == sorted(original)
    assert _without_save_times(as_json(exported)) == _without_save_times(as_json(original))
    # Same save time, same bytes: nothing but the save time and the meta's draft_id differ.
    same_time = folder_files(model, profile, SAVED_AT_US)
    assert {p: d for p, d in same_time.items() if p != META_FILE} == {
        p: d for p, d in original.items() if p != META_FILE
    }
    meta, meta_before = json.loads(same_time[META_FILE]), json.loads(original[META_FILE])
    assert meta.pop("draft_id") == "imported" and meta_before.pop("draft_id") == draft.id
    assert list(meta) == list(meta_before) and meta == meta_before

    second = imported(zipped(exported))
    again = folder_files(second.draft, profile, EXPORTED_AT_US)
    assert again == exported


def _save_times(value: Any) -> list[Any]:
    """Every save time in `value` (see NEW_ON_EXPORT), the meta's draft_id left out."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in NEW_ON_EXPORT and k != "draft_id"]
        return found + [t for v in value.values() for t in _save_times(v)]
    if isinstance(value, list):
        return [t for v in value for t in _save_times(v)]
    return []


@pytest.mark.parametrize("name", list(PROFILES))
def test_a_save_in_the_second_of_the_import_writes_its_own_time(name: str) -> None:
    profile = profile_named(name)
    original = folder_files(rich_draft(name), profile, SAVED_AT_US)
    model = imported(zipped(original)).draft
    # What the import built to compare with was stamped IMPORTED_AT_US too: a save then is
    # still a save, not the folder's old time put back.
    files = as_json(folder_files(model, profile, IMPORTED_AT_US))
    times = [t for data in files.values() if isinstance(data, dict) for t in _save_times(data)]
    assert len(times) >= 2
    assert set(times) <= {IMPORTED_AT_US, IMPORTED_AT_US // S}, times


def test_a_folder_exports_for_other_profiles_too() -> None:
    original = folder_files(rich_draft("all"), profile_named("all"), SAVED_AT_US)
    model = imported(zipped(original)).draft
    for name, profile in PROFILES.items():
        files = encode_folder(model, saved_at_us=EXPORTED_AT_US, profile=profile)
        timeline = as_json(files)[profile.reads[0]]
        assert len(timeline["tracks"]) == 7, name
        platform = timeline["platform"]["app_source"]
        assert platform == ("cc" if name == "capcut" else "lv"), name
