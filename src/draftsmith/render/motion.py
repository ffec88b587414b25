"""What changes a visual segment over its time: in/out animations and opacity keyframes (pure).

Filters here act on a picture whose frames carry their timeline times and an alpha plane; the
picture is then laid over what is below it.

- In and out animations are drawn as fades of the segment's opacity over the animation's own
  span (the editor's intros and outros slide, spin or zoom; a fade is the part of each that
  ffmpeg can draw for any name). Group and loop animations are not drawn.
- Opacity keyframes (`KFTypeAlpha`, `KFTypeGlobalAlpha`) replace the clip's static opacity: the
  value is held before the first key and after the last one and goes linearly between keys,
  as the editor's default "Line" curve does. Per-frame opacity needs a per-pixel expression
  (geq), so it costs more than the rest of the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from draftsmith.render.graph import number, seconds
from draftsmith.timeline.model import Animations, Keyframe, KeyframeList, Timerange

ALPHA_KEYFRAMES = ("KFTypeAlpha", "KFTypeGlobalAlpha")


def alpha_keys(keyframes: Sequence[KeyframeList]) -> tuple[Keyframe, ...]:
    """The opacity keyframes of a segment, in time order (empty when it has none)."""
    for keyframe_list in keyframes:
        if keyframe_list.property in ALPHA_KEYFRAMES and keyframe_list.keyframes:
            return tuple(sorted(keyframe_list.keyframes, key=lambda k: k.time_offset))
    return ()


def fade_spans(animations: Animations | None) -> list[tuple[str, Timerange]]:
    """("in" or "out", span relative to the segment's start) of each drawn animation."""
    if animations is None:
        return []
    return [
        (item.type, Timerange(item.start, item.duration))
        for item in animations.items
        if item.type in ("in", "out") and item.duration > 0
    ]


def fades(animations: Animations | None, target: Timerange, *, alpha: bool) -> list[str]:
    """ffmpeg fade filters for the in/out animations: of the alpha plane, or to black."""
    filters = []
    for kind, span in fade_spans(animations):
        start = seconds(target.start + span.start)
        plane = ":alpha=1" if alpha else ""
        filters.append(f"fade=t={kind}:st={start}:d={seconds(span.duration)}{plane}")
    return filters


def _unit(value: float) -> str:
    return number(min(1.0, max(0.0, value)))


def _ramp(keys: Sequence[Keyframe], start_us: int) -> str:
    """The keyed value as an expression of T (seconds on the timeline)."""
    value = _unit(keys[-1].value)
    for before, after in reversed(list(pairwise(keys))):
        v0 = min(1.0, max(0.0, before.value))
        v1 = min(1.0, max(0.0, after.value))
        slope = number((v1 - v0) * 1_000_000 / max(1, after.time_offset - before.time_offset))
        t0 = seconds(start_us + before.time_offset)
        t1 = seconds(start_us + after.time_offset)
        value = f"if(lt(T,{t1}),{number(v0)}+({slope})*(T-{t0}),{value})"
    first = seconds(start_us + keys[0].time_offset)
    return f"if(lt(T,{first}),{_unit(keys[0].value)},{value})"


def keyed_opacity(keys: Sequence[Keyframe], target: Timerange) -> list[str]:
    """A geq filter multiplying the alpha plane by the keyed opacity at each frame's time."""
    if not keys:
        return []
    expression = _ramp(keys, target.start)
    return [f"geq=lum='p(X,Y)':cb='p(X,Y)':cr='p(X,Y)':a='alpha(X,Y)*({expression})'"]
