"""A draft folder as a zip, read within bounds: no entry outside the folder, no links, no
more files or unpacked bytes than a draft holds, no entry packed tighter than real media."""

from __future__ import annotations

import io
import posixpath
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from draftsmith.capcut.profiles import CONTENT_FILE, INFO_FILE
from draftsmith.errors import ArchiveRejected, ArchiveTooLarge, NotADraft

_SYMLINK = 0o120000
_FILE_TYPE = 0o170000
_DRIVE = re.compile(r"^[A-Za-z]:")
_IGNORED_PREFIXES = ("__MACOSX/",)


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = 2000
    """Files and folders in the zip; a draft folder holds its JSON files and its media."""
    max_unpacked_bytes: int = 4 * 1024**3
    max_ratio: int = 200
    """Largest unpacked/packed size of one entry; media barely compress, JSON ~10-30x."""
    ratio_floor: int = 1024 * 1024
    """Entries smaller than this unpacked are not held to `max_ratio`."""
    max_json_bytes: int = 64 * 1024 * 1024
    """Largest JSON file read into memory."""


def _checked_name(name: str) -> str:
    shown = name if len(name) <= 200 else name[:200] + "..."
    normal = name.replace("\\", "/")
    if normal.startswith("/") or _DRIVE.match(normal):
        raise ArchiveRejected(f"the archive has an entry with an absolute path: {shown!r}")
    if any(part == ".." for part in normal.split("/")):
        raise ArchiveRejected(f"the archive has an entry outside its folder: {shown!r}")
    return normal


class DraftArchive:
    """The entries of one draft folder in a zip, by path relative to the folder."""

    def __init__(self, source: Path | bytes | IO[bytes], limits: ArchiveLimits) -> None:
        self.limits = limits
        try:
            opened = io.BytesIO(source) if isinstance(source, bytes) else source
            self._zip = zipfile.ZipFile(opened)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
            raise ArchiveRejected(f"the upload is not a readable zip archive: {exc}") from exc
        if len(infos) > limits.max_entries:
            raise ArchiveTooLarge(
                f"the archive has {len(infos)} entries; imports take at most "
                f"{limits.max_entries} (a draft folder holds its JSON files and media)"
            )
        files: dict[str, zipfile.ZipInfo] = {}
        unpacked = 0
        for info in infos:
            name = _checked_name(info.filename)
            if (info.external_attr >> 16) & _FILE_TYPE == _SYMLINK:
                raise ArchiveRejected(f"the archive has a symbolic link: {name!r}")
            if info.is_dir() or name.startswith(_IGNORED_PREFIXES):
                continue
            if info.flag_bits & 0x1:
                raise ArchiveRejected(f"the archive's entry {name!r} is password-protected")
            unpacked += info.file_size
            if unpacked > limits.max_unpacked_bytes:
                raise ArchiveTooLarge(
                    f"the archive unpacks to more than {limits.max_unpacked_bytes} bytes"
                )
            if info.file_size >= limits.ratio_floor and (
                info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
            ):
                raise ArchiveTooLarge(
                    f"the archive's entry {name!r} unpacks {info.file_size} bytes from "
                    f"{info.compress_size}: more than {limits.max_ratio} times, which real drafts "
                    "never are (a zip bomb?)"
                )
            files[name] = info
        self._root = _root(files)
        prefix = f"{self._root}/" if self._root else ""
        self.entries: dict[str, zipfile.ZipInfo] = {
            name[len(prefix) :]: info for name, info in files.items() if name.startswith(prefix)
        }

    def close(self) -> None:
        self._zip.close()

    def size(self, path: str) -> int:
        return self.entries[path].file_size

    def read(self, path: str) -> bytes:
        """A JSON or text entry's bytes; ArchiveTooLarge past `max_json_bytes`."""
        info = self.entries[path]
        if info.file_size > self.limits.max_json_bytes:
            raise ArchiveTooLarge(
                f"{path} is {info.file_size} bytes; at most {self.limits.max_json_bytes}"
            )
        return self._read(info, info.file_size)

    def _read(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        try:
            with self._zip.open(info) as entry:
                data = entry.read(limit + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise ArchiveRejected(
                f"the archive's entry {info.filename!r} is damaged: {exc}"
            ) from exc
        if len(data) > limit:
            raise ArchiveTooLarge(f"the archive's entry {info.filename!r} is larger than it says")
        return data

    def extract(self, path: str, target: Path) -> None:
        """Write the entry at `path` to `target`, no more bytes than its header declares."""
        info = self.entries[path]
        try:
            with self._zip.open(info) as entry, target.open("wb") as out:
                shutil.copyfileobj(_Bounded(entry, info.file_size, path), out, 256 * 1024)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise ArchiveRejected(f"the archive's entry {path!r} is damaged: {exc}") from exc


class _Bounded(io.RawIOBase):
    def __init__(self, inner: IO[bytes], limit: int, path: str) -> None:
        self._inner, self._left, self._path = inner, limit, path

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._inner.read(size if size >= 0 else self._left + 1)
        self._left -= len(data)
        if self._left < 0:
            raise ArchiveTooLarge(f"the archive's entry {self._path!r} is larger than it says")
        return data


def _root(files: dict[str, zipfile.ZipInfo]) -> str:
    """The folder of the zip that is the draft: where its shallowest timeline file is."""
    roots = [
        posixpath.dirname(name)
        for name in files
        if posixpath.basename(name) in (CONTENT_FILE, INFO_FILE) and "/Timelines/" not in f"/{name}"
    ]
    if not roots:
        raise NotADraft(
            f"the archive holds no {CONTENT_FILE} or {INFO_FILE}: it is not a draft folder"
        )
    return min(roots, key=lambda r: (r.count("/") if r else -1, r))
