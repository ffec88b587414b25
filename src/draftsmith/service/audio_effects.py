"""add_audios' `audio_effect`: a catalogue name of a scene sound, a voice tone or a
speech-to-song style, made into the segment's `AudioEffect` (parameters at their defaults, as
pyJianYingDraft's `AudioSegment.add_effect` makes them without values). A name the catalogue
does not know is skipped, as capcut-mate skips it."""

from __future__ import annotations

from collections.abc import Callable

from draftsmith.catalogue import Kind
from draftsmith.catalogue.names import lookup_or_skip
from draftsmith.timeline.adjustments import Adjustments
from draftsmith.timeline.model import AudioEffect, EffectParam

_CATEGORIES = {
    Kind.AUDIO_SCENE_EFFECT: "sound_effect",
    Kind.TONE_EFFECT: "tone",
    Kind.SPEECH_TO_SONG: "speech_to_song",
}


def audio_effect(
    field: str, name: str | None, new_id: Callable[[], str], notes: Adjustments
) -> AudioEffect | None:
    """The effect `name` names for the request item `field` (`audio_infos[0]`); None when no
    name is given, or, noted, for one the catalogue does not know (strict `notes` refuse)."""
    if name is None or not name.strip():
        return None
    entry = lookup_or_skip(
        Kind.AUDIO_EFFECT,
        name,
        field=f"{field}.audio_effect",
        notes=notes,
        instead="the audio was added without an effect",
    )
    if entry is None:
        return None
    params = tuple(EffectParam(p.name, p.default, p.min, p.max, p.default) for p in entry.params)
    return AudioEffect(
        id=new_id(),
        name=entry.name,
        category=_CATEGORIES[entry.kind],
        resource_id=entry.resource_id,
        params=params,
    )
