"""docs/render.md lists the tables the render draws from as the code holds them."""

from __future__ import annotations

from pathlib import Path

import pytest

from draftsmith.catalogue import Kind
from draftsmith.render.looks import EFFECT_KINDS, FILTER_FAMILIES
from draftsmith.render.movements import MOVES
from draftsmith.render.report import Feature

DOC = (Path(__file__).resolve().parents[2] / "docs" / "render.md").read_text(encoding="utf-8")


def _rows() -> dict[tuple[str, str], set[str]]:
    """(kind, movement) -> names, from the animation table of the doc."""
    rows: dict[tuple[str, str], set[str]] = {}
    for line in DOC.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1].startswith("`") and "," in cells[2] + ",":
            kind, move, names = cells
            rows.setdefault((kind, move.strip("`")), set()).update(
                n.strip() for n in names.split(",")
            )
    return rows


@pytest.mark.parametrize("kind", list(MOVES))
def test_every_named_movement_is_in_the_animation_table(kind: Kind) -> None:
    rows = _rows()
    for name, move in MOVES[kind].items():
        assert any(
            move.value == row_move and name in names for (_, row_move), names in rows.items()
        ), f"{name} ({move.value}) is missing from docs/render.md"


def test_every_filter_family_and_effect_kind_is_documented() -> None:
    for family, words, _ in FILTER_FAMILIES:
        assert f"| {family} | {', '.join(words)} |" in DOC, family
    for kind in EFFECT_KINDS:
        assert f"| {kind.name} | {', '.join(kind.words)} |" in DOC, kind.name


def test_every_report_feature_is_in_the_report_table() -> None:
    table = DOC[DOC.index("## The render report") :]
    for feature in Feature:
        assert f"`{feature.value}`" in table, feature.value
