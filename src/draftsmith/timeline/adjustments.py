"""What an edit did differently from what its request asked, so that nothing changes silently.

capcut-mate takes requests that do not quite fit the editor (a segment longer than its media, a
name nobody knows, a float where a whole number is meant, a field left out) and adjusts them.
draftsmith does the same by default and reports each adjustment: the edit's answer lists them
and the segments they touched keep them. In strict mode each one is refused instead, with the
error such a request got before adjustments were made.
"""

from __future__ import annotations

from dataclasses import dataclass

from draftsmith.errors import DraftsmithError, InvalidInput

CLAMPED_TO_MEDIA = "clamped_to_media"
"""The segment asked for more of its media than the file holds; it was shortened to fit."""
UNKNOWN_NAME_SKIPPED = "unknown_name_skipped"
"""A transition, animation, mask, font or text effect name the catalogue does not know; the
item was added without it."""
NUMBER_ROUNDED = "number_rounded"
"""A whole number (microseconds, pixels, a size) came with a fraction; it was rounded."""
NUMBER_FROM_STRING = "number_from_string"
"""A number came as a string of decimals ("640"); the number it holds was used."""
DEFAULT_APPLIED = "default_applied"
"""A field the editor needs was left out; capcut-mate's default was used."""
LEFT_OUT = "left_out"
"""Part of the request cannot be combined with the rest in the editor; it was left out."""
TEMPLATE_TARGET_NOT_FOUND = "template_target_not_found"
"""fill_template: a segment id, material id, placeholder or media name that nothing in the
template matches; nothing was replaced for it."""

SAVED_BEFORE_RENDER = "saved_before_render"
"""gen_video of a draft with unsaved changes (or never saved): it was saved first, as a new
version, and that version is rendered."""

CODES = (
    CLAMPED_TO_MEDIA,
    UNKNOWN_NAME_SKIPPED,
    NUMBER_ROUNDED,
    NUMBER_FROM_STRING,
    DEFAULT_APPLIED,
    LEFT_OUT,
    SAVED_BEFORE_RENDER,
    TEMPLATE_TARGET_NOT_FOUND,
)


@dataclass(frozen=True)
class Adjustment:
    """One adjustment: the request field it concerns (`video_infos[0].end`), a stable `code`
    from CODES and a sentence saying what was asked and what was done."""

    field: str
    code: str
    message: str


def within(field: str, prefix: str) -> bool:
    """Whether the request field `field` is `prefix` or one of its parts."""
    return field == prefix or field.startswith((f"{prefix}.", f"{prefix}["))


class Adjustments:
    """The adjustments made while one request is applied, in the order they were made.

    Made per request; `strict` turns each `note` into the error the request would otherwise
    have been refused with.
    """

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self._items: list[Adjustment] = []

    def note(
        self, field: str, code: str, message: str, refusal: DraftsmithError | None = None
    ) -> None:
        """Record an adjustment; in strict mode raise `refusal` (default: InvalidInput with
        `message`) instead."""
        if self.strict:
            raise refusal if refusal is not None else InvalidInput(message)
        adjustment = Adjustment(field, code, message)
        if adjustment not in self._items:
            self._items.append(adjustment)

    @property
    def items(self) -> tuple[Adjustment, ...]:
        return tuple(self._items)

    def under(self, prefix: str) -> tuple[Adjustment, ...]:
        """The adjustments of the request item `prefix` names (`video_infos[0]`) and of its
        fields; all of them for ""."""
        return tuple(a for a in self._items if not prefix or within(a.field, prefix))

    def __len__(self) -> int:
        return len(self._items)
