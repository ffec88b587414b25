"""Render budgets on a real server: a draft too long or a canvas too large is refused at
gen_video (400 naming the limit), each API key (with keys off, everyone together) may queue only
so many seconds of video per hour (429 with Retry-After), and a render that runs too long for its
length is stopped and failed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from draftsmith.config import Settings
from support.api import SECOND, Api, ApiOpener, Status
from support.media_server import MediaServer
from support.server import ServerProcess

from .conftest import SERVER_ENV

HOUR = 3600 * SECOND
KEY_A = "ds_budget-key-alice-0123456789abcdef"
KEY_B = "ds_budget-key-bob-0123456789abcdef00"
# No worker renders here: queued jobs stay queued, and nothing long is ever drawn.
QUEUE_ONLY = {**SERVER_ENV, "DRAFTSMITH_RENDER_WORKERS": "0"}
SMALL_BUDGET = {**QUEUE_ONLY, "DRAFTSMITH_RENDER_SECONDS_PER_HOUR": "10"}


@pytest.fixture(scope="module")
def default_limits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("render-limits"), env=QUEUE_ONLY) as server:
        yield server


def caption_draft(api: Api, seconds: float, width: int = 320, height: int = 240) -> str:
    """A saved draft of one caption lasting `seconds`."""
    draft_url = api.create_draft(width, height)
    api.add_caption(draft_url, "a long caption", 0, int(seconds * SECOND))
    api.client.save(draft_url)
    return draft_url


def refused(api: Api, draft_url: str, status: int) -> Status:
    response = api.post("gen_video", {"draft_url": draft_url})
    assert response.status_code == status, response.text
    answer: Status = response.json()
    return {**answer, "headers": response.headers}


def nothing_queued(api: Api, draft_url: str) -> None:
    answer = api.post("gen_video_status", {"draft_url": draft_url})
    assert (answer.status_code, answer.json()["code"]) == (404, "render_job_not_found")


def test_the_default_limits_cover_real_use() -> None:
    settings = Settings()
    assert settings.render_max_seconds == 2 * 3600
    assert (settings.render_max_width, settings.render_max_height) == (4096, 4096)
    assert settings.render_max_pixels >= 3840 * 2160
    assert settings.render_seconds_per_hour >= settings.render_max_seconds
    assert settings.render_time_factor >= 2 and settings.render_min_time_seconds >= 10


def test_a_caption_lasting_a_day_is_refused_naming_the_two_hour_limit(
    default_limits: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(default_limits.base_url)
    day = caption_draft(api, 24 * 3600)

    answer = refused(api, day, 400)

    assert answer["code"] == "render_limit_exceeded"
    assert answer["detail"] == (
        "The draft lasts 86400 s; this server renders drafts of at most 7200 s"
    )
    nothing_queued(api, day)
    # Two hours is within the limit: that render is queued.
    assert api.gen_video(caption_draft(api, 2 * 3600))["status"] == "pending"


@pytest.mark.parametrize(("width", "height"), [(16384, 16384), (8192, 1080), (1080, 4097)])
def test_a_canvas_over_the_limit_is_refused_naming_it(
    default_limits: ServerProcess, apis: ApiOpener, width: int, height: int
) -> None:
    api = apis(default_limits.base_url)
    big = caption_draft(api, 1, width, height)

    answer = refused(api, big, 400)

    assert answer["code"] == "render_limit_exceeded"
    assert answer["detail"] == (
        f"The canvas is {width}x{height}; this server renders canvases of at most 4096x4096 "
        "and 16777216 pixels"
    )
    nothing_queued(api, big)


def test_the_pixel_limit_holds_for_canvases_within_each_side(
    tmp_path_factory: pytest.TempPathFactory, apis: ApiOpener
) -> None:
    env = {**QUEUE_ONLY, "DRAFTSMITH_RENDER_MAX_PIXELS": str(1920 * 1080)}
    with ServerProcess(tmp_path_factory.mktemp("pixels"), env=env) as server:
        api = apis(server.base_url)
        assert api.gen_video(caption_draft(api, 1, 1920, 1080))["status"] == "pending"
        answer = refused(api, caption_draft(api, 1, 2048, 1080), 400)
    assert answer["code"] == "render_limit_exceeded"
    assert "2073600 pixels" in answer["detail"]


def test_with_keys_off_everyone_shares_one_hourly_budget(
    tmp_path_factory: pytest.TempPathFactory, apis: ApiOpener
) -> None:
    with ServerProcess(tmp_path_factory.mktemp("budget"), env=SMALL_BUDGET) as server:
        api = apis(server.base_url)
        first, second, third = (caption_draft(api, 4) for _ in range(3))
        queued = api.gen_video(first)
        api.gen_video(second)
        # Asking again for a queued render is not a new render: nothing more is charged.
        assert api.gen_video(first)["job_id"] == queued["job_id"]

        over = refused(api, third, 429)
        too_long = refused(api, caption_draft(api, 11), 400)
        # Cancelling gives nothing back, and queueing the cancelled render again is charged.
        api.ok("cancel_render", {"draft_url": second})
        again = refused(api, second, 429)
        nothing_queued(api, third)

    assert over["code"] == "render_budget_exceeded"
    assert "8 s of video were queued in the last hour on this server" in over["detail"]
    assert "the most is 10 s per hour" in over["detail"]
    assert 0 < int(over["headers"]["Retry-After"]) <= 3600
    assert f"fits again in {over['headers']['Retry-After']} s" in over["detail"]
    assert too_long["code"] == "render_limit_exceeded"
    assert "more than the render budget of 10 s of video per hour" in too_long["detail"]
    assert again["code"] == "render_budget_exceeded"


def test_each_key_has_a_budget_of_its_own(
    tmp_path_factory: pytest.TempPathFactory, apis: ApiOpener
) -> None:
    env = {
        **SMALL_BUDGET,
        "DRAFTSMITH_API_KEYS": f"{KEY_A},{KEY_B}",
        "DRAFTSMITH_MAX_RENDERS_PER_KEY": "0",
    }
    with ServerProcess(tmp_path_factory.mktemp("keyed-budget"), env=env) as server:
        alice = apis(server.base_url, KEY_A)
        bob = apis(server.base_url, KEY_B)
        alice.gen_video(caption_draft(alice, 6))
        alice.gen_video(caption_draft(alice, 4))

        over = refused(alice, caption_draft(alice, 1), 429)
        bobs = bob.gen_video(caption_draft(bob, 10))

    assert over["code"] == "render_budget_exceeded"
    assert "10 s of video were queued in the last hour with this API key" in over["detail"]
    assert int(over["headers"]["Retry-After"]) > 0
    assert bobs["status"] == "pending"


def test_a_render_past_its_time_limit_is_stopped_and_failed(
    tmp_path_factory: pytest.TempPathFactory,
    apis: ApiOpener,
    slow_ffmpeg_env: dict[str, str],
    long_media: MediaServer,
) -> None:
    env = {
        **slow_ffmpeg_env,
        "DRAFTSMITH_RENDER_TIME_FACTOR": "0.01",
        "DRAFTSMITH_RENDER_MIN_TIME_SECONDS": "0",
    }
    with ServerProcess(tmp_path_factory.mktemp("time-limit"), env=env) as server:
        api = apis(server.base_url)
        draft_url = api.video_draft(long_media.url("long.mp4"), 3)
        api.gen_video(draft_url)
        done, _ = api.wait(draft_url)

    assert (done["status"], done["video_url"]) == ("failed", "")
    assert done["error_message"] == (
        "Render stopped: it ran past its time limit of 0.03 s (a multiple of the draft's length)"
    )
