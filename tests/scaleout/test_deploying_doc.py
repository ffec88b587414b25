"""docs/deploying.md names every setting a scale-out deployment needs, spelled as it is read."""

from __future__ import annotations

import re
from pathlib import Path

from draftsmith.cli import main
from draftsmith.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "deploying.md"
SCALE_OUT_FIELDS = {"database_url", "public_url", "data_dir", "signing_secret"}


def test_every_scale_out_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    fields = {name for name in Settings.model_fields if name.startswith("s3_")}
    assert len(fields) >= 6
    missing = [
        f"DRAFTSMITH_{name.upper()}"
        for name in sorted(fields | SCALE_OUT_FIELDS)
        if f"`DRAFTSMITH_{name.upper()}`" not in text
    ]
    assert missing == []


def test_the_commands_it_shows_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    shown = set(re.findall(r"(?:^|`)draftsmith ([a-z]+)", text, re.MULTILINE))
    assert {"migrate", "serve", "keys"} <= shown
    assert shown <= set(main.commands), shown - set(main.commands)
