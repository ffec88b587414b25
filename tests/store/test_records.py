"""The JSON form drafts are kept in: values saved by older releases still read, and snapshots
in chunks whose runs are made once per track."""

from __future__ import annotations

import json
from dataclasses import replace

from draftsmith.chunks import Run
from draftsmith.store.records import (
    _TrackBodies,
    draft_from_json,
    draft_to_json,
    snapshot_chunks,
    track_from_json,
    track_to_json,
)
from draftsmith.timeline.model import Draft

from .builders import new_draft, sample_tracks


def test_a_draft_round_trips_with_its_profile() -> None:
    draft = replace(new_draft(), tracks=sample_tracks(), profile="jianying-5.9")

    assert draft_from_json(draft_to_json(draft)) == draft


def test_a_snapshot_saved_before_profiles_is_for_the_default() -> None:
    stored = json.loads(draft_to_json(replace(new_draft(), tracks=sample_tracks())))
    del stored["profile"]

    assert draft_from_json(json.dumps(stored)).profile == "all"


def runs_of(draft: Draft) -> list[Run]:
    return [p for chunk in snapshot_chunks(draft) for p in chunk.pieces if isinstance(p, Run)]


def test_a_snapshot_is_its_tracks_stored_form_each_one_run() -> None:
    draft = replace(new_draft(), tracks=sample_tracks())

    runs = runs_of(draft)

    assert [run.decode() for run in runs] == [track_to_json(t) for t in draft.tracks]
    assert json.loads(draft_to_json(draft))["tracks"] == [json.loads(r) for r in runs]


def test_an_unchanged_track_read_back_is_the_same_run_from_one_save_to_the_next() -> None:
    stored = [track_to_json(t) for t in sample_tracks()]
    first = replace(new_draft(), tracks=tuple(track_from_json(body) for body in stored))
    again = replace(new_draft(), tracks=tuple(track_from_json(body) for body in stored))

    assert all(a is b for a, b in zip(runs_of(first), runs_of(again), strict=True))


def test_track_bodies_hold_json_and_runs_within_their_bound() -> None:
    bodies = [track_to_json(t) for t in sample_tracks()]
    held = _TrackBodies(max_size=2 * len(bodies[0]) + 2 * len(bodies[1]))
    first, second = (held.decode(body) for body in bodies[:2])
    assert held.run(first) is held.run(first)

    held.run(second)
    held.decode(bodies[2])

    assert held.body(first) is None
    assert held.body(second) == bodies[1]
