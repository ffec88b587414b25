"""fill_template against a real server subprocess, the ways a user reaches it: the Python
client (sync and async), the `draftsmith fill-template` command and the MCP tool. Each makes
a new draft with the texts and media replaced and leaves the template as it was."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from agents.mcp_client import call, call_error, http_session
from draftsmith.cli import main
from draftsmith.client import AsyncClient, Client, MediaFill, RetryPolicy, TextFill
from draftsmith.errors import InvalidSpec
from support.api import SECOND, Api, ApiOpener
from support.event_loop import run_coroutine
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess
from templates.conftest import Template, build_template


@pytest.fixture
def api(shared_server: ServerProcess, apis: ApiOpener) -> Api:
    return apis(shared_server.base_url)


@pytest.fixture
def template(api: Api, media_server: MediaServer, standard_media: StandardMedia) -> Template:
    return build_template(api, media_server, standard_media.tone.name)


def _texts(api: Api, draft_url: str) -> list[str]:
    info = api.info(draft_url)
    return [s["text"] for t in info["tracks"] if t["type"] == "text" for s in t["segments"]]


def _videos(api: Api, draft_url: str) -> list[tuple[str, int]]:
    info = api.info(draft_url)
    return [
        (s["name"], s["end"] - s["start"])
        for t in info["tracks"]
        if t["type"] == "video"
        for s in t["segments"]
    ]


def test_the_python_clients_fill_a_template(
    api: Api, template: Template, media_server: MediaServer, shared_server: ServerProcess
) -> None:
    before = api.info(template.draft_url)
    with Client(shared_server.base_url, retry=RetryPolicy(retries=0), trust_env=False) as client:
        filled = client.fill_template(
            template.draft_url,
            [
                TextFill("夏日🎉", placeholder="{{title}}"),
                {"placeholder": "{{author}}", "text": "Kim"},
            ],
            [MediaFill(media_server.url("red.mp4"), name="bars.mp4")],
            name="summer",
        )
        assert [(r.pointer, r.count) for r in filled.replacements] == [
            ("/texts/0", 2),
            ("/texts/1", 1),
            ("/media/0", 1),
        ]
        assert [(w.field, w.code) for w in filled.warnings] == [("/media/0", "clamped_to_media")]
        assert filled.template_url == template.draft_url
        with pytest.raises(InvalidSpec) as refused:
            client.fill_template(
                template.draft_url,
                [TextFill("x", segment_id=template.bars)],
                [MediaFill(media_server.url("fake.mp4"), name="red.mp4")],
            )
        assert [p for p, _ in refused.value.problems] == ["/texts/0", "/media/0/url"]
    assert _texts(api, filled.draft_url) == ["夏日🎉 🎬 夏日🎉", "by Kim"]
    assert _videos(api, filled.draft_url) == [("red.mp4", 2 * SECOND), ("red.mp4", 2 * SECOND)]
    assert api.info(filled.draft_url)["name"] == "summer"

    async def fill_async() -> Any:
        async with AsyncClient(shared_server.base_url, trust_env=False) as client:
            return await client.fill_template(
                filled.draft_id, [TextFill("second pass", segment_id=template.author_caption)]
            )

    again = run_coroutine(fill_async())
    assert _texts(api, again.draft_url) == ["夏日🎉 🎬 夏日🎉", "second pass"]
    assert api.info(template.draft_url) == before


def test_the_command_fills_a_template_and_names_bad_options(
    api: Api, template: Template, media_server: MediaServer, shared_server: ServerProcess
) -> None:
    env = {"DRAFTSMITH_SERVER": shared_server.base_url}
    result = CliRunner().invoke(
        main,
        [
            "fill-template",
            template.draft_url,
            "--set",
            "{{title}}=Launch",
            "--segment-text",
            f"{template.author_caption}=by the team",
            "--media",
            f"red.mp4={media_server.url('bars.mp4')}",
            "--json",
        ],
        env=env,
    )
    assert result.exit_code == 0, (result.stdout, result.stderr)
    made = json.loads(result.stdout)
    assert [r["count"] for r in made["replacements"]] == [2, 1, 1]
    assert _texts(api, made["draft_url"]) == ["Launch 🎬 Launch", "by the team"]
    assert _videos(api, made["draft_url"]) == [("bars.mp4", 3 * SECOND), ("bars.mp4", 2 * SECOND)]

    refused = CliRunner().invoke(
        main,
        ["fill-template", template.draft_url, "--segment-text", f"{template.bars}=no"],
        env=env,
    )
    assert refused.exit_code == 2, (refused.stdout, refused.stderr)
    assert f"--segment-text {template.bars}: " in refused.stderr
    assert "not a caption" in refused.stderr


def test_the_mcp_tool_fills_a_template(
    api: Api, template: Template, media_server: MediaServer, shared_server: ServerProcess
) -> None:
    async def session_calls() -> tuple[dict[str, Any], str]:
        async with http_session(f"{shared_server.base_url}/mcp/") as session:
            made = await call(
                session,
                "fill_template",
                template=template.draft_url,
                texts=[{"placeholder": "{{title}}", "text": "MCP"}],
                media=[{"name": "bars.mp4", "url": media_server.url("red.mp4")}],
            )
            error = await call_error(
                session,
                "fill_template",
                template=template.draft_url,
                texts=[{"segment_id": template.bars, "text": "no"}],
            )
            return made, error

    made, error = run_coroutine(session_calls())
    assert [r["count"] for r in made["replacements"]] == [2, 1]
    assert [w["code"] for w in made["warnings"]] == ["clamped_to_media"]
    assert _texts(api, made["draft_url"]) == ["MCP 🎬 MCP", "by {{author}}"]
    assert "/texts/0" in error and "invalid_spec" in error
