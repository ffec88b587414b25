"""Draft folders as the validator sees them: from a directory, a zip, or a saved version.

Each front reads only the folder's JSON and .tmp files into memory; media is only ever asked
about ("is it there?"), never read.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from draftsmith.capcut.locations import escapes, is_absolute
from draftsmith.capcut.meta_checks import FolderFacts
from draftsmith.capcut.validate import DraftFiles
from draftsmith.errors import InvalidInput
from draftsmith.store.records import FileEntry, VersionRecord

_DOCUMENT_SUFFIXES = (".json", ".tmp")
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
"""Larger "JSON" entries are refused rather than read into memory (zip bombs)."""


class UnreadableDraft(InvalidInput):
    """The path given is not a draft folder or zip that can be read."""

    code = "unreadable_draft"
    default_detail = "Not a readable draft folder or zip"


def _is_document(relative: str) -> bool:
    return relative.endswith(_DOCUMENT_SUFFIXES)


def _host_file_exists(path: str) -> bool:
    # A Windows path is simply absent on other systems, which is the right answer here.
    return os.path.isfile(path)


def folder_files(folder: Path, *, location: Path | None = None) -> DraftFiles:
    """The draft folder at `folder`.

    `location` is where the folder is meant to live when that differs from where it is now
    (a staged install): absolute paths under it are looked up in `folder`.
    """
    if not folder.is_dir():
        raise UnreadableDraft(f"{folder} is not a directory")
    place = location or folder.resolve()
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and _is_document(relative):
            files[relative] = path.read_bytes()

    def exists(path: str) -> bool:
        if not is_absolute(path):
            return not escapes(path) and (folder / path).is_file()
        written = Path(path)
        if written.is_relative_to(place):
            return (folder / written.relative_to(place)).is_file()
        return _host_file_exists(path)

    return DraftFiles(files, exists, FolderFacts(place.name, place.as_posix()))


def zip_top_folder(names: list[str]) -> str | None:
    """The one top-level folder every entry of a draft zip sits in (`<draft_id>/...`), if any."""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        return tops.pop()
    return None


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise UnreadableDraft(f"{path} is not a readable zip: {exc}") from exc


def _members(archive: zipfile.ZipFile) -> tuple[list[tuple[zipfile.ZipInfo, str]], str | None]:
    """(entry, folder-relative path) of every file entry, and the zip's top folder if any."""
    members = []
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if info.is_dir():
            continue
        if is_absolute(name) or ".." in parts or not parts:
            raise UnreadableDraft(f"zip entry {info.filename!r} points outside the draft folder")
        members.append((info, "/".join(parts)))
    top = zip_top_folder([name for _, name in members])
    if top is not None:
        members = [(info, name.split("/", 1)[1]) for info, name in members]
    return members, top


def zip_files(path: Path) -> DraftFiles:
    """The draft folder inside the zip at `path` (entries `<folder>/<path>` or bare paths)."""
    with _open_zip(path) as archive:
        members, top = _members(archive)
        files = {}
        for info, relative in members:
            if _is_document(relative):
                if info.file_size > MAX_DOCUMENT_BYTES:
                    raise UnreadableDraft(f"zip entry {info.filename!r} is too large to check")
                files[relative] = archive.read(info)
    names = {relative for _, relative in members}

    def exists(path: str) -> bool:
        return path in names if not is_absolute(path) else _host_file_exists(path)

    return DraftFiles(files, exists, FolderFacts(folder_name=top))


def extract_zip(path: Path, target: Path) -> str | None:
    """Unpack the draft zip at `path` into the empty directory `target`; returns the zip's
    top-level folder name, whose contents become `target`'s."""
    with _open_zip(path) as archive:
        members, top = _members(archive)
        for info, relative in members:
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, destination.open("wb") as sink:
                while chunk := source.read(1024 * 1024):
                    sink.write(chunk)
    return top


def path_files(path: Path) -> DraftFiles:
    """A draft folder or draft zip on disk."""
    if path.is_dir():
        return folder_files(path)
    if path.is_file() and zipfile.is_zipfile(path):
        return zip_files(path)
    raise UnreadableDraft(f"{path} is neither a draft folder nor a zip")


def version_files(
    record: VersionRecord, read: Callable[[VersionRecord, FileEntry], Iterator[bytes]]
) -> DraftFiles:
    """A saved version of one of our drafts, as the store holds it; `read` gives a file's
    bytes (`Drafts.file_chunks`).

    Absolute paths count as missing: a saved draft must carry its media with it.
    """
    files = {
        entry.path: b"".join(read(record, entry))
        for entry in record.files
        if _is_document(entry.path)
    }
    names = {entry.path for entry in record.files}

    def exists(path: str) -> bool:
        return path in names

    return DraftFiles(files, exists, FolderFacts(draft_id=record.draft_id))
