"""Files the client writes: downloads land whole or not at all, zips unpack safely."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from draftsmith.client._fields import UnexpectedResponse
from draftsmith.client._models import Download


def part_path(target: Path) -> Path:
    """Where a download of `target` is written until it is complete."""
    return target.with_name(f".{target.name}.part")


@contextmanager
def open_sink(target: Path) -> Iterator[IO[bytes]]:
    """Write a download next to `target` and move it into place only once it is complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = part_path(target)
    try:
        with part.open("wb") as handle:
            yield handle
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def zip_sink(dest: Path, extract: bool) -> Path:
    """The file a draft zip is streamed to: `dest` itself, or a scratch file beside the folder."""
    return dest.with_name(f".{dest.name}.download.zip") if extract else dest


def _safe_members(archive: zipfile.ZipFile) -> list[str]:
    names = archive.namelist()
    for name in names:
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\\" in name:
            raise UnexpectedResponse(f"Unexpected response from the server: zip entry {name!r}")
    return names


def read_download(sink: Path, dest: Path, extract: bool) -> Download:
    """Check the downloaded zip and, if asked, unpack it into the folder `dest`.

    Entries are `<draft_id>/<relative path>`, so unpacking gives `dest/<draft_id>/...`, the
    folder CapCut/Jianying opens; `Download.path` points at it.
    """
    try:
        with zipfile.ZipFile(sink) as archive:
            names = _safe_members(archive)
            if not extract:
                return Download(dest, dest.stat().st_size, tuple(names))
            dest.mkdir(parents=True, exist_ok=True)
            archive.extractall(dest)
    except zipfile.BadZipFile as exc:
        raise UnexpectedResponse(
            "Unexpected response from the server: the download is not a zip file"
        ) from exc
    finally:
        if extract:
            sink.unlink(missing_ok=True)
    tops = {PurePosixPath(name).parts[0] for name in names if name.strip("/")}
    folder = dest / tops.pop() if len(tops) == 1 else dest
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return Download(folder, size, tuple(names))
