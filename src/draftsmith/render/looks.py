"""Filters and scene effects as ffmpeg filters on the picture below them (pure).

Every catalogue filter is drawn as the colour transform of its family (`FILTER_FAMILIES`): the
first family one of whose words its name holds, or `neutral`. A family is a `Look`: brightness,
contrast, saturation, temperature, tint and fade in one `lutyuv` (a table lookup per pixel),
plus a vignette and film grain. The filter's intensity (0-1) scales the look.

Scene effects are drawn when their name holds the words of one of the common kinds
(`EFFECT_KINDS`): blur, vignette, black and white, flash, shake, zoom pulse, RGB split
(glitch), mosaic, film grain, light leak. Every other scene effect, and every character effect
(they follow faces), is not drawn. Both act over their segment's span only (`enable`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from draftsmith.render.graph import number
from draftsmith.timeline.model import Canvas


@dataclass(frozen=True)
class Look:
    """A colour transform; each value from -1 to 1 (fade, vignette and grain from 0 to 1)."""

    brightness: float = 0.0
    contrast: float = 0.0
    saturation: float = 0.0
    temperature: float = 0.0
    """Warm (+, towards orange) or cool (-, towards blue)."""
    tint: float = 0.0
    """Magenta (+) or green (-)."""
    fade: float = 0.0
    """Lifted blacks and softened whites, as an old print."""
    vignette: float = 0.0
    grain: float = 0.0


FILTER_FAMILIES: tuple[tuple[str, tuple[str, ...], Look], ...] = (
    (
        "black and white",
        ("黑白", "默片", "灰调", "银盐", "安塞尔"),
        Look(saturation=-1, contrast=0.1),
    ),
    (
        "film",
        (
            "胶片",
            "胶卷",
            "复古",
            "怀旧",
            "古早",
            "VHS",
            "CCD",
            "DV",
            "1980",
            "90s",
            "宝丽来",
            "拍立得",
            "旧",
            "富士",
            "柯达",
            "KONICA",
            "港风",
            "港",
        ),
        Look(temperature=0.3, fade=0.35, saturation=-0.15, vignette=0.3, grain=0.35),
    ),
    (
        "faded",
        ("褪色", "淡", "雾", "低保真", "Lofi", "柔", "空灵", "灰"),
        Look(fade=0.6, contrast=-0.2, saturation=-0.3),
    ),
    (
        "moody",
        ("暗", "黑", "质感", "电影", "夜", "深", "沉", "哥谭", "赛博"),
        Look(brightness=-0.08, contrast=0.3, saturation=-0.15, vignette=0.4),
    ),
    (
        "cool",
        ("冷", "蓝", "冬", "雪", "冰", "青", "凛", "寒"),
        Look(temperature=-0.5, contrast=0.05),
    ),
    (
        "warm",
        ("暖", "日落", "夕阳", "落日", "橘", "金", "秋", "焦糖", "咖", "棕", "余晖", "晚霞", "黄"),
        Look(temperature=0.5, saturation=0.1),
    ),
    (
        "vivid",
        ("鲜", "高饱和", "亮丽", "彩", "浓", "活力", "缤纷", "增色", "多巴胺", "烟火", "烟花"),
        Look(saturation=0.5, contrast=0.1),
    ),
    ("food", ("美味", "美食", "食", "料理", "餐", "烘培"), Look(saturation=0.3, temperature=0.2)),
    (
        "fresh",
        ("绿", "清新", "薄荷", "森", "林", "夏", "春", "野", "山"),
        Look(tint=-0.3, brightness=0.05, saturation=0.15),
    ),
    (
        "pink",
        ("粉", "樱", "少女", "甜", "奶", "蜜桃", "桃", "恋"),
        Look(tint=0.3, brightness=0.05, temperature=0.1),
    ),
    ("skin", ("肤", "肌", "美白", "白皙"), Look(brightness=0.06, tint=0.1, saturation=-0.05)),
    (
        "bright",
        ("亮", "白", "透", "清晰", "高清", "4K", "8K", "明", "晴", "净"),
        Look(brightness=0.08, contrast=0.1),
    ),
)
"""(family, words of the filter names it holds, look); the first family whose word a name
holds is its family."""

NEUTRAL = ("neutral", Look(contrast=0.1, saturation=0.1))
"""The family of a name that holds no family's word: a slight contrast and colour lift."""


def filter_family(name: str) -> tuple[str, Look, bool]:
    """(family, look, whether a word of the name chose it) of the filter `name`."""
    for family, words, look in FILTER_FAMILIES:
        if any(word.lower() in name.lower() for word in words):
            return family, look, True
    return NEUTRAL[0], NEUTRAL[1], False


def _enable(start: float, end: float) -> str:
    return f"enable='between(t,{number(start)},{number(end)})'"


def look_filters(look: Look, intensity: float, start: float, end: float) -> list[str]:
    """The filters drawing `look` at `intensity` from `start` to `end` (seconds)."""
    k = min(1.0, max(0.0, intensity))
    contrast = 1 + look.contrast * k
    lift = look.fade * k * 0.25
    brightness = look.brightness * k * 64
    saturation = max(0.0, 1 + look.saturation * k)
    shift_u = (-look.temperature * 18 + look.tint * 12) * k
    shift_v = (look.temperature * 18 + look.tint * 12) * k
    planes = []
    if (contrast, brightness, lift) != (1, 0, 0):
        luma = f"(val-128)*{number(contrast)}+128+{number(brightness)}"
        if lift:
            luma = f"({luma})*{number(1 - lift)}+{number(lift * 128)}"
        planes.append(f"y='clip({luma},0,255)'")
    for plane, shift in (("u", shift_u), ("v", shift_v)):
        if (saturation, shift) != (1, 0):
            planes.append(
                f"{plane}='clip((val-128)*{number(saturation)}+128+({number(shift)}),0,255)'"
            )
    enable = _enable(start, end)
    filters = [f"lutyuv={':'.join(planes)}:{enable}"] if planes else []
    if look.vignette * k > 0:
        filters.append(f"vignette=angle={number(math.pi / 5 * look.vignette * k * 1.5)}:{enable}")
    if look.grain * k > 0:
        filters.append(f"noise=alls={round(look.grain * k * 30)}:allf=t:{enable}")
    return filters


@dataclass(frozen=True)
class EffectKind:
    name: str
    words: tuple[str, ...]
    how: str


EFFECT_KINDS: tuple[EffectKind, ...] = (
    EffectKind("mosaic", ("马赛克", "像素", "低像素"), "pixelised in 16 px blocks"),
    EffectKind(
        "rgb split", ("RGB", "色差", "故障", "错位", "X-Signal", "抖音"), "colour planes split"
    ),
    EffectKind("black and white", ("黑白", "变黑白", "褪色"), "without colour"),
    EffectKind(
        "flash", ("闪光", "闪白", "爆闪", "闪烁", "频闪", "闪屏", "CCD闪光"), "flashing white"
    ),
    EffectKind("shake", ("抖动", "震动", "摇晃", "摇摆", "晃动", "冲击"), "shaken side to side"),
    EffectKind(
        "zoom pulse", ("放大", "变焦", "心跳", "推镜", "缩放", "广角"), "zooming in and out"
    ),
    EffectKind("blur", ("模糊", "虚化", "失焦", "柔焦"), "blurred"),
    EffectKind("vignette", ("暗角", "黑框", "聚光"), "darkened at the edges"),
    EffectKind(
        "film grain", ("颗粒", "噪点", "胶片", "录像带", "DV", "VHS", "老电影"), "with film grain"
    ),
    EffectKind(
        "light leak", ("漏光", "光斑", "光晕", "彩虹光", "丁达尔", "阳光", "夕阳"), "lit warm"
    ),
)
"""The scene effects drawn, by words of their names; the first that matches wins."""


def effect_kind(name: str) -> EffectKind | None:
    for kind in EFFECT_KINDS:
        if any(word.lower() in name.lower() for word in kind.words):
            return kind
    return None


def _moved(canvas: Canvas, dx: str, dy: str, zoom: str = "1") -> str:
    """A perspective filter showing the picture moved by (dx, dy) pixels and zoomed by `zoom`,
    each an expression of `T` (seconds). perspective counts frames (`in`, from 1) rather than
    knowing their time; the picture it gets runs at the canvas rate from 0."""
    now = f"((in-1)/{canvas.fps})"
    dx, dy, zoom = (e.replace("T", now) for e in (dx, dy, zoom))
    left = f"(W/2-W/2/({zoom})-({dx}))"
    right = f"(W/2+W/2/({zoom})-({dx}))"
    top = f"(H/2-H/2/({zoom})-({dy}))"
    bottom = f"(H/2+H/2/({zoom})-({dy}))"
    return (
        f"perspective=x0='{left}':y0='{top}':x1='{right}':y1='{top}'"
        f":x2='{left}':y2='{bottom}':x3='{right}':y3='{bottom}':eval=frame"
    )


def effect_filters(kind: EffectKind, canvas: Canvas, start: float, end: float) -> list[str]:
    """The filters drawing the effect `kind` over the whole picture from `start` to `end`."""
    enable = _enable(start, end)
    scale = min(canvas.width, canvas.height) / 1080
    since = f"(t-{number(start)})"
    moving = f"(T-{number(start)})"
    name = kind.name
    if name == "mosaic":
        block = max(2, round(16 * scale))
        return [f"pixelize=w={block}:h={block}:{enable}"]
    if name == "rgb split":
        shift = max(1, round(8 * scale)) * 2
        return [f"chromashift=cbh=-{shift}:crh={shift}:{enable}"]
    if name == "black and white":
        return [f"lutyuv=u=128:v=128:{enable}"]
    if name == "flash":
        return [f"eq=brightness='0.6*pow(abs(sin(PI*2*{since})),4)':eval=frame:{enable}"]
    if name == "shake":
        amplitude = number(0.02 * canvas.width)
        dx = f"{amplitude}*sin(PI*24*{moving})"
        dy = f"{amplitude}*0.5*cos(PI*18*{moving})"
        return [f"{_moved(canvas, dx, dy, '1.05')}:{enable}"]
    if name == "zoom pulse":
        zoom = f"1+0.12*abs(sin(PI*1.25*{moving}))"
        return [f"{_moved(canvas, '0', '0', zoom)}:{enable}"]
    if name == "blur":
        return [f"gblur=sigma={number(12 * scale)}:{enable}"]
    if name == "vignette":
        return [f"vignette=angle={number(math.pi / 4)}:{enable}"]
    if name == "film grain":
        return [f"noise=alls=24:allf=t:{enable}"]
    if name == "light leak":
        return [
            f"lutyuv=y='clip(val*0.9+30,0,255)':u='clip(val-10,0,255)'"
            f":v='clip(val+16,0,255)':{enable}"
        ]
    raise ValueError(f"effect kind {name!r} has no filters")
