"""Archives import_draft refuses, each with a clear 4xx and nothing stored: an encrypted
timeline, a zip bomb, entries outside the folder, a symbolic link, 10,000 files, and a JSON
file that is not a draft."""

from __future__ import annotations

import base64
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from support.server import ServerProcess

from .folders import zipped

PRIVATE = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1"}
DRAFT_JSON = json.dumps(
    {"canvas_config": {"width": 640, "height": 360}, "tracks": [], "materials": {}}
)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("import-refused"), env=PRIVATE) as process:
        yield process


def _encrypted() -> bytes:
    # What Jianying 6+ leaves in draft_info.json: ciphertext, here random bytes as base64.
    return zipped({"draft_info.json": base64.b64encode(os.urandom(6000))})


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("draft/draft_content.json", DRAFT_JSON)
        archive.writestr("draft/assets/videos/big.mp4", bytes(32 * 1024 * 1024))
    return buffer.getvalue()


def _escaping() -> bytes:
    return zipped({"draft_content.json": DRAFT_JSON.encode(), "../../evil.txt": b"x"})


def _symlink() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("draft/draft_content.json", DRAFT_JSON)
        link = zipfile.ZipInfo("draft/assets/videos/clip.mp4")
        link.external_attr = (0o120777 << 16) | 0x20
        archive.writestr(link, "/etc/passwd")
    return buffer.getvalue()


def _many_files() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("draft/draft_content.json", DRAFT_JSON)
        for index in range(10_000):
            archive.writestr(f"draft/assets/f{index}.txt", b"")
    return buffer.getvalue()


def _not_a_draft() -> bytes:
    return zipped({"draft_content.json": json.dumps({"hello": "world", "tracks": 3}).encode()})


def _malformed() -> bytes:
    content = {
        "canvas_config": {"width": 640, "height": 360},
        "tracks": [{"id": "t", "type": "video", "segments": [{"id": "s", "material_id": "m"}]}],
        "materials": {"videos": [{"id": "m", "type": "video", "path": "/elsewhere/a.mp4"}]},
    }
    return zipped({"draft_content.json": json.dumps(content).encode()})


CASES: dict[str, tuple[Callable[[], bytes], int, str, str]] = {
    "encrypted": (_encrypted, 422, "draft_encrypted", "Jianying 5.9"),
    "zip bomb": (_bomb, 413, "archive_too_large", "zip bomb"),
    "../ entries": (_escaping, 400, "archive_rejected", "outside its folder"),
    "symbolic link": (_symlink, 400, "archive_rejected", "symbolic link"),
    "10,000 files": (_many_files, 413, "archive_too_large", "at most 2000"),
    "not a draft": (_not_a_draft, 400, "not_a_draft", "not a draft's timeline"),
    "malformed segment": (_malformed, 400, "not_a_draft", "tracks[0].segments[0].target_timerange"),
    "not a zip": (lambda: b"PK but not really a zip", 400, "archive_rejected", "not a readable"),
}


def _stored_files(data_dir: Path) -> set[str]:
    """Blobs and other files the server keeps (its log and database files aside)."""
    return {
        str(p.relative_to(data_dir))
        for p in data_dir.rglob("*")
        if p.is_file() and not p.name.startswith(("server.log", "draftsmith.db"))
    }


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_archive_gets_a_clear_4xx_and_nothing_is_stored(
    own_server: ServerProcess, case: str
) -> None:
    make, status, code, says = CASES[case]
    before = _stored_files(own_server.data_dir)
    with httpx.Client(base_url=own_server.base_url, timeout=60, trust_env=False) as http:
        response = http.post(
            "/openapi/capcut-mate/v1/import_draft",
            content=make(),
            headers={"Content-Type": "application/zip"},
        )
        assert response.status_code == status, response.text
        body = response.json()
        assert body["code"] == code and says in body["detail"], body
        listed = http.post("/openapi/capcut-mate/v1/list_drafts", json={}).json()
    assert listed["drafts"] == []
    assert _stored_files(own_server.data_dir) == before


def test_a_form_upload_is_refused_as_browsers_send_them_anywhere(
    own_server: ServerProcess,
) -> None:
    with httpx.Client(base_url=own_server.base_url, timeout=30, trust_env=False) as http:
        response = http.post(
            "/openapi/capcut-mate/v1/import_draft",
            files={"file": ("draft.zip", _not_a_draft(), "application/zip")},
        )
    assert response.status_code == 415, response.text
