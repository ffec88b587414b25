"""fill_template against the app: one call fills a template's placeholders and media into a new
draft that loads in pyJianYingDraft with the new texts and media durations; the template is
unchanged; a fill with any bad item stores nothing and points at every bad item; targets that
match nothing are warnings (strict mode: problems); a saved version can be the template; an
idempotency key replays."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from draft_oracle import load_summary, unresolved_refs
from support.api import SECOND, Api
from support.downloads import draft_id_of
from support.media import StandardMedia
from support.media_server import MediaServer
from templates.conftest import Template, build_template, fill_body


@pytest.fixture
def api(app_api: Api) -> Api:
    return app_api


@pytest.fixture
def template(api: Api, media_server: MediaServer, standard_media: StandardMedia) -> Template:
    return build_template(api, media_server, standard_media.tone.name)


def _draft_ids(api: Api) -> set[str]:
    return {d["draft_id"] for d in api.ok("list_drafts", {"limit": 500})["drafts"]}


def _segments(info: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [s for t in info["tracks"] if t["type"] == kind for s in t["segments"]]


def _problems(response: Any) -> list[str]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "invalid_spec", body
    return [p["pointer"] for p in body["problems"]]


def test_one_call_fills_texts_and_media_into_a_new_draft_that_loads(
    api: Api, template: Template, media_server: MediaServer, tmp_path: Path
) -> None:
    before = api.info(template.draft_url)
    filled = api.ok("fill_template", fill_body(template, media_server))

    assert filled["draft_id"] != draft_id_of(template.draft_url)
    assert filled["template_url"] == template.draft_url
    assert filled["template_version"] is None
    assert [(r["pointer"], r["by"], r["count"]) for r in filled["replacements"]] == [
        ("/texts/0", "placeholder", 2),
        ("/texts/1", "segment_id", 1),
        ("/media/0", "name", 1),
        ("/media/1", "material_id", 1),
    ]
    assert [(w["field"], w["code"]) for w in filled["warnings"]] == [
        ("/media/0", "clamped_to_media")
    ]

    info = api.info(filled["draft_url"])
    assert [s["text"] for s in _segments(info, "text")] == ["夏日🎉 🎬 夏日🎉", "by 小明 😀"]
    videos = _segments(info, "video")
    # bars.mp4 (3 s) gave way to red.mp4 (2 s): clamped; red.mp4 to bars.mp4: trimmed to 2 s.
    assert [
        (v["name"], v["start"], v["end"], v["source_start"], v["source_end"]) for v in videos
    ] == [
        ("red.mp4", 0, 2 * SECOND, 0, 2 * SECOND),
        ("bars.mp4", 3 * SECOND, 5 * SECOND, 0, 2 * SECOND),
    ]
    # The ids stay the template's, so the same fill works on the new draft too.
    assert videos[0]["id"] == template.bars
    assert _segments(info, "audio") == _segments(before, "audio")

    assert api.info(template.draft_url) == before, "the template is unchanged"

    api.save(filled["draft_url"])
    folder = api.download_folder(filled["draft_id"], tmp_path)
    summary = load_summary(folder)
    assert summary.captions == ["夏日🎉 🎬 夏日🎉", "by 小明 😀"]
    video_tracks = [segments for kind, segments in summary.tracks if kind == "video"]
    assert video_tracks == [
        [(0, 2 * SECOND, 0, 2 * SECOND), (3 * SECOND, 2 * SECOND, 0, 2 * SECOND)]
    ]
    assert unresolved_refs(folder) == {}
    content = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    runs = [json.loads(m["content"]) for m in content["materials"]["texts"]]
    # The keyword runs cover the value in UTF-16 units: 夏 日 🎉 = 1 + 1 + 2.
    assert [(s["range"], s["fill"]["content"]["solid"]["color"]) for s in runs[0]["styles"]] == [
        ([0, 4], [1.0, 0.8, 0.0]),
        ([4, 8], [1.0, 1.0, 1.0]),
        ([8, 12], [1.0, 0.8, 0.0]),
    ]
    durations = sorted(m["duration"] for m in content["materials"]["videos"])
    assert durations == [2 * SECOND, 3 * SECOND]
    report = api.ok("validate_draft", {"draft_url": filled["draft_url"]})
    assert [p for p in report["problems"] if p["severity"] == "error"] == []


def test_a_fill_with_bad_items_stores_nothing_and_points_at_each(
    api: Api, template: Template, media_server: MediaServer
) -> None:
    before, drafts = api.info(template.draft_url), _draft_ids(api)
    body = fill_body(template, media_server)
    body["texts"].append({"segment_id": template.bars, "text": "a video has no text"})
    body["media"][1]["url"] = media_server.url("fake.mp4")
    response = api.post("fill_template", body)
    assert _problems(response) == ["/texts/2", "/media/1/url"]
    assert "not a caption" in response.json()["problems"][0]["message"]
    assert _draft_ids(api) == drafts
    assert api.info(template.draft_url) == before


def test_targets_that_match_nothing_warn_and_strict_mode_refuses_them_with_clamps(
    api: Api, template: Template, media_server: MediaServer
) -> None:
    body = {
        "draft_url": template.draft_url,
        "texts": [
            {"placeholder": "{{subtitle}}", "text": "x"},
            {"placeholder": "{{title}}", "text": "ok"},
        ],
        "media": [
            {"name": "nothing.mp4", "url": media_server.url("bars.mp4")},
            {"name": "bars.mp4", "url": media_server.url("red.mp4")},
        ],
    }
    lenient = api.ok("fill_template", body, strict=False)
    assert [(w["field"], w["code"]) for w in lenient["warnings"]] == [
        ("/texts/0", "template_target_not_found"),
        ("/media/0", "template_target_not_found"),
        ("/media/1", "clamped_to_media"),
    ]
    assert [r["count"] for r in lenient["replacements"]] == [0, 2, 0, 1]

    drafts = _draft_ids(api)
    strict = api.post("fill_template", body, strict=True)
    assert _problems(strict) == ["/texts/0", "/media/0", "/media/1"]
    assert _draft_ids(api) == drafts


def test_a_saved_version_is_filled_as_it_was_saved(
    api: Api, template: Template, media_server: MediaServer
) -> None:
    api.save(template.draft_url)
    api.ok(
        "add_captions",
        {
            "draft_url": template.draft_url,
            "captions": [{"text": "later {{title}}", "start": 0, "end": SECOND}],
        },
    )
    filled = api.ok(
        "fill_template",
        {
            "draft_url": template.draft_url,
            "version": 1,
            "name": "from v1",
            "texts": [{"placeholder": "{{title}}", "text": "v1"}],
        },
    )
    assert filled["template_version"] == 1
    assert filled["replacements"][0]["count"] == 2
    info = api.info(filled["draft_url"])
    assert info["name"] == "from v1"
    assert [s["text"] for s in _segments(info, "text")] == ["v1 🎬 v1", "by {{author}}"]

    missing = api.post("fill_template", {**fill_body(template, media_server), "version": 9})
    assert (missing.status_code, missing.json()["code"]) == (404, "version_not_found")


def test_requests_that_name_no_target_list_every_problem(api: Api, template: Template) -> None:
    response = api.post(
        "fill_template",
        {
            "draft_url": template.draft_url,
            "texts": [{"text": "no target"}, {"placeholder": "a", "segment_id": "b", "text": "c"}],
            "media": [{"name": "a.mp4"}, {"name": "a", "material_id": "b", "url": "u"}],
        },
    )
    assert _problems(response) == ["/texts/0", "/texts/1", "/media/0/url", "/media/1"]
    assert "exactly one of segment_id, material_id, placeholder" in response.text
    assert _problems(api.post("fill_template", {"draft_url": template.draft_url})) == [""]
    nobody = template.draft_url.replace(
        draft_id_of(template.draft_url), "20200101000000" + "0" * 16
    )
    unknown = api.post(
        "fill_template", {"draft_url": nobody, "texts": [{"placeholder": "x", "text": "y"}]}
    )
    assert unknown.status_code == 404, unknown.text


def test_an_idempotency_key_makes_one_draft(
    api: Api, template: Template, media_server: MediaServer
) -> None:
    body = {**fill_body(template, media_server), "idempotency_key": "fill-once"}
    first = api.post("fill_template", body)
    again = api.post("fill_template", body)
    assert first.status_code == again.status_code == 200, again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json()["draft_id"] == first.json()["draft_id"]
    other = api.post("fill_template", {**body, "name": "another"})
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
