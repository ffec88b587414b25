"""Replays a whole capcut-mate workflow, recorded against capcut-mate itself, on draftsmith.

The transcript (tests/fixtures/capcut-mate-sample/api_transcript.jsonl) holds every request a
workflow sent and what capcut-mate answered. Only the base URLs change: the draft_url becomes
the one our create_draft returned, media URLs point at the local media server. Every answer
must carry the fields capcut-mate's did, and the saved draft must hold what the calls put in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

from draft_oracle import load_summary
from support.downloads import draft_id_of, unzip_draft
from support.media_server import MediaServer
from support.server import ServerProcess

TRANSCRIPT = Path(__file__).parents[1] / "fixtures" / "capcut-mate-sample" / "api_transcript.jsonl"
RECORDED_MEDIA = re.compile(r"http://127\.0\.0\.1:30101/([A-Za-z0-9_.-]+)")


def recorded_calls() -> list[dict[str, Any]]:
    return [json.loads(line) for line in TRANSCRIPT.read_text(encoding="utf-8").splitlines()]


def rewrite(value: Any, recorded_url: str, draft_url: str, media: MediaServer) -> Any:
    """The recorded request value with our draft_url and media server in place of capcut-mate's."""
    if isinstance(value, str):
        value = value.replace(recorded_url, draft_url)
        return RECORDED_MEDIA.sub(lambda match: media.url(match.group(1)), value)
    if isinstance(value, dict):
        return {k: rewrite(v, recorded_url, draft_url, media) for k, v in value.items()}
    if isinstance(value, list):
        return [rewrite(v, recorded_url, draft_url, media) for v in value]
    return value


def test_a_recorded_capcut_mate_workflow_runs_unchanged(
    shared_server: ServerProcess, media_server: MediaServer, http: httpx.Client, tmp_path: Path
) -> None:
    calls = recorded_calls()
    assert [call["label"].split(": ")[1] for call in calls] == [
        "create_draft",
        "add_videos",
        "add_audios",
        "add_images",
        "add_captions",
        "save_draft",
        "get_draft",
    ]
    recorded_url = calls[0]["body"]["draft_url"]
    draft_url = ""
    answer: dict[str, Any] = {}
    for call in calls:
        verb = call["url"].split("/v1/", 1)[1].split("?", 1)[0]
        if call["method"] == "GET":
            response = http.get(
                shared_server.api(verb), params={"draft_id": draft_id_of(draft_url)}
            )
        else:
            body = rewrite(call["request_body"], recorded_url, draft_url, media_server)
            response = http.post(shared_server.api(verb), json=body)
        assert response.status_code == call["status"], (verb, response.text)
        answer = response.json()
        missing = set(call["body"]) - set(answer)
        assert not missing, f"{verb} answer lacks capcut-mate's fields {sorted(missing)}"
        assert answer["code"] == 0, (verb, answer)
        if verb == "create_draft":
            draft_url = answer["draft_url"]
        elif "draft_url" in call["body"]:
            assert answer["draft_url"] == draft_url, verb
        for list_field in ("video_ids", "audio_ids", "image_ids", "text_ids", "segment_ids"):
            if list_field in call["body"]:
                assert len(answer[list_field]) == len(call["body"][list_field]), verb

    folder = tmp_path / draft_id_of(draft_url)
    archive = http.get(
        shared_server.api("download_draft"), params={"draft_id": draft_id_of(draft_url)}
    )
    assert archive.status_code == 200, archive.text
    unzip_draft(archive.content, tmp_path)
    summary = load_summary(folder)
    assert (summary.width, summary.height) == (1920, 1080)
    assert summary.tracks == [
        ("video", [(0, 3_000_000, 0, 3_000_000)]),
        ("audio", [(0, 3_000_000, 0, 3_000_000)]),
        ("video", [(3_000_000, 2_000_000, 0, 2_000_000)]),
        ("text", [(0, 3_000_000, None, None)]),
    ]
    assert summary.captions == ["Hello capcut-mate"]
    assert len(answer["files"]) == len(list(p for p in folder.rglob("*") if p.is_file()))
