"""Fonts by name, as add_captions takes them (`font`, `keyword_font`): a catalogue font name
or enum member, or one of the aliases capcut-mate's docs list."""

from __future__ import annotations

from draftsmith.catalogue.data import Kind
from draftsmith.catalogue.names import find, lookup
from draftsmith.errors import UnknownName
from draftsmith.timeline.adjustments import UNKNOWN_NAME_SKIPPED, Adjustments
from draftsmith.timeline.model import Font

ALIASES = {
    "志向黑": "励字志向黑简 特粗",
    "励字志向黑": "励字志向黑简 特粗",
    "励字志向黑简": "励字志向黑简 特粗",
}
"""capcut-mate's font aliases (add_captions docs, "Font aliases")."""


def font(name: str, *, field: str) -> Font:
    """The font `name` names; UnknownName (a 400 naming `field`, with close matches) if none."""
    alias = ALIASES.get(name.strip())
    entry = find(Kind.FONT, alias) if alias else None
    if entry is None:
        entry = lookup(Kind.FONT, name, field=field)
    return Font(entry.name, entry.resource_id)


def font_or_fallback(
    name: str, *, field: str, notes: Adjustments, fallback: Font | None = None
) -> Font | None:
    """The font `name` names; for an unknown name `fallback` (None: the editor's default
    font), as capcut-mate does, noted as skipped (strict `notes` raise UnknownName)."""
    try:
        return font(name, field=field)
    except UnknownName as exc:
        instead = (
            "the editor's default font is used"
            if fallback is None
            else f'the caption\'s font "{fallback.name}" is used'
        )
        notes.note(field, UNKNOWN_NAME_SKIPPED, f"{exc.detail}; {instead}", refusal=exc)
        return fallback
