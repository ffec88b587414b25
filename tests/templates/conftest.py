"""A template draft built over the HTTP API: two placeholder captions (one a keyword), two
videos and a tone, as a user would make one to fill again and again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, cast

import httpx
import pytest
from fastapi.testclient import TestClient

from draftsmith.bootstrap import http_app
from draftsmith.config import Settings
from support.api import SECOND, Api
from support.media_server import MediaServer
from support.postgres import throwaway_database


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def app_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """The app of a module of its own (a fresh data directory and database), through a
    TestClient, on each store adapter: a fill is one transaction on both."""
    with ExitStack() as stack:
        database = None
        if request.param == "postgres":
            database = stack.enter_context(throwaway_database("draftsmith_templates"))
        settings = Settings(
            data_dir=tmp_path_factory.mktemp("templates"),
            allow_private_urls=True,
            database_url=database,
        )
        # The app answers only the hosts it trusts (web/browser_guard.py): loopback here.
        http = stack.enter_context(TestClient(http_app(settings), base_url="http://127.0.0.1"))
        yield stack.enter_context(Api(http=cast(httpx.Client, http)))


@dataclass(frozen=True)
class Template:
    draft_url: str
    title_caption: str
    """Segment id of "{{title}} 🎬 {{title}}" (0-3 s), whose keyword is {{title}}."""
    author_caption: str
    """Segment id of "by {{author}}" (3-5 s)."""
    bars: str
    """Segment id of bars.mp4 (3 s of 3 s, at 0)."""
    red_material: str
    """Material id of red.mp4 (2 s of 2 s, at 3 s)."""


def build_template(api: Api, media: MediaServer, tone: str) -> Template:
    """`tone`: the file name of the standard tone (tone.mp3, or tone.m4a without an MP3
    encoder)."""
    draft_url = api.ok("create_draft", {"width": 640, "height": 360, "name": "promo"})["draft_url"]
    captions = api.ok(
        "add_captions",
        {
            "draft_url": draft_url,
            "captions": [
                {
                    "text": "{{title}} 🎬 {{title}}",
                    "start": 0,
                    "end": 3 * SECOND,
                    "keyword": "{{title}}",
                    "keyword_color": "#ffcc00",
                },
                {"text": "by {{author}}", "start": 3 * SECOND, "end": 5 * SECOND},
            ],
        },
    )
    videos = api.ok(
        "add_videos",
        {
            "draft_url": draft_url,
            "video_infos": [
                {"video_url": media.url("bars.mp4"), "start": 0, "end": 3 * SECOND},
                {"video_url": media.url("red.mp4"), "start": 3 * SECOND, "end": 5 * SECOND},
            ],
        },
    )
    api.ok(
        "add_audios",
        {
            "draft_url": draft_url,
            "audio_infos": [{"audio_url": media.url(tone), "start": 0, "end": 3 * SECOND}],
        },
    )
    return Template(
        draft_url,
        title_caption=captions["segment_ids"][0],
        author_caption=captions["segment_ids"][1],
        bars=videos["segment_ids"][0],
        red_material=videos["video_ids"][1],
    )


def fill_body(template: Template, media: MediaServer, **extra: Any) -> dict[str, Any]:
    """The worked example's fill: both placeholders, the 3 s video replaced by a 2 s one
    (clamped), the 2 s one by a 3 s one (trimmed)."""
    return {
        "draft_url": template.draft_url,
        "texts": [
            {"placeholder": "{{title}}", "text": "夏日🎉"},
            {"segment_id": template.author_caption, "text": "by 小明 😀"},
        ],
        "media": [
            {"name": "bars.mp4", "url": media.url("red.mp4")},
            {"material_id": template.red_material, "url": media.url("bars.mp4")},
        ],
        **extra,
    }
