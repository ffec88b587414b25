"""The JSON form drafts are kept in: values saved by older releases still read, and snapshots
in chunks whose runs the track cache makes once per track."""

from __future__ import annotations

import json
from dataclasses import replace

from draftsmith.chunks import Run
from draftsmith.store.codec import draft_from_json, snapshot_chunks, track_to_json
from draftsmith.store.track_cache import TrackCache
from draftsmith.timeline.adjustments import Adjustment
from draftsmith.timeline.model import AudioEffect, Draft, EffectParam, MediaSegment
from support.drafts import snapshot_json

from .builders import new_draft, sample_tracks


def test_a_draft_round_trips_with_its_profile() -> None:
    draft = replace(new_draft(), tracks=sample_tracks(), profile="jianying-5.9")

    assert draft_from_json(snapshot_json(draft)) == draft


def test_a_snapshot_saved_before_profiles_is_for_the_default() -> None:
    stored = json.loads(snapshot_json(replace(new_draft(), tracks=sample_tracks())))
    del stored["profile"]

    assert draft_from_json(json.dumps(stored)).profile == "all"


def runs_of(draft: Draft, cache: TrackCache | None = None) -> list[Run]:
    chunks = snapshot_chunks(draft) if cache is None else snapshot_chunks(draft, cache.run)
    return [p for chunk in chunks for p in chunk.pieces if isinstance(p, Run)]


def test_a_snapshot_is_its_tracks_stored_form_each_one_run() -> None:
    draft = replace(new_draft(), tracks=sample_tracks())

    runs = runs_of(draft)

    assert [run.decode() for run in runs] == [track_to_json(t) for t in draft.tracks]
    assert json.loads(snapshot_json(draft))["tracks"] == [json.loads(r) for r in runs]


def test_an_unchanged_track_read_back_is_the_same_run_from_one_save_to_the_next() -> None:
    cache = TrackCache()
    stored = [track_to_json(t) for t in sample_tracks()]
    first = replace(new_draft(), tracks=tuple(cache.decode(body) for body in stored))
    again = replace(new_draft(), tracks=tuple(cache.decode(body) for body in stored))

    assert all(a is b for a, b in zip(first.tracks, again.tracks, strict=True))
    assert all(a is b for a, b in zip(runs_of(first, cache), runs_of(again, cache), strict=True))
    assert [cache.to_json(track) for track in again.tracks] == stored


def test_track_bodies_hold_json_and_runs_within_their_bound() -> None:
    bodies = [track_to_json(t) for t in sample_tracks()]
    held = TrackCache(max_size=2 * len(bodies[0]) + 2 * len(bodies[1]))
    first, second = (held.decode(body) for body in bodies[:2])
    assert held.run(first) is held.run(first)

    held.run(second)
    held.decode(bodies[2])

    assert held.body(first) is None
    assert held.body(second) == bodies[1]


def test_segments_keep_their_adjustments_and_older_rows_have_none() -> None:
    clamped = Adjustment("audio_infos[0].end", "clamped_to_media", "audio_infos[0].end: ...")
    skipped = Adjustment("font", "unknown_name_skipped", 'font: unknown font "x"; ...')
    tracks = sample_tracks()
    adjusted = tuple(
        replace(
            track,
            segments=tuple(replace(s, adjustments=(clamped, skipped)) for s in track.segments),
        )
        for track in tracks
    )
    draft = replace(new_draft(), tracks=adjusted)
    assert draft_from_json(snapshot_json(draft)) == draft
    # A row written before segments kept adjustments: the key is absent, and so is it when
    # a segment has none.
    plain = [json.loads(track_to_json(t)) for t in tracks]
    assert all("adjustments" not in s for t in plain for s in t["segments"])
    assert draft_from_json(snapshot_json(replace(new_draft(), tracks=tracks))).tracks == tracks


def test_audio_effects_round_trip_and_older_rows_have_none() -> None:
    tracks = sample_tracks()
    media = [
        (ti, si)
        for ti, track in enumerate(tracks)
        for si, segment in enumerate(track.segments)
        if isinstance(segment, MediaSegment)
    ]
    assert media
    params = (EffectParam("强弱", 1.0, 0.0, 1.0, 1.0),)
    effect = AudioEffect("fx1", "低保真", "sound_effect", "7024390914537689614", params)
    ti, si = media[0]
    segments = list(tracks[ti].segments)
    segment = segments[si]
    assert isinstance(segment, MediaSegment)
    segments[si] = replace(segment, audio_effect=effect)
    with_effect = tuple(
        replace(t, segments=tuple(segments)) if i == ti else t for i, t in enumerate(tracks)
    )
    draft = replace(new_draft(), tracks=with_effect)
    assert draft_from_json(snapshot_json(draft)) == draft
    # Rows written before audio effects (and segments without one) hold no key for it.
    plain = [json.loads(track_to_json(t)) for t in tracks]
    assert all("audio_effect" not in s for t in plain for s in t["segments"])
    stored = json.loads(track_to_json(with_effect[ti]))
    assert stored["segments"][si]["audio_effect"]["name"] == "低保真"
