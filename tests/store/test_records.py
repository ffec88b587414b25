"""The JSON form drafts are kept in: values saved by older releases still read."""

from __future__ import annotations

import json
from dataclasses import replace

from draftsmith.store.records import draft_from_json, draft_to_json

from .builders import new_draft, sample_tracks


def test_a_draft_round_trips_with_its_profile() -> None:
    draft = replace(new_draft(), tracks=sample_tracks(), profile="jianying-5.9")

    assert draft_from_json(draft_to_json(draft)) == draft


def test_a_snapshot_saved_before_profiles_is_for_the_default() -> None:
    stored = json.loads(draft_to_json(replace(new_draft(), tracks=sample_tracks())))
    del stored["profile"]

    assert draft_from_json(json.dumps(stored)).profile == "all"
