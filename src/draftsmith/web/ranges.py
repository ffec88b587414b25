"""Byte ranges of the files the server hands out (RFC 9110 section 14): one implementation for
draft files, draft zips, rendered videos and thumbnails, so a download cut short resumes
where it stopped and a player seeks.

Every answer carries `Accept-Ranges: bytes`, a strong `ETag` (a digest naming the bytes) and,
when known, `Last-Modified`. A GET or HEAD with `Range` gets 206 with the bytes asked for: one range
as such, several as `multipart/byteranges` (overlapping and adjacent ones merged first). A range
wholly past the end is 416 with `Content-Range: bytes */size`. `If-Range` naming another ETag
or date, a malformed or non-byte `Range`, more than MAX_RANGES ranges, an empty file and any
method but GET and HEAD get the whole file (200), as the RFC allows.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from draftsmith.errors import RangeNotSatisfiable

MAX_RANGES = 16
"""More ranges than this in one request get the whole file: many tiny ranges cost more to
answer than the file."""

Reader = Callable[[int, int], Iterator[bytes]]
"""Reads bytes `start` to `end` (exclusive) of a file."""


@dataclass(frozen=True)
class Representation:
    """A file as a ranged response serves it."""

    size: int
    digest: str
    """Hex digest naming the bytes, the strong ETag: their SHA-256, or for a file kept in
    chunks the SHA-256 of its chunks' (draftsmith.chunks.digest)."""
    media_type: str
    read: Reader
    modified_us: int | None = None
    """When the bytes were made (microseconds since the epoch), for Last-Modified."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Sent with every answer: Content-Disposition, Cache-Control."""

    @property
    def etag(self) -> str:
        return f'"{self.digest}"'

    @property
    def last_modified(self) -> str | None:
        if self.modified_us is None:
            return None
        moment = datetime.fromtimestamp(self.modified_us // 1_000_000, UTC)
        return format_datetime(moment, usegmt=True)


def parse_ranges(header: str, size: int) -> list[tuple[int, int]] | None:
    """The sorted, merged [start, end) spans a `Range` header asks for within `size` bytes.

    None when the header is to be ignored (not bytes, malformed, too many ranges, empty file);
    RangeNotSatisfiable when it is well formed but no range overlaps the file.
    """
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes" or size == 0:
        return None
    parts = [part.strip() for part in specs.split(",")]
    if not parts or len(parts) > MAX_RANGES:
        return None
    spans: list[tuple[int, int]] = []
    for part in parts:
        first, dash, last = part.partition("-")
        first, last = first.strip(), last.strip()
        if not dash or not (first.isdigit() or first == "") or not (last.isdigit() or last == ""):
            return None
        if first == "":
            if last == "":
                return None
            suffix = int(last)
            if suffix > 0:
                spans.append((max(0, size - suffix), size))
            continue
        start = int(first)
        if last != "" and int(last) < start:
            return None
        end = size if last == "" else min(int(last) + 1, size)
        if start < size:
            spans.append((start, end))
    if not spans:
        raise RangeNotSatisfiable(size)
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    return merged


def _if_range_holds(value: str, file: Representation) -> bool:
    """Whether `If-Range` names this very file: its strong ETag, or exactly its date."""
    value = value.strip()
    if value.startswith(('"', "W/")):
        return value == file.etag
    if file.modified_us is None:
        return False
    try:
        asked = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return False
    if asked.tzinfo is None:
        return False
    return int(asked.timestamp()) == file.modified_us // 1_000_000


def _multipart(
    file: Representation, spans: list[tuple[int, int]]
) -> tuple[int, Iterator[bytes], str]:
    boundary = secrets.token_hex(16)
    heads = [
        (
            f"--{boundary}\r\nContent-Type: {file.media_type}\r\n"
            f"Content-Range: bytes {start}-{end - 1}/{file.size}\r\n\r\n"
        ).encode()
        for start, end in spans
    ]
    tail = f"--{boundary}--\r\n".encode()
    length = len(tail) + sum(
        len(head) + end - start + 2 for head, (start, end) in zip(heads, spans, strict=True)
    )

    def body() -> Iterator[bytes]:
        for head, (start, end) in zip(heads, spans, strict=True):
            yield head
            yield from file.read(start, end)
            yield b"\r\n"
        yield tail

    return length, body(), f"multipart/byteranges; boundary={boundary}"


def ranged_response(request: Request, file: Representation) -> Response:
    """`file` answered as `request` asks: whole, one range, several, or only its headers."""
    method = request.method.upper()
    headers = {**file.headers, "ETag": file.etag}
    if file.last_modified is not None:
        headers["Last-Modified"] = file.last_modified
    spans = None
    if method in ("GET", "HEAD"):
        headers["Accept-Ranges"] = "bytes"
        asked = request.headers.get("range")
        if_range = request.headers.get("if-range")
        if asked is not None and (if_range is None or _if_range_holds(if_range, file)):
            spans = parse_ranges(asked, file.size)
    status, media_type = 200, file.media_type
    if spans is None:
        length, body = file.size, _whole(file)
    elif len(spans) == 1:
        status = 206
        start, end = spans[0]
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{file.size}"
        length, body = end - start, _lazy(file.read, start, end)
    else:
        status = 206
        length, body, media_type = _multipart(file, spans)
    headers["Content-Length"] = str(length)
    if method == "HEAD":
        return Response(b"", status_code=status, media_type=media_type, headers=headers)
    return StreamingResponse(body, status_code=status, media_type=media_type, headers=headers)


def _whole(file: Representation) -> Iterator[bytes]:
    return _lazy(file.read, 0, file.size)


def _lazy(read: Reader, start: int, end: int) -> Iterator[bytes]:
    # The read starts when the body is sent, not when the response is made.
    yield from read(start, end)
