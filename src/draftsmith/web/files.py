"""Serving the files of a saved draft folder: one at a time, or the whole folder as a zip,
each answering byte ranges (ranges.py).

Paths are looked up in the version's file list; nothing a client sends is ever joined to a
filesystem path, so no request can reach outside the data directory.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from typing import IO

from fastapi import Request
from fastapi.responses import Response
from starlette.background import BackgroundTask

from draftsmith.errors import NotFound
from draftsmith.store.records import FileEntry, VersionRecord
from draftsmith.web.ranges import Representation, ranged_response

_COMPRESSIBLE = (".json", ".txt", ".tmp")
_CHUNK = 1024 * 1024

# How a file of a version is read whole (`Drafts.file_chunks`) and in part (`Drafts.file_range`).
FileReader = Callable[[VersionRecord, FileEntry], Iterator[bytes]]
RangeReader = Callable[[VersionRecord, FileEntry, int, int], Iterator[bytes]]


def stream_file(request: Request, read: RangeReader, record: VersionRecord, path: str) -> Response:
    for entry in record.files:
        if entry.path == path:
            media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            file = Representation(
                size=entry.size,
                digest=entry.sha256,
                media_type=media_type,
                read=functools.partial(read, record, entry),
                modified_us=record.created_at_us,
            )
            return ranged_response(request, file)
    raise NotFound(f"Version {record.version} of the draft has no file {path!r}")


def _write_zip(spool: IO[bytes], read: FileReader, record: VersionRecord) -> None:
    read = _reading_once(read, record)
    with zipfile.ZipFile(spool, "w") as archive:
        for entry in record.files:
            method = (
                zipfile.ZIP_DEFLATED if entry.path.endswith(_COMPRESSIBLE) else zipfile.ZIP_STORED
            )
            info = zipfile.ZipInfo(f"{record.draft_id}/{entry.path}", (1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            info.external_attr = 0o644 << 16
            with archive.open(info, "w") as target:
                for chunk in read(record, entry):
                    target.write(chunk)


def _reading_once(read: FileReader, record: VersionRecord) -> FileReader:
    """`read`, but a file the store keeps that the version names more than once (its timeline
    file is draft_content.json, draft_info.json and the nested timeline) is read once, and
    held while the zip is written."""
    named = Counter(entry.sha256 for entry in record.files if entry.in_store)
    held: dict[str, list[bytes]] = {}

    def reader(record: VersionRecord, entry: FileEntry) -> Iterator[bytes]:
        if named[entry.sha256] < 2:
            return read(record, entry)
        if entry.sha256 not in held:
            held[entry.sha256] = list(read(record, entry))
        return iter(held[entry.sha256])

    return reader


def _spool_reader(spool: IO[bytes], start: int, end: int) -> Iterator[bytes]:
    spool.seek(start)
    remaining = end - start
    while remaining > 0 and (chunk := spool.read(min(_CHUNK, remaining))):
        remaining -= len(chunk)
        yield chunk


def zip_response(request: Request, read: FileReader, record: VersionRecord) -> Response:
    """The version's folder as a zip, written whole before the answer starts (as it always
    was), so it has a length and an ETag (its SHA-256) and answers byte ranges. Its bytes only
    depend on the files and this server's zlib, so a resumed download gets the same zip."""
    name = f"{record.draft_id}-v{record.version}.zip"
    # Closed once the answer is sent, by the response's background task.
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    try:
        _write_zip(spool, read, record)
        size = spool.seek(0, 2)
        spool.seek(0)
        hasher = hashlib.sha256()
        while chunk := spool.read(_CHUNK):
            hasher.update(chunk)
        file = Representation(
            size=size,
            digest=hasher.hexdigest(),
            media_type="application/zip",
            read=functools.partial(_spool_reader, spool),
            modified_us=record.created_at_us,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
        response = ranged_response(request, file)
    except BaseException:
        spool.close()
        raise
    response.background = BackgroundTask(spool.close)
    return response
