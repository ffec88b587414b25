"""The import_draft and relink_media tools over streamable HTTP with API keys on: a zipped
draft folder at a URL becomes a draft of the caller, its missing media are named, relinked,
and an encrypted draft comes back as a tool error that says what imports instead."""

from __future__ import annotations

import base64
import io
import os
import zipfile
from pathlib import Path
from typing import Any

from agents.conftest import KEY_A
from agents.mcp_client import call, call_error, http_session
from agents.scenario import MediaUrls
from support.event_loop import run_coroutine
from support.media_server import MediaServer

SAMPLE = Path(__file__).parents[1] / "fixtures" / "capcut-mate-sample"
SAMPLE_FILES = ("draft_content.json", "draft_info.json", "draft_meta_info.json")


def _zips(directory: Path) -> Path:
    """The capcut-mate sample without its media, and a draft whose timeline is encrypted."""
    directory.mkdir()
    for name, files in (
        ("sample.zip", {name: (SAMPLE / name).read_bytes() for name in SAMPLE_FILES}),
        ("encrypted.zip", {"draft_info.json": base64.b64encode(os.urandom(4000))}),
    ):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path, data in files.items():
                archive.writestr(f"draft/{path}", data)
        (directory / name).write_bytes(buffer.getvalue())
    return directory


def test_import_and_relink_through_mcp(mcp_url: str, media: MediaUrls, tmp_path: Path) -> None:
    with MediaServer(_zips(tmp_path / "zips")) as zips:

        async def scenario() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]:
            async with http_session(mcp_url, KEY_A) as session:
                imported = await call(session, "import_draft", zip_url=zips.url("sample.zip"))
                relinked = await call(
                    session,
                    "relink_media",
                    draft_id=imported["draft_id"],
                    material="2026112307043793d494b9.mp4",
                    url=media.video,
                )
                info = await call(session, "get_draft_info", draft_id=imported["draft_id"])
                refused = await call_error(
                    session, "import_draft", zip_url=zips.url("encrypted.zip")
                )
                return imported, relinked, info, refused

        imported, relinked, info, refused = run_coroutine(scenario())
    assert imported["segment_count"] == 4 and len(imported["missing_media"]) == 3
    assert imported["profile"] == "all"
    assert len(relinked["segment_ids"]) == 1
    assert info["segment_count"] == 4, info
    assert "encrypted" in refused and "Jianying 5.9" in refused
