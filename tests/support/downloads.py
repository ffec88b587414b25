"""What the server hands out, read back: the draft id of a draft_url, and download_draft zips,
with the sandbox check every extraction makes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


def draft_id_of(draft_url: str) -> str:
    """The draft_id query parameter of a draft_url."""
    return parse_qs(urlsplit(draft_url).query)["draft_id"][0]


def unzip_draft(archive: bytes, root: Path) -> list[str]:
    """Extract a download_draft zip under `root`; returns the member names.

    Fails the test when a member would land outside `root`.
    """
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        names = bundle.namelist()
        for name in names:
            assert not name.startswith("/") and ".." not in name.split("/"), name
        bundle.extractall(root)
    return names
