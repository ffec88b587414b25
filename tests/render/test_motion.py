"""Animations and opacity keyframes as ffmpeg filters."""

from __future__ import annotations

from draftsmith.render.motion import alpha_keys, fades, keyed_opacity
from draftsmith.timeline.model import Animation, Animations, Keyframe, KeyframeList, Timerange

TARGET = Timerange(2_000_000, 1_000_000)


def test_in_and_out_animations_fade_over_their_own_spans() -> None:
    animations = Animations(
        "a",
        True,
        (
            Animation("in", "向左滑动", "1", "2", 0, 300_000),
            Animation("out", "渐隐", "1", "2", 750_000, 250_000),
            Animation("group", "三分割", "1", "2", 0, 1_000_000),
        ),
    )
    assert fades(animations, TARGET, alpha=True) == [
        "fade=t=in:st=2.000000:d=0.300000:alpha=1",
        "fade=t=out:st=2.750000:d=0.250000:alpha=1",
    ]
    assert fades(animations, TARGET, alpha=False)[0] == "fade=t=in:st=2.000000:d=0.300000"
    assert fades(None, TARGET, alpha=True) == []


def test_opacity_keys_are_held_outside_and_linear_between() -> None:
    keys = KeyframeList(
        "k",
        "KFTypeAlpha",
        (Keyframe("2", 500_000, 0.2), Keyframe("1", 100_000, 1.0)),
    )
    assert [k.time_offset for k in alpha_keys([KeyframeList("p", "KFTypeScaleX", ()), keys])] == [
        100_000,
        500_000,
    ]
    [geq] = keyed_opacity(alpha_keys([keys]), TARGET)
    assert geq == (
        "geq=lum='p(X,Y)':cb='p(X,Y)':cr='p(X,Y)':a='alpha(X,Y)*("
        "if(lt(T,2.100000),1,if(lt(T,2.500000),1+(-2)*(T-2.100000),0.2)))'"
    )


def test_no_opacity_keys_no_filter() -> None:
    assert keyed_opacity(alpha_keys([KeyframeList("p", "KFTypePositionX", ())]), TARGET) == []
