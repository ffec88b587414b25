"""Captions' fonts, text effects and keyframes in the stored JSON form: they round-trip, and
captions without them keep the form older releases wrote."""

from __future__ import annotations

import json

from draftsmith.store.codec import track_from_json, track_to_json
from draftsmith.timeline.model import (
    Font,
    Keyframe,
    KeyframeList,
    TextEffect,
    TextSegment,
    TextStyle,
    Timerange,
    Track,
    TrackKind,
)


def _track(segment: TextSegment) -> Track:
    return Track("t1", TrackKind.TEXT, "text_1", (segment,))


def test_font_effect_and_keyframes_round_trip() -> None:
    segment = TextSegment(
        "s1",
        "m1",
        "Hello CapCut",
        Timerange(0, 1_000_000),
        style=TextStyle(font=Font("得意黑", "7399865900821647935")),
        keywords=("CapCut",),
        keyword_style=TextStyle(color="#ff7100", font=Font("思源中宋", "6807743192671195655")),
        effect=TextEffect("e1", "7296357486490144036"),
        keyframes=(
            KeyframeList("k1", "KFTypePositionX", (Keyframe("f1", 0, 0.0), Keyframe("f2", 5, 1.0))),
        ),
    )
    track = _track(segment)

    assert track_from_json(track_to_json(track)) == track


def test_a_plain_caption_keeps_its_stored_form() -> None:
    stored = json.loads(track_to_json(_track(TextSegment("s1", "m1", "hi", Timerange(0, 10)))))
    (segment,) = stored["segments"]

    assert {"effect", "keyframes"}.isdisjoint(segment)
    assert "font" not in segment["style"]
    (read,) = track_from_json(json.dumps(stored)).segments
    assert isinstance(read, TextSegment)
    assert (read.style.font, read.effect, read.keyframes) == (None, None, ())
