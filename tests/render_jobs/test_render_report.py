"""gen_video_status tells what the video draws of the draft: every feature the draft holds,
drawn exactly, approximated (and how) or not drawn (and why), with its segments."""

from __future__ import annotations

from typing import get_args

from draftsmith.api.responses import RenderReportEntry
from draftsmith.render.report import Drawn, Feature
from support.api import SECOND, ApiOpener
from support.media_server import MediaServer
from support.server import ServerProcess


def test_the_report_lists_exactly_what_the_draft_holds(
    shared_server: ServerProcess, apis: ApiOpener, media_server: MediaServer
) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft(320, 240)
    [video] = api.add_video(draft_url, media_server.url("bars.mp4"), 0, SECOND).segment_ids
    [caption] = api.add_caption(draft_url, "hello", 0, SECOND).segment_ids
    api.ok(
        "add_masks",
        {"draft_url": draft_url, "segment_ids": [video], "name": "圆形", "feather": 20},
    )
    api.ok(
        "add_keyframes",
        {
            "draft_url": draft_url,
            "keyframes": [
                {"segment_id": video, "property": "position_x", "value": -50, "time": 0},
                {"segment_id": video, "property": "position_x", "value": 50, "time": SECOND // 2},
            ],
        },
    )
    [look] = api.ok(
        "add_filters",
        {
            "draft_url": draft_url,
            "filter_infos": [{"filter_title": "冷蓝", "start": 0, "end": SECOND, "intensity": 50}],
        },
    )["segment_ids"]
    sticker = api.ok(
        "add_sticker",
        {"draft_url": draft_url, "sticker_id": "7326810673609018675", "start": 0, "end": SECOND},
    )["segment_id"]
    api.save(draft_url)

    queued = api.gen_video(draft_url)
    done, _ = api.wait(draft_url)

    assert queued["report"] == [], "nothing is planned before a worker takes the job"
    assert done["status"] == "completed", done
    found = {(e["feature"], e["name"], e["drawn"]): e for e in done["report"]}
    assert sorted(found) == sorted(
        [
            ("video", "", "exact"),
            ("mask", "圆形", "approximated"),
            ("keyframe", "KFTypePositionX", "exact"),
            ("filter", "冷蓝", "approximated"),
            ("sticker", "7326810673609018675", "not_drawn"),
            ("caption", "", "exact"),
        ]
    )
    assert found["video", "", "exact"]["segment_ids"] == [video]
    assert found["mask", "圆形", "approximated"]["segment_ids"] == [video]
    assert found["caption", "", "exact"]["segment_ids"] == [caption]
    assert found["filter", "冷蓝", "approximated"]["segment_ids"] == [look]
    assert "cool" in found["filter", "冷蓝", "approximated"]["how"]
    assert "0.5" in found["filter", "冷蓝", "approximated"]["how"], "at half intensity"
    assert found["sticker", "7326810673609018675", "not_drawn"]["segment_ids"] == [sticker]
    assert api.status(draft_url)["report"] == done["report"]


def test_the_answer_declares_every_feature_and_outcome_a_report_holds() -> None:
    fields = RenderReportEntry.model_fields
    assert set(get_args(fields["feature"].annotation)) == {feature.value for feature in Feature}
    assert set(get_args(fields["drawn"].annotation)) == {drawn.value for drawn in Drawn}
