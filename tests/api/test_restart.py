"""Nothing acknowledged is lost across a graceful restart or a crash (SIGKILL)."""

from __future__ import annotations

from typing import Any

from support.api import SECOND, ApiOpener
from support.downloads import draft_id_of
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess


def shape(info: dict[str, Any]) -> dict[str, Any]:
    """What a restart must not change (timestamps included: they are stored, not computed)."""
    return {key: value for key, value in info.items() if key not in ("code", "message")}


def test_state_survives_restart_and_crash(
    server: ServerProcess,
    apis: ApiOpener,
    media_server: MediaServer,
    standard_media: StandardMedia,
) -> None:
    api = apis(server.base_url)
    draft_url = api.create_draft()
    draft_id = draft_id_of(draft_url)
    api.add_video(draft_url, media_server.url(standard_media.bars.name), 0, 3 * SECOND)
    api.add_caption(draft_url, "saved caption")
    assert api.save(draft_url)["version"] == 1
    files = api.get_draft(draft_id)["files"]
    contents = {url: api.file_bytes(url) for url in files}
    unsaved = api.add_caption(draft_url, "unsaved caption", SECOND, 2 * SECOND)
    before = api.info(draft_url)
    assert before["unsaved_changes"] is True
    assert before["current_version"] == unsaved.current_version == 3

    server.restart()

    after = api.info(draft_url)
    assert shape(after) == shape(before)
    assert [s["text"] for t in after["tracks"] if t["type"] == "text" for s in t["segments"]] == [
        "saved caption",
        "unsaved caption",
    ]
    assert api.get_draft(draft_id)["files"] == files
    assert {url: api.file_bytes(url) for url in files} == contents
    saved = api.save(draft_url)
    assert (saved["version"], saved["created"]) == (2, True)
    assert api.info(draft_url)["unsaved_changes"] is False

    acknowledged = api.add_caption(draft_url, "acknowledged, then the server died", 0, SECOND)
    server.kill()
    server.start()

    crashed = api.info(draft_url)
    assert crashed["current_version"] == acknowledged.current_version == 4
    assert crashed["unsaved_changes"] is True
    assert crashed["last_saved_version"] == 2
    track_ids = [t["id"] for t in crashed["tracks"]]
    assert track_ids[-1] == acknowledged.track_id
    assert crashed["tracks"][-1]["segments"][0]["text"] == "acknowledged, then the server died"
    assert [v["version"] for v in api.versions(draft_url)] == [1, 2]
    assert api.save(draft_url)["version"] == 3
