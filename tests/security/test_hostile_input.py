"""Input that once reached the database and broke it, now refused with a 400 that names the
field: NUL characters (PostgreSQL text cannot hold them) and numbers too large for a database
integer. Run on PostgreSQL, where both failed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.api import API_PREFIX, SECOND, Api
from support.postgres import throwaway_database
from support.server import ServerProcess

HUGE = 2**63


@pytest.fixture(scope="module")
def on_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with (
        throwaway_database("draftsmith_hostile") as url,
        ServerProcess(
            tmp_path_factory.mktemp("hostile"), env={"DRAFTSMITH_DATABASE_URL": url}
        ) as server,
        Api(server.base_url) as api,
    ):
        yield api


def test_nul_characters_are_refused(on_postgres: Api) -> None:
    api = on_postgres
    draft_url, _ = api.saved_draft()
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("create_draft", {"name": "a\x00b"}, "name"),
        ("save_draft", {"draft_url": draft_url, "label": "a\x00b"}, "label"),
        ("list_drafts", {"query": "a\x00b"}, "query"),
        (
            "add_videos",
            {
                "draft_url": draft_url,
                "video_infos": [{"video_url": "http://a\x00b/x.mp4", "start": 0, "end": SECOND}],
            },
            "video_infos[0]",
        ),
    ]
    for verb, body, field in cases:
        response = api.post(verb, body)
        assert response.status_code == 400, (verb, response.text)
        assert response.json()["detail"].startswith(field), (verb, response.text)


def test_numbers_beyond_a_database_integer_are_refused(on_postgres: Api) -> None:
    api = on_postgres
    draft_url, draft_id = api.saved_draft()
    posts: list[tuple[str, dict[str, Any]]] = [
        ("restore_version", {"draft_url": draft_url, "version": HUGE}),
        ("download_draft", {"draft_url": draft_url, "version": HUGE}),
        ("save_draft", {"draft_url": draft_url, "expected_version": HUGE}),
        ("list_drafts", {"offset": HUGE}),
    ]
    for verb, body in posts:
        response = api.post(verb, body)
        assert response.status_code == 400, (verb, response.text)
    for path, params in (
        ("get_draft", {"draft_id": draft_id, "version": HUGE}),
        ("download_draft", {"draft_id": draft_id, "version": HUGE}),
        (f"draft_files/v{HUGE}/{draft_id}/draft_content.json", {}),
    ):
        response = api.get(f"{api.base_url}{API_PREFIX}/{path}", **params)
        assert response.status_code == 400, (path, response.text)
        assert "version" in response.json()["detail"], (path, response.text)
