"""cancel_render on a real server: a queued render is never started, a running one's ffmpeg is
stopped, gen_video_status reports `cancelled`, a key cancels only its own drafts' renders, and
the client, the command line and the MCP tool all cancel."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from agents.mcp_client import call, http_session
from draftsmith.cli import main
from support.api import Api, ApiOpener, Status, processing
from support.event_loop import run_coroutine
from support.media_server import MediaServer
from support.server import ServerProcess

from .conftest import LONG_SECONDS, SERVER_ENV
from .test_workers import alive, children_of

KEY_A = "ds_cancel-key-alice-0123456789abcdef"
KEY_B = "ds_cancel-key-bob-0123456789abcdef00"
QUEUE_ONLY = {**SERVER_ENV, "DRAFTSMITH_RENDER_WORKERS": "0"}


@pytest.fixture(scope="module")
def queue_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """No worker renders here: a queued render stays queued until it is cancelled."""
    with ServerProcess(tmp_path_factory.mktemp("queue-only"), env=QUEUE_ONLY) as server:
        yield server


def queued_draft(api: Api) -> tuple[str, Status]:
    draft_url, _ = api.saved_draft()
    return draft_url, api.gen_video(draft_url)


def ended(status: Status) -> bool:
    return status["status"] in ("completed", "failed", "cancelled")


def test_a_queued_render_is_cancelled_and_queued_again_by_gen_video(
    queue_only: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(queue_only.base_url)
    draft_url, queued = queued_draft(api)
    assert queued["status"] == "pending"

    cancelled = api.ok("cancel_render", {"draft_url": draft_url})

    assert (cancelled["job_id"], cancelled["status"]) == (queued["job_id"], "cancelled")
    assert (cancelled["video_url"], cancelled["error_message"]) == ("", "")
    assert cancelled["completed_at"] is not None
    status = api.status(draft_url)
    assert (status["job_id"], status["status"]) == (queued["job_id"], "cancelled")
    by_id = {"draft_url": draft_url, "job_id": queued["job_id"]}
    assert api.ok("cancel_render", by_id)["status"] == "cancelled", "cancelling again is fine"
    again = api.gen_video(draft_url)
    assert (again["job_id"], again["status"], again["completed_at"]) == (
        queued["job_id"],
        "pending",
        None,
    )


def test_cancelling_what_is_not_there_is_not_found(
    queue_only: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(queue_only.base_url)
    never_rendered, _ = api.saved_draft()
    draft_url, _ = queued_draft(api)
    other_url, other = queued_draft(api)

    answers = [
        api.post("cancel_render", {"draft_url": never_rendered}),
        api.post("cancel_render", {"draft_url": draft_url, "job_id": other["job_id"]}),
        api.post("cancel_render", {"draft_url": draft_url, "job_id": "0" * 32}),
    ]
    bad = api.post("cancel_render", {"draft_url": draft_url, "job_id": "not an id"})

    for answer in answers:
        assert (answer.status_code, answer.json()) == (
            404,
            {"detail": "Video generation task not found", "code": "render_job_not_found"},
        )
    assert bad.status_code == 400 and "job_id" in bad.json()["detail"]
    assert api.status(other_url)["status"] == "pending"
    assert api.status(draft_url)["status"] == "pending"


def test_a_running_render_is_stopped_when_cancelled(
    slow_server: ServerProcess, slow_api: Api, long_media: MediaServer
) -> None:
    draft_url = slow_api.video_draft(long_media.url("long.mp4"), LONG_SECONDS)
    job = slow_api.gen_video(draft_url)
    slow_api.wait(draft_url, lambda s: processing(s) and s["progress"] > 0)
    encoders = children_of(slow_server.pid)
    assert encoders, "the render should run in an ffmpeg child of the server"

    cancelled = slow_api.ok("cancel_render", {"draft_url": draft_url, "job_id": job["job_id"]})

    assert cancelled["status"] == "cancelled"
    deadline = time.monotonic() + 10
    while alive(encoders) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(encoders), "cancelling must stop ffmpeg"
    assert "is no longer held by" in slow_server.log_text()
    assert slow_api.status(draft_url)["status"] == "cancelled"
    # The worker is free again: the next render runs to completion.
    short = slow_api.video_draft(long_media.url("long.mp4"), 1)
    slow_api.gen_video(short)
    assert slow_api.wait(short, ended)[0]["status"] == "completed"
    assert slow_api.status(draft_url)["status"] == "cancelled"


def test_a_key_cancels_only_its_own_drafts_renders(
    tmp_path_factory: pytest.TempPathFactory, apis: ApiOpener
) -> None:
    env = {**QUEUE_ONLY, "DRAFTSMITH_API_KEYS": f"{KEY_A},{KEY_B}"}
    with ServerProcess(tmp_path_factory.mktemp("keyed-cancel"), env=env) as server:
        alice = apis(server.base_url, KEY_A)
        bob = apis(server.base_url, KEY_B)
        alices_url, alices = queued_draft(alice)
        bobs_url, _ = queued_draft(bob)

        hidden = bob.post("cancel_render", {"draft_url": alices_url})
        by_id = bob.post("cancel_render", {"draft_url": bobs_url, "job_id": alices["job_id"]})
        no_key = alice.as_key(None).post("cancel_render", {"draft_url": alices_url})
        still = alice.status(alices_url)["status"]
        cancelled = alice.ok("cancel_render", {"draft_url": alices_url})["status"]
        bobs_still = bob.status(bobs_url)["status"]

    assert (hidden.status_code, hidden.json()["detail"]) == (404, "Draft does not exist")
    assert (by_id.status_code, by_id.json()["code"]) == (404, "render_job_not_found")
    assert no_key.status_code == 401
    assert (still, cancelled, bobs_still) == ("pending", "cancelled", "pending")


def test_the_client_the_command_line_and_the_mcp_tool_cancel(
    queue_only: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(queue_only.base_url)
    by_client, by_client_job = queued_draft(api)
    by_cli, by_cli_job = queued_draft(api)
    by_mcp, by_mcp_job = queued_draft(api)

    status = api.client.cancel_render(by_client)
    assert (status.status, status.job_id, status.finished) == (
        "cancelled",
        by_client_job["job_id"],
        True,
    )
    assert api.client.gen_video_status(by_client).status == "cancelled"

    env = {"DRAFTSMITH_SERVER": queue_only.base_url}
    command = ["cancel-render", by_cli, "--job", by_cli_job["job_id"]]
    shown = CliRunner().invoke(main, command, env=env)
    assert (shown.exit_code, shown.stdout.strip()) == (0, f"cancelled (job {by_cli_job['job_id']})")
    listed = CliRunner().invoke(main, [*command, "--json"], env=env)
    assert listed.exit_code == 0, (listed.stdout, listed.stderr)
    assert json.loads(listed.stdout)["status"] == "cancelled"

    async def cancel() -> dict[str, object]:
        async with http_session(f"{queue_only.base_url}/mcp/") as session:
            return await call(session, "cancel_render", draft_id=by_mcp)

    result = run_coroutine(cancel())
    assert (result["job_id"], result["status"]) == (by_mcp_job["job_id"], "cancelled")
    assert "gen_video queues it again" in str(result["next"])
    assert api.status(by_mcp)["status"] == "cancelled"
