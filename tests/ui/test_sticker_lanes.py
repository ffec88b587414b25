"""Sticker tracks in the web UI's views: a lane of their own among the top group, blocks
labelled with the sticker id, and the version diff naming them."""

from __future__ import annotations

from draftsmith.store.records import DraftHeader
from draftsmith.timeline.diff import diff_drafts
from draftsmith.timeline.model import (
    Canvas,
    Draft,
    MediaSegment,
    StickerSegment,
    Timerange,
    Track,
    TrackKind,
)
from draftsmith.web.ui_views import diff_view, timeline_view
from support.drafts import VIDEO, S


def _draft() -> Draft:
    span = Timerange(0, 2 * S)
    video = MediaSegment("v1", "m-v1", VIDEO, "bars.mp4", span, span)
    sticker = StickerSegment("s1", "m-s1", "7326810673609018675", Timerange(S, S))
    return Draft(
        "d" * 30,
        "test",
        Canvas(),
        0,
        (
            Track("t-video", TrackKind.VIDEO, "video_1", (video,)),
            Track("t-sticker", TrackKind.STICKER, "sticker_1", (sticker,)),
        ),
    )


def _header(draft: Draft) -> DraftHeader:
    return DraftHeader(
        id=draft.id,
        name=draft.name,
        canvas=draft.canvas,
        created_at_us=0,
        updated_at_us=0,
        revision=1,
        saved_version=0,
        saved_revision=0,
        saved_at_us=None,
        segment_count=draft.segment_count,
        duration_us=draft.duration,
    )


def test_sticker_lane_sits_above_video_with_labelled_blocks() -> None:
    draft = _draft()
    view = timeline_view("http://127.0.0.1:1", _header(draft), draft)
    assert [(t["type"], t["layer"]) for t in view["tracks"]] == [("sticker", 1), ("video", 0)]
    [block] = view["tracks"][0]["segments"]
    assert block == {
        "id": "s1",
        "start": S,
        "end": 2 * S,
        "kind": "sticker",
        "label": "sticker 7326810673609018675",
        "warnings": [],
    }


def test_diff_names_an_added_sticker() -> None:
    draft = _draft()
    before = Draft(draft.id, draft.name, draft.canvas, 0, draft.tracks[:1])
    view = diff_view(2, 1, diff_drafts(before, draft))
    assert view["counts"]["added"] == 1
    assert view["counts"]["tracks_added"] == 1
    [added] = view["added"]
    assert (added["type"], added["label"]) == ("sticker", "sticker 7326810673609018675")
