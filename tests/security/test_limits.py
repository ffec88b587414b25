"""Limits, each a setting with a safe default, each answered with a status and a clear detail:
segments per draft and caption length (400), drafts per key (429), body size (413), renders
per key (429, checked by the service for gen_video). Media size and download time limits are
covered in tests/api/test_bad_input.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from draftsmith.bootstrap import build_drafts
from draftsmith.config import Settings
from draftsmith.errors import RenderQuotaExceeded
from draftsmith.security.caller import UNRESTRICTED, Caller
from support.api import SECOND, ApiOpener
from support.server import ServerProcess

from .conftest import KEY_A, KEY_B, KEYED_ENV

LIMITS_ENV = {
    **KEYED_ENV,
    "DRAFTSMITH_MAX_SEGMENTS_PER_DRAFT": "3",
    "DRAFTSMITH_MAX_CAPTION_CHARS": "10",
    "DRAFTSMITH_MAX_DRAFTS_PER_KEY": "3",
    "DRAFTSMITH_MAX_BODY_BYTES": "4096",
}


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("limits"), env=LIMITS_ENV) as server:
        yield server


def captions(*texts: str) -> list[dict[str, object]]:
    return [{"text": t, "start": i * SECOND, "end": (i + 1) * SECOND} for i, t in enumerate(texts)]


def test_defaults_are_safe() -> None:
    settings = Settings()
    assert 0 < settings.max_segments_per_draft <= 10_000
    assert 0 < settings.max_caption_chars <= 5000
    assert 0 < settings.max_drafts_per_key <= 10_000
    assert 0 < settings.max_renders_per_key <= 10
    assert settings.max_body_bytes <= 10 * 1024 * 1024
    assert settings.media_max_bytes <= 1024**3
    assert settings.media_timeout_seconds <= 600
    assert settings.link_ttl_seconds <= 7 * 24 * 3600


def test_segments_per_draft(limited: ServerProcess, apis: ApiOpener) -> None:
    alice = apis(limited.base_url, KEY_A)
    draft_url = alice.create_draft()
    alice.ok("add_captions", {"draft_url": draft_url, "captions": captions("a", "b")})

    response = alice.post("add_captions", {"draft_url": draft_url, "captions": captions("c", "d")})

    assert response.status_code == 400, response.text
    assert response.json()["code"] == "limit_exceeded"
    assert response.json()["detail"] == (
        "captions: the draft has 2 segments and 2 more would pass the limit of 3 segments per draft"
    )
    info = alice.ok("get_draft_info", {"draft_url": draft_url})
    assert (info["segment_count"], info["current_version"]) == (2, 1)
    alice.ok("add_captions", {"draft_url": draft_url, "captions": captions("c")})
    alice.ok("delete_draft", {"draft_url": draft_url})


def test_caption_length(limited: ServerProcess, apis: ApiOpener) -> None:
    alice = apis(limited.base_url, KEY_A)
    draft_url = alice.create_draft()

    response = alice.post(
        "add_captions", {"draft_url": draft_url, "captions": captions("short", "x" * 11)}
    )

    assert response.status_code == 400, response.text
    assert response.json() == {
        "detail": "captions[1].text has 11 characters; at most 10",
        "code": "limit_exceeded",
    }
    assert alice.ok("get_draft_info", {"draft_url": draft_url})["segment_count"] == 0
    alice.ok("add_captions", {"draft_url": draft_url, "captions": captions("x" * 10)})
    alice.ok("delete_draft", {"draft_url": draft_url})


def test_drafts_per_key(limited: ServerProcess, apis: ApiOpener) -> None:
    alice = apis(limited.base_url, KEY_A)
    bob = alice.as_key(KEY_B)
    held = [d["draft_url"] for d in alice.ok("list_drafts", {})["drafts"]]
    made = [alice.create_draft() for _ in range(3 - len(held))]

    refused = alice.post("create_draft", {})

    assert refused.status_code == 429, refused.text
    assert refused.json()["code"] == "draft_quota_exceeded"
    assert "already holds 3 drafts" in refused.json()["detail"]
    assert len(alice.ok("list_drafts", {})["drafts"]) == 3
    assert bob.post("create_draft", {}).status_code == 200, "the quota is per key"
    alice.ok("delete_draft", {"draft_url": (held + made)[0]})
    assert alice.post("create_draft", {}).status_code == 200


def test_body_size(limited: ServerProcess, apis: ApiOpener) -> None:
    alice = apis(limited.base_url, KEY_A)
    response = alice.post("list_drafts", {"query": "x" * 5000})
    assert response.status_code == 413, response.text
    assert response.json()["detail"] == "Request body is larger than the 4096 byte limit"


def test_render_quota_check(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, max_renders_per_key=2)
    drafts = build_drafts(settings)
    try:
        key = Caller("key_123")
        drafts.check_render_quota(key, active_renders=0)
        drafts.check_render_quota(key, active_renders=1)
        with pytest.raises(RenderQuotaExceeded) as refused:
            drafts.check_render_quota(key, active_renders=2)
        assert refused.value.status == 429
        assert refused.value.retry_after is not None
        assert "2 renders queued or running" in refused.value.detail
        drafts.check_render_quota(UNRESTRICTED, active_renders=50)
    finally:
        drafts.close()
