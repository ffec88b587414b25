"""Finding entries by name: exact, then forgiving (case, spaces, underscores), else close matches.

The forgiving match is pyJianYingDraft's own `from_name` rule, so a name that works there works
here, and so does the enum member spelling (`打字机_I` for `打字机 I`).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from typing import Generic, TypeVar

from draftsmith.catalogue.data import Entry, Kind, entries
from draftsmith.errors import UnknownName
from draftsmith.timeline.adjustments import UNKNOWN_NAME_SKIPPED, Adjustments

MAX_SUGGESTIONS = 5
SUGGESTION_CUTOFF = 0.5

T = TypeVar("T")

_LABELS: dict[Kind, tuple[str, str | None]] = {
    Kind.TEXT_INTRO: ("text intro animation", "get_text_animations (type in)"),
    Kind.TEXT_OUTRO: ("text outro animation", "get_text_animations (type out)"),
    Kind.TEXT_LOOP: ("text loop animation", "get_text_animations (type loop)"),
    Kind.VIDEO_INTRO: ("intro animation", "get_image_animations (type in)"),
    Kind.VIDEO_OUTRO: ("outro animation", "get_image_animations (type out)"),
    Kind.VIDEO_GROUP: ("loop (group) animation", "get_image_animations (type loop)"),
    Kind.SCENE_EFFECT: ("scene effect", "get_effects"),
    Kind.CHARACTER_EFFECT: ("character effect", "get_effects"),
    Kind.EFFECT: ("effect", "get_effects"),
    Kind.FILTER: ("filter", "get_filters"),
    Kind.TRANSITION: ("transition", "list_catalogue (kind transition)"),
    Kind.FONT: ("font", "list_catalogue (kind font)"),
    Kind.MASK: ("mask", "list_catalogue (kind mask)"),
    Kind.MIX_MODE: ("blend mode", "list_catalogue (kind mix_mode)"),
    Kind.AUDIO_SCENE_EFFECT: ("audio scene effect", "list_catalogue (kind audio_scene_effect)"),
    Kind.TONE_EFFECT: ("voice tone", "list_catalogue (kind tone_effect)"),
    Kind.SPEECH_TO_SONG: ("speech-to-song style", "list_catalogue (kind speech_to_song)"),
    Kind.AUDIO_EFFECT: ("audio effect", "list_catalogue (kind audio_effect)"),
}


def normalize(name: str) -> str:
    """pyJianYingDraft's rule: names match ignoring case, spaces and underscores."""
    return name.lower().replace(" ", "").replace("_", "")


class NameIndex(Generic[T]):
    """Values by name: exact first, then forgiving (`normalize`), else close matches to suggest.
    The first value added under a name or form wins."""

    def __init__(self) -> None:
        self._exact: dict[str, T] = {}
        self._loose: dict[str, T] = {}
        self._display: dict[str, str] = {}
        """Normalized name -> the first display name with that form, for suggestions."""

    def add(self, name: str, value: T, aliases: Iterable[str] = ()) -> None:
        """Know `value` as `name` (also suggested) and, forgivingly only, as `aliases`."""
        self._exact.setdefault(name.strip(), value)
        self._display.setdefault(normalize(name), name)
        for key in (name, *aliases):
            self._loose.setdefault(normalize(key), value)

    def find(self, name: str) -> T | None:
        text = name.strip()
        return self._exact.get(text) or self._loose.get(normalize(text))

    def suggestions(self, name: str, limit: int = MAX_SUGGESTIONS) -> tuple[str, ...]:
        """Known names closest to `name`, best first (difflib's ratio, on the forgiving form)."""
        close = difflib.get_close_matches(
            normalize(name.strip()), list(self._display), n=limit, cutoff=SUGGESTION_CUTOFF
        )
        return tuple(self._display[key] for key in close)


@functools.cache
def _index(kind: Kind) -> NameIndex[Entry]:
    index: NameIndex[Entry] = NameIndex()
    items = entries(kind)
    shapes = [e.resource_type for e in items if e.resource_type]
    for entry in items:
        aliases = [entry.member]
        # Masks are also known by their shape ("circle"), where the shape names one mask.
        if entry.resource_type and shapes.count(entry.resource_type) == 1:
            aliases.append(entry.resource_type)
        index.add(entry.name, entry, aliases)
    return index


def find(kind: Kind, name: str) -> Entry | None:
    """The entry `name` names, or None."""
    return _index(kind).find(name)


def suggestions(kind: Kind, name: str, limit: int = MAX_SUGGESTIONS) -> tuple[str, ...]:
    """Known names closest to `name`, best first (difflib's ratio, on the forgiving form)."""
    return _index(kind).suggestions(name, limit)


def lookup(kind: Kind, name: str, *, field: str) -> Entry:
    """The entry `name` names; UnknownName (a 400 naming `field`) with close matches if none.

    For the editing verbs: `lookup(Kind.EFFECT, info.effect_title, field="effect_infos[0]...")`.
    """
    entry = find(kind, name)
    if entry is not None:
        return entry
    label, listing = _LABELS[kind]
    close = suggestions(kind, name)
    detail = f'{field}: unknown {label} "{name}"'
    if close:
        detail += "; close matches: " + ", ".join(f'"{c}"' for c in close)
    if listing:
        detail += f"; {listing} lists them all"
    raise UnknownName(detail, close)


def lookup_or_skip(
    kind: Kind,
    name: str,
    *,
    field: str,
    notes: Adjustments,
    instead: str = "the item was added without it",
) -> Entry | None:
    """`lookup`, except that an unknown name is noted as skipped (what `instead` says happens)
    and gives None; strict `notes` raise `lookup`'s UnknownName."""
    try:
        return lookup(kind, name, field=field)
    except UnknownName as exc:
        notes.note(field, UNKNOWN_NAME_SKIPPED, f"{exc.detail}; {instead}", refusal=exc)
        return None


def search(kind: Kind, keyword: str | None) -> tuple[Entry, ...]:
    """Entries of `kind` whose name contains `keyword` (forgiving form); all of them if None."""
    items = entries(kind)
    if not keyword:
        return items
    wanted = normalize(keyword)
    return tuple(e for e in items if wanted in normalize(e.name))
