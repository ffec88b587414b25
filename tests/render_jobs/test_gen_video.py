"""gen_video and gen_video_status on a real server: a render from queue to a playable MP4, and
the answers when there is nothing to render or the render cannot succeed."""

from __future__ import annotations

import hashlib
from pathlib import Path

from support.api import SECOND, Api, ApiOpener
from support.downloads import draft_id_of
from support.media_server import MediaServer
from support.server import ServerProcess

from .mp4 import probe


def test_a_saved_draft_renders_to_an_mp4_of_its_canvas_and_length(
    slow_api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    draft_url = slow_api.create_draft(320, 240)
    slow_api.add_video(draft_url, media_server.url("bars.mp4"), 0, 2 * SECOND)
    slow_api.add_image(draft_url, media_server.url("still.png"), 2 * SECOND, 3 * SECOND)
    slow_api.add_audio(draft_url, media_server.url("tone.mp3"), 0, 3 * SECOND)
    slow_api.add_caption(draft_url, "the end", 2 * SECOND, 3 * SECOND)
    slow_api.save(draft_url)

    queued = slow_api.gen_video(draft_url)

    assert queued["status"] in ("pending", "processing") and queued["progress"] < 100
    assert (queued["draft_url"], queued["version"], queued["video_url"]) == (draft_url, 1, "")
    done, seen = slow_api.wait(draft_url)
    assert (done["status"], done["progress"], done["error_message"]) == ("completed", 100, "")
    assert done["job_id"] == queued["job_id"]
    assert seen == sorted(seen), "progress never goes back"
    assert any(0 < progress < 100 for progress in seen), seen
    assert done["created_at"] <= done["started_at"] <= done["completed_at"]
    again = slow_api.gen_video(draft_url)
    assert (again["job_id"], again["status"]) == (done["job_id"], "completed")

    video = probe(slow_api.download_video(done["video_url"], tmp_path / "out.mp4"))
    assert (video.width, video.height, video.has_audio) == (320, 240, True)
    assert abs(video.duration_us - 3 * SECOND) <= SECOND // 10, video


def test_a_draft_without_a_saved_version_is_refused_in_strict_mode(
    shared_server: ServerProcess, apis: ApiOpener
) -> None:
    # By default it is saved first: test_save_before_render.py.
    api = apis(shared_server.base_url)
    draft_url = api.create_draft(320, 240)
    api.add_caption(draft_url, "never saved")

    refused = api.http.post(
        api.url("gen_video"), json={"draft_url": draft_url}, headers={"X-Draftsmith-Strict": "1"}
    )
    status = api.post("gen_video_status", {"draft_url": draft_url})

    assert refused.status_code == 404
    assert refused.json() == {
        "detail": "Draft has no saved version yet; call save_draft first",
        "code": "no_saved_version",
    }
    assert status.status_code == 404
    assert status.json() == {
        "detail": "Video generation task not found",
        "code": "render_job_not_found",
    }


def test_bad_requests_name_the_problem(shared_server: ServerProcess, apis: ApiOpener) -> None:
    api = apis(shared_server.base_url)
    empty = api.create_draft(320, 240)
    api.save(empty)
    gone = empty.replace(draft_id_of(empty), "20250101000000" + "0" * 16)

    answers = {
        "empty": api.post("gen_video", {"draft_url": empty}),
        "no such version": api.post("gen_video", {"draft_url": empty, "version": 9}),
        "no such draft": api.post("gen_video", {"draft_url": gone}),
        "no draft_url": api.post("gen_video", {}),
        "no video yet": api.http.get(api.url(f"videos/{draft_id_of(empty)}/v1.mp4")),
    }

    assert {name: (r.status_code, r.json()["detail"]) for name, r in answers.items()} == {
        "empty": (400, "Draft content is empty: saved version 1 has nothing to render"),
        "no such version": (404, "Version 9 does not exist"),
        "no such draft": (404, "Draft does not exist"),
        "no draft_url": (400, "draft_url is required"),
        "no video yet": (404, "Video generation task not found"),
    }


def test_a_render_that_cannot_succeed_fails_with_the_reason(
    server: ServerProcess, apis: ApiOpener, media_server: MediaServer, media_dir: Path
) -> None:
    api = apis(server.base_url)
    draft_url = api.video_draft(media_server.url("bars.mp4"), seconds=1)
    sha256 = hashlib.sha256((media_dir / "bars.mp4").read_bytes()).hexdigest()
    (server.data_dir / "blobs" / sha256[:2] / sha256).unlink()

    api.gen_video(draft_url)
    failed, _ = api.wait(draft_url)

    assert (failed["status"], failed["video_url"]) == ("failed", "")
    assert failed["error_message"] == f"media {sha256}.mp4 is missing from the blob store"
    assert failed["completed_at"] is not None
    retried = api.gen_video(draft_url)
    assert retried["job_id"] == failed["job_id"]
    assert (retried["status"], retried["error_message"]) != ("failed", failed["error_message"])
    assert api.wait(draft_url)[0]["status"] == "failed"
