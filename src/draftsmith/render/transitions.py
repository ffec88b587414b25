"""Transitions between adjacent segments of the bottom video track, as ffmpeg xfade (pure).

The editor keeps both segments where they are and plays the transition across the cut: it
starts half its duration before the first segment ends and ends half its duration after the
second one starts, so the draft lasts as long with the transition as without it. The render
does the same; the first segment's last frame is held past its end and the second's first frame
before its start, since a draft names no source beyond a segment's range.

The editor's transitions are its own animations. Those whose name says what they do are drawn
with the xfade transition closest to it (`XFADE_BY_NAME`); every other one is a cross-fade.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from draftsmith.timeline.model import MediaSegment

DEFAULT_XFADE = "fade"

XFADE_BY_NAME = {
    "叠化": "fade",
    "叠加": "fade",
    "色彩溶解": "dissolve",
    "色彩溶解 II": "dissolve",
    "色彩溶解 III": "dissolve",
    "闪白": "fadewhite",
    "闪白 II": "fadewhite",
    "泛白": "fadewhite",
    "白光快闪": "fadewhite",
    "闪黑": "fadeblack",
    "闪黑 II": "fadeblack",
    "向左擦除": "wipeleft",
    "向右擦除": "wiperight",
    "向上擦除": "wipeup",
    "向下擦除": "wipedown",
    "左移": "slideleft",
    "右移": "slideright",
    "上移": "slideup",
    "下移": "slidedown",
    "向左": "slideleft",
    "向右": "slideright",
    "向上": "slideup",
    "向下": "slidedown",
    "滑动": "slideleft",
    "横向滑动": "slideleft",
    "纵向滑动": "slideup",
    "向左上": "wipetl",
    "向右上": "wipetr",
    "向左下": "wipebl",
    "向右下": "wipebr",
    "推近": "zoomin",
    "推近 II": "zoomin",
    "圆形遮罩": "circleopen",
    "圆形遮罩 II": "circleopen",
    "圆形扫描": "radial",
    "横向拉幕": "horzopen",
    "竖向拉幕": "vertopen",
    "开幕": "vertopen",
    "横向模糊": "hblur",
    "模糊": "hblur",
    "马赛克": "pixelize",
    "马赛克 II": "pixelize",
    "百叶窗": "hrslice",
    "百叶窗 II": "hrslice",
    "横向分割": "horzopen",
    "竖向分割": "vertopen",
    "压缩": "squeezeh",
}
"""Catalogue transition names drawn with an xfade transition other than the default fade."""


def xfade_name(name: str) -> str:
    return XFADE_BY_NAME.get(name, DEFAULT_XFADE)


@dataclass(frozen=True)
class Cut:
    """The transition from one segment of a run into the next, as it is drawn."""

    xfade: str
    duration: int
    """µs; at most what the two segments leave for it."""

    @property
    def before(self) -> int:
        """How much of it plays before the cut, over the end of the first segment."""
        return self.duration - self.after

    @property
    def after(self) -> int:
        """How much of it plays after the cut, over the start of the second segment."""
        return self.duration // 2


def joined_runs(segments: Sequence[MediaSegment]) -> list[list[MediaSegment]]:
    """Time-ordered `segments` in runs: within a run each segment has a transition and the next
    one starts where it ends."""
    runs: list[list[MediaSegment]] = []
    for segment in segments:
        if runs:
            last = runs[-1][-1]
            if last.transition is not None and last.target.end == segment.target.start:
                runs[-1].append(segment)
                continue
        runs.append([segment])
    return runs


def cuts(run: Sequence[MediaSegment]) -> list[Cut]:
    """The transitions between the segments of a run, each shortened to what its segments leave
    after the one before it: half on each side of the cut."""
    found = []
    used = 0
    for first, second in pairwise(run):
        assert first.transition is not None
        room = min(2 * (first.target.duration - used), 2 * second.target.duration)
        cut = Cut(xfade_name(first.transition.name), max(0, min(first.transition.duration, room)))
        found.append(cut)
        used = cut.after
    return found
