"""Resolving a request's in/out/loop animation names into a segment's `Animations`.

Timing follows pyJianYingDraft's `add_animation`: an intro starts with the segment, an outro
ends with it, each lasting its given duration or the catalogue's default (at most the
segment). On images the loop animation is the editor's group animation, which lasts its given
duration or the whole segment and which the editor (and pyJianYingDraft) cannot combine with an
intro or outro: capcut-mate's own imgs_infos helper asks for all three, so rather than refuse
such an item the intro and outro are kept and the group animation is left out (`left_out`). On
captions the loop fills the time between intro and outro. A name the catalogue does not know is
skipped (`unknown_name_skipped`), as capcut-mate skips it.
"""

from __future__ import annotations

from collections.abc import Callable

from draftsmith.catalogue import Entry, Kind
from draftsmith.catalogue.names import lookup_or_skip
from draftsmith.errors import InvalidInput
from draftsmith.service.requests import AnimationRequest
from draftsmith.timeline.adjustments import LEFT_OUT, Adjustments
from draftsmith.timeline.model import Animation, Animations

DEFAULT_ANIMATION_US = 500_000
"""Used when neither the request nor the catalogue gives a duration."""

_KINDS = {
    True: (Kind.VIDEO_INTRO, Kind.VIDEO_OUTRO, Kind.VIDEO_GROUP, "group"),
    False: (Kind.TEXT_INTRO, Kind.TEXT_OUTRO, Kind.TEXT_LOOP, "loop"),
}


def resolve_animations(
    field: str,
    request: AnimationRequest | None,
    segment_duration: int,
    *,
    video: bool,
    new_id: Callable[[], str],
    notes: Adjustments,
) -> Animations | None:
    """The animations `request` names for a segment lasting `segment_duration`, or None;
    what is skipped or left out is noted in `notes`."""
    if request is None:
        return None
    intro_kind, outro_kind, loop_kind, loop_type = _KINDS[video]
    items: list[Animation] = []

    def entry_of(kind: Kind, name: str | None, label: str) -> Entry | None:
        if name is None or not name.strip():
            return None
        return lookup_or_skip(kind, name, field=f"{field}.{label}_animation", notes=notes)

    def length(entry: Entry, given: int | None) -> int:
        wanted = given if given is not None else entry.duration_us or DEFAULT_ANIMATION_US
        return min(wanted, segment_duration)

    def item(entry: Entry, type_: str, start: int, duration: int) -> Animation:
        return Animation(type_, entry.name, entry.effect_id, entry.resource_id, start, duration)

    intro_entry = entry_of(intro_kind, request.in_animation, "in")
    outro_entry = entry_of(outro_kind, request.out_animation, "out")
    loop_entry = entry_of(loop_kind, request.loop_animation, "loop")
    intro = outro = 0
    if intro_entry is not None:
        intro = length(intro_entry, request.in_animation_duration)
        items.append(item(intro_entry, "in", 0, intro))
    if outro_entry is not None:
        outro = length(outro_entry, request.out_animation_duration)
        items.append(item(outro_entry, "out", segment_duration - outro, outro))
    if loop_entry is not None:
        if video:
            if items:
                notes.note(
                    f"{field}.loop_animation",
                    LEFT_OUT,
                    f"{field}.loop_animation: the editor cannot combine a loop (group) animation "
                    f"with in and out animations; {loop_entry.name} was left out",
                )
                return Animations(id=new_id(), video=video, items=tuple(items))
            duration = min(request.loop_animation_duration or segment_duration, segment_duration)
            items.append(item(loop_entry, loop_type, 0, duration))
        else:
            duration = segment_duration - intro - outro
            if duration <= 0:
                raise InvalidInput(
                    f"{field}.loop_animation: in_animation and out_animation leave no time "
                    "for the loop; shorten them or lengthen the caption"
                )
            items.append(item(loop_entry, loop_type, intro, duration))
    if not items:
        return None
    return Animations(id=new_id(), video=video, items=tuple(items))
