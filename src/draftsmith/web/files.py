"""Serving the files of a saved draft folder: one at a time, or the whole folder as a zip.

Paths are looked up in the version's file list; nothing a client sends is ever joined to a
filesystem path, so no request can reach outside the data directory.
"""

from __future__ import annotations

import mimetypes
import tempfile
import zipfile
from collections.abc import Callable, Iterator

from fastapi.responses import Response, StreamingResponse

from draftsmith.errors import NotFound
from draftsmith.store.records import FileEntry, VersionRecord

_COMPRESSIBLE = (".json", ".txt", ".tmp")

# How a file of a version is read: `Drafts.file_chunks`.
FileReader = Callable[[VersionRecord, FileEntry], Iterator[bytes]]


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
