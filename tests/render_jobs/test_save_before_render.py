"""gen_video of a draft with unsaved changes: saved first by default (as save_draft saves, a new
version named in the answer and its warnings), refused in strict mode, and limited as a save.
Also the rendered MP4's byte ranges, which share the file routes' implementation."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.api import SECOND, Api, ApiOpener
from support.server import ServerProcess

STRICT = {"X-Draftsmith-Strict": "1"}


@pytest.fixture
def api(shared_server: ServerProcess, apis: ApiOpener) -> Api:
    return apis(shared_server.base_url)


def gen_video(api: Api, draft_url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"draft_url": draft_url}
    return api.http.post(api.url("gen_video"), json=body, headers=headers or {})


def saved_before_render(message: str) -> list[dict[str, Any]]:
    return [{"field": "draft_url", "code": "saved_before_render", "message": message}]


def test_a_draft_never_saved_is_saved_then_rendered(api: Api) -> None:
    draft_url = api.create_draft(320, 240)
    api.add_caption(draft_url, "never saved", 0, SECOND)

    queued = gen_video(api, draft_url)

    assert queued.status_code == 200, queued.text
    job = queued.json()
    assert job["version"] == 1
    assert job["warnings"] == saved_before_render(
        "The draft had never been saved: gen_video saved it as version 1 (as save_draft "
        "does) and renders that version"
    )
    [version] = api.versions(draft_url)
    assert (version["version"], version["label"]) == (1, "saved by gen_video")
    assert api.info(draft_url)["unsaved_changes"] is False
    done, _ = api.wait(draft_url)
    assert (done["status"], done["version"], done["job_id"]) == ("completed", 1, job["job_id"])
    again = gen_video(api, draft_url).json()
    assert (again["job_id"], again["warnings"]) == (job["job_id"], [])


def test_unsaved_changes_are_saved_as_the_next_version_and_rendered(api: Api) -> None:
    draft_url = api.create_draft(320, 240)
    api.add_caption(draft_url, "saved", 0, SECOND)
    api.save(draft_url)
    api.add_caption(draft_url, "added later", SECOND, 2 * SECOND)

    answer = gen_video(api, draft_url)
    older = api.http.post(api.url("gen_video"), json={"draft_url": draft_url, "version": 1})

    assert answer.status_code == 200, answer.text
    job = answer.json()
    assert job["version"] == 2
    assert job["warnings"] == saved_before_render(
        "The draft had unsaved changes: gen_video saved it as version 2 (as save_draft does) "
        "and renders that version"
    )
    assert [v["version"] for v in api.versions(draft_url)] == [1, 2]
    info = api.info(draft_url)
    assert (info["last_saved_version"], info["unsaved_changes"]) == (2, False)
    # A version asked for by number is rendered as it was saved; nothing is saved.
    assert older.status_code == 200, older.text
    assert (older.json()["version"], older.json()["warnings"]) == (1, [])
    assert len(api.versions(draft_url)) == 2


def test_strict_mode_renders_only_what_was_saved(api: Api) -> None:
    never = api.create_draft(320, 240)
    api.add_caption(never, "never saved")
    edited = api.create_draft(320, 240)
    api.add_caption(edited, "saved")
    api.save(edited)
    api.add_caption(edited, "not saved", SECOND, 2 * SECOND)

    never_answer = gen_video(api, never, STRICT)
    edited_answer = gen_video(api, edited, STRICT)
    saved_one = api.http.post(
        api.url("gen_video"), json={"draft_url": edited, "version": 1}, headers=STRICT
    )

    assert never_answer.status_code == 404
    assert never_answer.json() == {
        "detail": "Draft has no saved version yet; call save_draft first",
        "code": "no_saved_version",
    }
    assert edited_answer.status_code == 400
    assert edited_answer.json() == {
        "detail": "draft_url: the draft has changes made after its last saved version 1; call "
        "save_draft before gen_video, or give version to render a saved one",
        "code": "unsaved_changes",
    }
    assert api.versions(never) == []
    assert [v["version"] for v in api.versions(edited)] == [1]
    assert api.info(edited)["unsaved_changes"] is True
    assert saved_one.status_code == 200, saved_one.text
    assert (saved_one.json()["version"], saved_one.json()["warnings"]) == (1, [])


def test_an_empty_draft_is_not_saved_to_be_rendered(api: Api) -> None:
    draft_url = api.create_draft(320, 240)

    answer = gen_video(api, draft_url)

    assert answer.status_code == 400
    assert answer.json()["detail"] == "Draft content is empty: the draft has nothing to render"
    assert api.versions(draft_url) == []


@pytest.fixture
def one_save_per_draft(tmp_path: Path, apis: ApiOpener) -> Iterator[Api]:
    """A server whose drafts may save once (then about once a day); clients are not limited."""
    env = {
        "DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0.00001",
        "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0",
        "DRAFTSMITH_RATE_BURST": "1",
    }
    with ServerProcess(tmp_path / "data", env=env) as server:
        yield apis(server.base_url)


def test_the_save_before_a_render_is_limited_as_a_save(one_save_per_draft: Api) -> None:
    api = one_save_per_draft
    edited = api.create_draft(320, 240)
    api.add_caption(edited, "saved")
    api.save(edited)
    api.add_caption(edited, "not saved", SECOND, 2 * SECOND)
    unchanged = api.create_draft(320, 240)
    api.add_caption(unchanged, "saved")
    api.save(unchanged)

    limited = gen_video(api, edited)
    rendered = gen_video(api, unchanged)

    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    assert [v["version"] for v in api.versions(edited)] == [1]
    assert api.post("gen_video_status", {"draft_url": edited}).status_code == 404
    # Nothing to save: no save is spent, so the limit does not apply.
    assert rendered.status_code == 200, rendered.text
    assert (rendered.json()["version"], rendered.json()["warnings"]) == (1, [])


def test_the_rendered_video_answers_byte_ranges(api: Api) -> None:
    draft_url = api.create_draft(320, 240)
    api.add_caption(draft_url, "ranges", 0, SECOND)
    api.gen_video(draft_url)
    done, _ = api.wait(draft_url)
    assert done["status"] == "completed", done
    url = done["video_url"]

    whole = api.http.get(url)
    tail = api.http.get(url, headers={"Range": "bytes=-1000"})
    resumed = api.http.get(url, headers={"Range": "bytes=100-", "If-Range": whole.headers["etag"]})
    stale = api.http.get(url, headers={"Range": "bytes=100-", "If-Range": f'"{"0" * 64}"'})
    past = api.http.get(url, headers={"Range": f"bytes={len(whole.content)}-"})
    head = api.http.head(url)

    size = len(whole.content)
    assert whole.status_code == 200
    assert whole.headers["etag"] == f'"{hashlib.sha256(whole.content).hexdigest()}"'
    assert (whole.headers["accept-ranges"], whole.headers["content-type"]) == (
        "bytes",
        "video/mp4",
    )
    assert whole.headers["last-modified"]
    assert (tail.status_code, tail.content) == (206, whole.content[-1000:])
    assert tail.headers["content-range"] == f"bytes {size - 1000}-{size - 1}/{size}"
    assert (resumed.status_code, resumed.content) == (206, whole.content[100:])
    assert (stale.status_code, stale.content) == (200, whole.content)
    assert (past.status_code, past.headers["content-range"]) == (416, f"bytes */{size}")
    assert (head.status_code, head.content, head.headers["content-length"]) == (
        200,
        b"",
        str(size),
    )
