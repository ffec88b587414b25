"""Serving the files of a saved draft folder: one at a time, or the whole folder as a zip.

Paths are looked up in the version's file list; nothing a client sends is ever joined to a
filesystem path, so no request can reach outside the data directory.
"""

from __future__ import annotations

import mimetypes
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from urllib.parse import quote, urlencode

from fastapi.responses import Response, StreamingResponse

from draftsmith.errors import NotFound
from draftsmith.security.signing import file_resource, zip_resource
from draftsmith.store.records import FileEntry, VersionRecord
from draftsmith.timeline.ids import API_PREFIX

_COMPRESSIBLE = (".json", ".txt", ".tmp")

# How a file of a version is read: `Drafts.file_chunks`.
FileReader = Callable[[VersionRecord, FileEntry], Iterator[bytes]]


def _plain(resource: str) -> str:
    return ""


def _with_query(url: str, query: str) -> str:
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _profile_query(profile: str | None) -> str:
    return "" if profile is None else urlencode({"profile": profile})


def file_urls(
    base: str,
    record: VersionRecord,
    link_query: Callable[[str], str] = _plain,
    profile: str | None = None,
) -> list[str]:
    """Download URLs of a version's files; `link_query` gives each a signature (or nothing).

    With `profile`, `record` is the version exported for that profile and the URLs ask for it.
    """
    prefix = f"{base}{API_PREFIX}/draft_files/v{record.version}/{record.draft_id}"
    return [
        _with_query(
            _with_query(f"{prefix}/{quote(entry.path)}", _profile_query(profile)),
            link_query(file_resource(record.draft_id, record.version, entry.path, profile)),
        )
        for entry in record.files
    ]


def zip_url(
    base: str,
    record: VersionRecord,
    link_query: Callable[[str], str] = _plain,
    profile: str | None = None,
) -> str:
    """The download_draft URL of a version's whole folder (for `profile`) as a zip."""
    url = f"{base}{API_PREFIX}/download_draft?draft_id={record.draft_id}&version={record.version}"
    url = _with_query(url, _profile_query(profile))
    return _with_query(url, link_query(zip_resource(record.draft_id, record.version, profile)))


def stream_file(read: FileReader, record: VersionRecord, path: str) -> Response:
    for entry in record.files:
        if entry.path == path:
            media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return StreamingResponse(
                read(record, entry),
                media_type=media_type,
                headers={"Content-Length": str(entry.size), "ETag": f'"{entry.sha256}"'},
            )
    raise NotFound(f"Version {record.version} of the draft has no file {path!r}")


def _zip_chunks(read: FileReader, record: VersionRecord) -> Iterator[bytes]:
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as spool:
        with zipfile.ZipFile(spool, "w") as archive:
            for entry in record.files:
                method = (
                    zipfile.ZIP_DEFLATED
                    if entry.path.endswith(_COMPRESSIBLE)
                    else zipfile.ZIP_STORED
                )
                info = zipfile.ZipInfo(f"{record.draft_id}/{entry.path}", (1980, 1, 1, 0, 0, 0))
                info.compress_type = method
                info.external_attr = 0o644 << 16
                with archive.open(info, "w") as target:
                    for chunk in read(record, entry):
                        target.write(chunk)
        spool.seek(0)
        while chunk := spool.read(1024 * 1024):
            yield chunk


def zip_response(read: FileReader, record: VersionRecord) -> StreamingResponse:
    name = f"{record.draft_id}-v{record.version}.zip"
    return StreamingResponse(
        _zip_chunks(read, record),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
