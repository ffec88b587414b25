"""A keyed compose with `save` and `render` that stopped after its tracks were stored resumes
when retried: the save step fails for real (the draft's save rate limit), then the render
step (a render size limit), each time after the tracks committed; every retry with the same
key stacks nothing more, and the one that gets through saves once and queues one render,
against a real server on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.api import SECOND, Api, ApiOpener
from support.postgres import throwaway_database
from support.server import ServerProcess

KEY = "compose-resume-1"
SLOW_SAVES = {
    "DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0.0001",
    "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0",
    "DRAFTSMITH_RATE_BURST": "1",
    "DRAFTSMITH_RENDER_WORKERS": "0",
    "DRAFTSMITH_RENDER_MAX_SECONDS": "0.5",
}


@pytest.fixture(params=["sqlite", "postgres"])
def server_env(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    with ExitStack() as stack:
        env = dict(SLOW_SAVES)
        if request.param == "postgres":
            env["DRAFTSMITH_DATABASE_URL"] = stack.enter_context(
                throwaway_database("draftsmith_resume")
            )
        yield env


def keyed(api: Api, body: Any) -> httpx.Response:
    return api.http.post(
        api.url("compose"), json=body, headers={**api.headers(), "Idempotency-Key": KEY}
    )


def test_a_retried_compose_resumes_after_its_tracks_were_stored(
    tmp_path: Path, apis: ApiOpener, server_env: dict[str, str]
) -> None:
    with ServerProcess(tmp_path / "data", env=server_env) as server:
        api = apis(server.base_url)
        draft_url = api.create_draft()
        api.add_caption(draft_url, "before")
        assert api.save(draft_url)["version"] == 1  # spends the draft's one save token
        spec = {
            "draft_url": draft_url,
            "save": True,
            "render": True,
            "tracks": [{"type": "caption", "items": [{"text": "once", "start": 0, "end": SECOND}]}],
        }

        for _ in range(2):
            refused = keyed(api, spec)
            assert refused.status_code == 429, refused.text
            assert len(api.info(draft_url)["tracks"]) == 2
        assert [v["version"] for v in api.versions(draft_url)] == [1]

        server.restart({"DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0"})
        for _ in range(2):
            too_long = keyed(api, spec)
            assert too_long.status_code == 400, too_long.text
            assert too_long.json()["code"] == "render_limit_exceeded"
        assert [v["version"] for v in api.versions(draft_url)] == [1, 2]

        server.restart({"DRAFTSMITH_RENDER_MAX_SECONDS": "3600"})
        answer = keyed(api, spec)
        again = keyed(api, spec)

        assert answer.status_code == 200, answer.text
        assert "idempotent-replayed" not in answer.headers
        assert (again.text, again.headers["Idempotent-Replayed"]) == (answer.text, "true")
        made = answer.json()
        info = api.info(draft_url)
        assert [t["id"] for t in info["tracks"]][1:] == made["track_ids"]
        assert len(info["tracks"]) == 2
        assert made["current_version"] == info["current_version"]
        assert made["version"] == 2
        assert [v["version"] for v in api.versions(draft_url)] == [1, 2]
        job = api.ok("gen_video_status", {"draft_url": draft_url, "version": 2})
        assert job["job_id"] == made["render"]["job_id"]
        assert made["render"]["version"] == 2
        unrendered = api.post("gen_video_status", {"draft_url": draft_url, "version": 1})
        assert unrendered.status_code == 404
