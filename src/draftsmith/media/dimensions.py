"""Picture sizes read from file headers, before anything is decoded.

A few hundred kilobytes of PNG can hold a 16000x16000 picture that takes a gigabyte to
decode, and a header alone can claim a million pixels a side. These readers look only at the
bytes that declare the size (PNG, JPEG, GIF, WebP, BMP, TIFF), so the size can be checked
against the server's limit before any decoder runs. A file none of them recognises gets None;
FFmpeg's own pixel limit bounds what it decodes of such a file.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

# Enough for every fixed-place header below; JPEG is walked segment by segment instead.
_HEAD_BYTES = 64
# JPEG markers before the frame header (EXIF, ICC profiles, tables...): a file with more is
# not one a camera or an editor wrote.
_MAX_JPEG_SEGMENTS = 256
_MAX_JPEG_FILL = 64
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


def picture_size(path: Path) -> tuple[str, int, int] | None:
    """(format, width, height) as the header of the image at `path` declares them, or None
    when the file is not a PNG, JPEG, GIF, WebP, BMP or TIFF image with a readable header."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
        for name, reader in _READERS:
            size = reader(head)
            if size is not None:
                return (name, *size)
        if head.startswith(b"\xff\xd8\xff"):
            jpeg = _jpeg(handle)
            return None if jpeg is None else ("jpeg", *jpeg)
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            tiff = _tiff(handle, head[:2] == b"II")
            return None if tiff is None else ("tiff", *tiff)
    return None


def _png(head: bytes) -> tuple[int, int] | None:
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR" or len(head) < 24:
        return None
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def _gif(head: bytes) -> tuple[int, int] | None:
    # FFmpeg draws every frame on the logical screen, so the screen is what gets allocated.
    if head[:6] not in (b"GIF87a", b"GIF89a") or len(head) < 10:
        return None
    width, height = struct.unpack("<HH", head[6:10])
    return int(width), int(height)


def _webp(head: bytes) -> tuple[int, int] | None:
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP" or len(head) < 30:
        return None
    chunk = head[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(head[24:27], "little") + 1
        height = int.from_bytes(head[27:30], "little") + 1
        return width, height
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return int(width) & 0x3FFF, int(height) & 0x3FFF
    if chunk == b"VP8L" and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _bmp(head: bytes) -> tuple[int, int] | None:
    if head[:2] != b"BM" or len(head) < 26:
        return None
    (header_size,) = struct.unpack("<I", head[14:18])
    if header_size == 12:
        width, height = struct.unpack("<HH", head[18:22])
    else:
        width, height = struct.unpack("<ii", head[18:26])
    # A negative height means rows stored top-down.
    return abs(int(width)), abs(int(height))


_READERS: tuple[tuple[str, Callable[[bytes], tuple[int, int] | None]], ...] = (
    ("png", _png),
    ("gif", _gif),
    ("webp", _webp),
    ("bmp", _bmp),
)


def _jpeg(handle: BinaryIO) -> tuple[int, int] | None:
    """Walk the markers after SOI up to the first frame header (SOFn)."""
    handle.seek(2)
    for _ in range(_MAX_JPEG_SEGMENTS):
        prefix = handle.read(2)
        for _ in range(_MAX_JPEG_FILL):
            if prefix != b"\xff\xff":
                break
            prefix = b"\xff" + handle.read(1)  # fill bytes may stand before a marker
        if len(prefix) < 2 or prefix[0] != 0xFF or prefix[1] == 0xFF:
            return None
        marker = prefix[1]
        if marker in _JPEG_STANDALONE:
            continue
        if marker in (0xD9, 0xDA):  # end of image, or scan data before any frame header
            return None
        length_bytes = handle.read(2)
        if len(length_bytes) < 2:
            return None
        (length,) = struct.unpack(">H", length_bytes)
        if length < 2:
            return None
        if marker in _JPEG_SOF:
            frame = handle.read(5)
            if len(frame) < 5:
                return None
            height, width = struct.unpack(">HH", frame[1:5])
            return int(width), int(height)
        handle.seek(length - 2, 1)
    return None


def _tiff(handle: BinaryIO, little: bool) -> tuple[int, int] | None:
    """ImageWidth and ImageLength of the first image (IFD), the one FFmpeg decodes."""
    order = "<" if little else ">"
    handle.seek(4)
    offset_bytes = handle.read(4)
    if len(offset_bytes) < 4:
        return None
    (offset,) = struct.unpack(order + "I", offset_bytes)
    handle.seek(offset)
    count_bytes = handle.read(2)
    if len(count_bytes) < 2:
        return None
    (count,) = struct.unpack(order + "H", count_bytes)
    entries = handle.read(12 * count)
    found: dict[int, int] = {}
    for index in range(len(entries) // 12):
        tag, kind, _, value = struct.unpack(order + "HHI4s", entries[12 * index : 12 * index + 12])
        if tag in (256, 257) and kind in (3, 4):
            fmt = order + ("H" if kind == 3 else "I")
            found[tag] = int(struct.unpack_from(fmt, value)[0])
    if 256 not in found or 257 not in found:
        return None
    return found[256], found[257]
