"""docs/rendering.md names every rendering setting as it is read, and only commands that exist."""

from __future__ import annotations

import re
from pathlib import Path

from draftsmith.cli import main
from draftsmith.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "rendering.md"


def test_every_render_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    fields = {name for name in Settings.model_fields if name.startswith("render_")}
    assert len(fields) >= 4
    missing = [
        f"DRAFTSMITH_{name.upper()}"
        for name in sorted(fields | {"max_renders_per_key"})
        if f"`DRAFTSMITH_{name.upper()}`" not in text
    ]
    assert missing == []


def test_the_commands_it_shows_exist() -> None:
    # At the start of a (continued) line, in backticks, or after the environment a shell line sets.
    command = r"(?:^\s*|`|[A-Z_]+=\S+ )draftsmith ([a-z-]+)"
    shown = set(re.findall(command, DOC.read_text(encoding="utf-8"), re.MULTILINE))
    assert {"worker", "serve", "render", "server-render"} <= shown
    assert shown <= set(main.commands), shown - set(main.commands)
