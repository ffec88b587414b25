"""import_draft and relink_media on the client side: the answers, and a local draft folder
zipped for upload."""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from draftsmith.client._fields import Fields
from draftsmith.client._models import ServerWarning, warnings_of
from draftsmith.errors import InvalidInput

MAX_FOLDER_FILES = 2000
"""What the server takes (draftsmith.importing.archive.ArchiveLimits.max_entries)."""


@dataclass(frozen=True)
class ImportedDraft:
    """The new draft import_draft made of a draft folder."""

    draft_url: str
    draft_id: str
    profile: str
    source: str
    """The folder's file its timeline was read from."""
    track_count: int
    segment_count: int
    missing_media: tuple[str, ...]
    """Paths of media the draft names but did not bring; `relink_media` attaches them."""
    warnings: tuple[ServerWarning, ...] = ()

    @classmethod
    def read(cls, f: Fields) -> ImportedDraft:
        return cls(
            draft_url=f.text("draft_url"),
            draft_id=f.text("draft_id"),
            profile=f.text("profile"),
            source=f.text("source"),
            track_count=f.integer("track_count"),
            segment_count=f.integer("segment_count"),
            missing_media=f.texts("missing_media"),
            warnings=warnings_of(f),
        )


@dataclass(frozen=True)
class RelinkedMedia:
    draft_url: str
    segment_ids: tuple[str, ...]
    current_version: int
    warnings: tuple[ServerWarning, ...] = ()

    @classmethod
    def read(cls, f: Fields) -> RelinkedMedia:
        return cls(
            draft_url=f.text("draft_url"),
            segment_ids=f.texts("segment_ids"),
            current_version=f.integer("current_version"),
            warnings=warnings_of(f),
        )


def zip_folder(folder: Path) -> bytes:
    """The draft folder at `folder` as a zip, its files under the folder's name; symbolic
    links are left out (the server refuses them)."""
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder")
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for root, dirs, files in os.walk(folder, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not (Path(root) / d).is_symlink())
            for name in sorted(files):
                path = Path(root) / name
                if path.is_symlink() or not path.is_file():
                    continue
                count += 1
                if count > MAX_FOLDER_FILES:
                    raise InvalidInput(
                        f"{folder} holds more than {MAX_FOLDER_FILES} files; a draft folder "
                        "holds its JSON files and media"
                    )
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def archive_bytes(source: str | Path | bytes) -> bytes:
    """The zip to upload for `source`: zip bytes, a .zip file, or a draft folder."""
    if isinstance(source, bytes):
        return source
    path = Path(source)
    if path.is_dir():
        return zip_folder(path)
    if not path.is_file():
        raise InvalidInput(f"{path} is neither a draft folder nor a zip file")
    return path.read_bytes()
