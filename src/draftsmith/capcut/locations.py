"""Where a media path written in a draft points: inside the draft folder, or elsewhere.

Editors write absolute paths; the editor's own placeholder
(`##_draftpath_placeholder_<GUID>_##/assets/...`) stands for "this draft's folder" and
survives moving the folder. Paths are read the way they were written, with either slash, so
that a Windows path can be judged on any machine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"##_draftpath_placeholder_[0-9A-Za-z-]+_##(?=[/\\]|$)")
_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:[/\\]")


@dataclass(frozen=True)
class Location:
    """A non-empty path from a draft, classified.

    Exactly one of `relative` (folder-relative, "/"-separated) and `absolute` (as written)
    is set.
    """

    written: str
    relative: str | None
    absolute: str | None

    @property
    def key(self) -> str:
        """A comparable form: the same file written the same way gives the same key."""
        if self.relative is not None:
            return f"folder:{self.relative}"
        return "absolute:" + (self.absolute or "").replace("\\", "/")


def is_absolute(path: str) -> bool:
    return path.startswith(("/", "\\")) or bool(_WINDOWS_DRIVE.match(path))


def _clean_relative(path: str) -> str:
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts)


def locate(path: str) -> Location | None:
    """Classify `path`; None for an empty path."""
    if not path.strip():
        return None
    placeholder = _PLACEHOLDER.match(path)
    if placeholder:
        return Location(path, _clean_relative(path[placeholder.end() :]), None)
    if is_absolute(path):
        return Location(path, None, path)
    return Location(path, _clean_relative(path), None)


def escapes(relative: str) -> bool:
    """True when a folder-relative path climbs out of the folder."""
    return ".." in relative.split("/")


def tails(path: str) -> list[str]:
    """The "/"-joined endings of `path`, longest first, without a drive or root.

    `/srv/out/draft/123/assets/videos/a.mp4` -> `srv/out/.../a.mp4`, ..., `videos/a.mp4`,
    `a.mp4`: a foreign absolute path may still name a file the folder holds at one of them.
    """
    parts = [p for p in path.replace("\\", "/").split("/") if p and p != "."]
    if parts and parts[0].endswith(":"):
        parts = parts[1:]
    if ".." in parts:
        return []
    return ["/".join(parts[i:]) for i in range(len(parts))]
