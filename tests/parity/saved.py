"""A draft saved and read back the way the parity tests check it: its folder downloaded file by
file, its timeline parsed, the validator and the references clean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from draft_oracle import unresolved_refs
from support.api import Api
from support.downloads import draft_id_of


def saved_folder(api: Api, draft_url: str, root: Path) -> tuple[Path, dict[str, Any]]:
    """Save the draft, download its folder and return it with its parsed timeline, after
    checking that the validator finds no errors and every ref resolves."""
    api.save(draft_url)
    folder = api.download_folder(draft_id_of(draft_url), root)
    content = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    report = api.ok("validate_draft", {"draft_url": draft_url})
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert errors == [], errors
    assert unresolved_refs(folder) == {}
    return folder, content
