"""How each catalogue animation moves, by name: the one table the render draws animations from.

The editor's animations are its own effects; the render draws each as the movement its name
says (`Move`): a slide from a side, a zoom, a spin, a flip, a bounce, a shake, a blur or a fade,
and for captions also characters appearing one by one. `MOVES` names the movement of the most
used names of every kind; a name it does not list gets the movement its words suggest
(`KEYWORD_MOVES`: 向左 slides left, 放大 zooms in...), and an intro or outro whose words suggest
nothing is a fade. A loop or group animation whose words suggest nothing is not drawn. Every
movement is an approximation of the editor's own animation (its easing, distances and extra
flourishes differ), except the plain fades 渐显 and 渐隐; the render report says which was drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from draftsmith.catalogue.data import Kind


class Move(StrEnum):
    """A movement family. Slides are named for the direction the picture moves in."""

    FADE = "fade"
    SLIDE_LEFT = "slide_left"
    SLIDE_RIGHT = "slide_right"
    SLIDE_UP = "slide_up"
    SLIDE_DOWN = "slide_down"
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"
    ROTATE = "rotate"
    FLIP = "flip"
    BOUNCE = "bounce"
    SHAKE = "shake"
    SWING = "swing"
    PULSE = "pulse"
    BLUR = "blur"
    TYPEWRITER = "typewriter"
    CHAR_FADE = "char_fade"
    CHAR_POP = "char_pop"


PER_CHARACTER = frozenset({Move.TYPEWRITER, Move.CHAR_FADE, Move.CHAR_POP})
"""Movements of single characters: captions only (a picture has no characters)."""

DESCRIPTIONS: Mapping[Move, str] = {
    Move.FADE: "a fade",
    Move.SLIDE_LEFT: "a slide moving left (in from the right edge, out past the left)",
    Move.SLIDE_RIGHT: "a slide moving right (in from the left edge, out past the right)",
    Move.SLIDE_UP: "a slide moving up (in from below, out past the top)",
    Move.SLIDE_DOWN: "a slide moving down (in from above, out past the bottom)",
    Move.ZOOM_IN: "a zoom that grows (in from 10 %, out to 150 % fading)",
    Move.ZOOM_OUT: "a zoom that shrinks (in from 150 % fading in, out to 10 %)",
    Move.ROTATE: "a spin (a full turn, fading)",
    Move.FLIP: "a flip about the vertical axis (width from or to nothing)",
    Move.BOUNCE: "a bounce (grows past its size and settles)",
    Move.SHAKE: "a shake from side to side",
    Move.SWING: "a swing about its centre",
    Move.PULSE: "a pulse (grows by 15 % and back)",
    Move.BLUR: "a blur that clears (in) or grows (out), fading",
    Move.TYPEWRITER: "characters appearing one by one",
    Move.CHAR_FADE: "characters fading in (out) one after another",
    Move.CHAR_POP: "characters growing in (shrinking out) one after another",
}


def _table(groups: Mapping[Move, Iterable[str]]) -> dict[str, Move]:
    table: dict[str, Move] = {}
    for move, names in groups.items():
        for name in names:
            table[name] = move
    return table


_VIDEO_INTRO = _table(
    {
        Move.FADE: ("渐显", "Kira游动", "闪现", "闪屏", "马赛克", "水墨", "老电视", "扫描"),
        Move.SLIDE_LEFT: ("向左滑动", "向左上甩入", "向左下甩入", "侧滑", "斜切"),
        Move.SLIDE_RIGHT: ("向右滑动", "向右甩入", "向右上甩入", "向右下甩入", "分屏横移"),
        Move.SLIDE_UP: ("向上滑动", "向上滚动", "向上闪入"),
        Move.SLIDE_DOWN: ("向下滑动", "向下甩入", "向下甩动", "三屏下滑"),
        Move.ZOOM_IN: ("放大", "轻微放大", "动感放大", "飞近", "弹近", "变速扩大", "心形放大"),
        Move.ZOOM_OUT: ("缩小", "动感缩小"),
        Move.ROTATE: ("旋转", "旋转开幕", "漩涡旋转", "向上转入", "向上转入 II", "向左转入"),
        Move.FLIP: ("翻入", "镜像翻转", "折叠开幕", "立体翻转", "翻卡", "翻书"),
        Move.BOUNCE: ("跳转开幕", "果冻 I", "果冻 II", "波纹弹动"),
        Move.SHAKE: ("上下抖动", "左右抖动", "抖动下降", "轻微抖动", "轻微抖动 II"),
        Move.SWING: ("钟摆", "雨刷", "雨刷 II"),
        Move.BLUR: ("横向模糊", "模糊聚焦", "分身模糊"),
    }
)
_VIDEO_INTRO.update({"向右转入": Move.ROTATE, "轻微抖动 III": Move.SHAKE})

_VIDEO_OUTRO = _table(
    {
        Move.FADE: ("渐隐", "Kira游动", "闪现", "闪屏", "马赛克", "水墨", "老电视", "飘散"),
        Move.SLIDE_LEFT: ("向左滑动", "侧滑", "斜切"),
        Move.SLIDE_RIGHT: ("向右滑动", "分屏横移"),
        Move.SLIDE_UP: ("向上滑动", "向上滚动", "向上闪出"),
        Move.SLIDE_DOWN: ("向下滑动", "向下甩动", "三屏下滑"),
        Move.ZOOM_IN: ("放大", "轻微放大", "变速扩大"),
        Move.ZOOM_OUT: ("缩小", "飞远", "弹远", "心形缩小"),
        Move.ROTATE: ("旋转", "旋转闭幕", "漩涡旋转", "向上转出", "向上转出 II"),
        Move.FLIP: ("翻出", "镜像翻转", "折叠闭幕", "立体翻转", "翻卡", "折叠"),
        Move.BOUNCE: ("跳转闭幕", "波纹弹动"),
        Move.SHAKE: ("交叉震动", "十字震动", "抖动横移", "抖动变焦"),
        Move.BLUR: ("横向模糊", "模糊聚焦", "分身模糊"),
    }
)

_VIDEO_GROUP = _table(
    {
        Move.SLIDE_LEFT: ("向左下降", "向左缩小", "左拉镜", "形变左缩"),
        Move.SLIDE_RIGHT: ("向右下降", "向右缩小", "右拉镜", "形变右缩", "下降向右"),
        Move.SLIDE_UP: ("上升旋转", "旋转上升"),
        Move.SLIDE_DOWN: ("下降向左", "降落旋转", "旋转降落", "坠落", "滑滑梯", "滑滑梯 II"),
        Move.ZOOM_IN: ("缩放", "缩放 II", "抖入放大", "放大弹动", "闪光放大", "波动放大"),
        Move.ZOOM_OUT: ("形变缩小", "缩小弹动", "缩小旋转", "缩小转出", "旋转缩小"),
        Move.ROTATE: ("旋入晃动", "旋出渐隐", "旋转伸缩", "旋转回吸", "转入转出", "转圈圈"),
        Move.FLIP: ("翻转", "翻转 II", "翻转 III", "翻转 IV", "四格翻转", "立方体"),
        Move.BOUNCE: ("回弹伸缩", "悠悠球", "悠悠球 II", "弹入旋转", "弹动冲屏", "跳跳糖"),
        Move.SHAKE: ("晃动旋出", "动感摇晃I", "动感摇晃II"),
        Move.SWING: ("荡秋千", "荡秋千 II", "海盗船", "海盗船 II", "小陀螺", "红酒摇晃"),
        Move.FADE: ("三分割", "上下分割", "左右分割", "中间分割", "百叶窗", "分身"),
    }
)

_TEXT_INTRO = _table(
    {
        Move.FADE: ("渐显", "溶解", "日出", "闪动", "发光闪入", "辉光", "卡拉OK", "变色输入"),
        Move.SLIDE_LEFT: ("向左滑动", "向左露出", "向左擦除", "羽化向左擦开", "左移弹动"),
        Move.SLIDE_RIGHT: ("向右滑动", "向右露出", "向右擦除", "向右缓入", "羽化向右擦开"),
        Move.SLIDE_UP: ("向上滑动", "向上露出", "向上擦除", "滑动上升", "向上重叠", "站起"),
        Move.SLIDE_DOWN: ("向下滑动", "向下露出", "向下擦除", "向下飞入", "随机落下"),
        Move.ZOOM_IN: ("放大", "轻微放大", "慢速放大", "生长", "二段缩放", "缩放 III"),
        Move.ZOOM_OUT: ("缩小", "缩小 II", "收拢", "模糊缩小", "吸入"),
        Move.ROTATE: ("旋入", "旋转飞入", "旋转缩放", "螺旋上升", "滚入"),
        Move.FLIP: ("向上翻转", "水平翻转", "翻动", "空翻", "翻页II", "折叠"),
        Move.BOUNCE: ("弹入", "弹簧", "弹弓", "弹性伸缩", "波浪弹入", "右上弹入", "左上弹入"),
        Move.SHAKE: ("抖动甩入", "放大震动", "故障闪动"),
        Move.BLUR: ("模糊", "晕开", "扭曲模糊", "水墨晕开", "向左模糊", "向右模糊 II"),
        Move.TYPEWRITER: ("打字机 I", "打字机 II", "打字机 III", "打字机IV", "复古打字机"),
        Move.CHAR_FADE: ("逐字显影", "居中打字", "随机打字机", "预览打字", "打字光标"),
        Move.CHAR_POP: ("逐字弹跳", "逐字旋转", "逐字翻转", "逐字旋入", "随机弹跳"),
    }
)

_TEXT_OUTRO = _table(
    {
        Move.FADE: ("渐隐", "溶解", "日落", "闪动", "发光闪出", "消散", "向上溶解"),
        Move.SLIDE_LEFT: ("向左滑动", "向左擦除", "羽化向左擦除", "向左解散", "左移弹动"),
        Move.SLIDE_RIGHT: ("向右滑动", "向右擦除", "向右缓出", "羽化向右擦除"),
        Move.SLIDE_UP: ("向上滑动", "向上擦除", "向上飞出"),
        Move.SLIDE_DOWN: ("向下滑动", "向下擦除", "滑动下落", "躺下"),
        Move.ZOOM_IN: ("放大", "放大 II", "轻微放大", "展开", "二段缩放"),
        Move.ZOOM_OUT: ("缩小", "吸出", "收缩震动"),
        Move.ROTATE: ("旋出", "旋转飞出", "旋转缩放", "螺旋下降", "滚出"),
        Move.FLIP: ("水平翻转", "翻动", "向下翻转", "空翻", "折叠"),
        Move.BOUNCE: ("弹出", "弹簧", "弹弓", "弹性伸缩", "波浪弹出", "右上弹出", "左上弹出"),
        Move.SHAKE: ("故障", "故障闪动"),
        Move.BLUR: ("模糊", "晕开", "扭曲模糊", "水墨晕开", "向左模糊", "向左模糊 II"),
        Move.TYPEWRITER: ("打字机 I", "打字机 II", "打字机 III", "打字机IV", "复古打字机"),
        Move.CHAR_FADE: ("居中打字", "随机打字机", "预览打字", "打字光标", "逐字虚影"),
        Move.CHAR_POP: ("逐字旋出", "逐字旋转", "逐字翻转", "随机弹跳", "随机弹跳 II"),
    }
)

_TEXT_LOOP = _table(
    {
        Move.SHAKE: ("晃动", "颤抖", "颤抖 II", "颤抖 III", "超强晃动", "超强晃动 II", "抖动故障"),
        Move.SWING: ("摇摆", "摇摆 I", "钟摆", "摇荡", "雨刷", "尾巴摇摆", "扭动"),
        Move.BOUNCE: ("跳动", "轻微跳动", "随机弹跳", "波浪", "波浪 II", "波浪 III", "漂浮"),
        Move.PULSE: ("放大缩小", "心跳", "悸动", "逐字放大", "呐喊", "扩音器", "声波震动"),
        Move.ROTATE: ("旋转", "环绕", "环绕 II", "空间翻转 I"),
        Move.FADE: ("闪烁", "爆闪", "频闪边框", "扫光", "流光", "文字泛光"),
        Move.SLIDE_LEFT: ("弹幕滚动", "字幕滚动", "弹幕", "弹幕 II"),
    }
)
_TEXT_LOOP.update({"上弧": Move.BOUNCE, "飘起": Move.BOUNCE, "故障闪动": Move.SHAKE})

MOVES: Mapping[Kind, Mapping[str, Move]] = {
    Kind.VIDEO_INTRO: _VIDEO_INTRO,
    Kind.VIDEO_OUTRO: _VIDEO_OUTRO,
    Kind.VIDEO_GROUP: _VIDEO_GROUP,
    Kind.TEXT_INTRO: _TEXT_INTRO,
    Kind.TEXT_OUTRO: _TEXT_OUTRO,
    Kind.TEXT_LOOP: _TEXT_LOOP,
}
"""Named movements of the most used animations of each kind."""

KEYWORD_MOVES: tuple[tuple[tuple[str, ...], Move], ...] = (
    (("打字",), Move.TYPEWRITER),
    (("逐字",), Move.CHAR_POP),
    (("模糊", "虚化", "晕开"), Move.BLUR),
    (("摇摆", "钟摆", "摇荡", "秋千", "雨刷", "海盗船"), Move.SWING),
    (("抖", "震", "晃", "颤", "故障"), Move.SHAKE),
    (("翻",), Move.FLIP),
    (("旋", "转", "滚"), Move.ROTATE),
    (("向左", "左移", "左拉"), Move.SLIDE_LEFT),
    (("向右", "右移", "右拉"), Move.SLIDE_RIGHT),
    (("向上", "上升", "上移", "升起"), Move.SLIDE_UP),
    (("向下", "下降", "下落", "下滑", "降落", "坠落"), Move.SLIDE_DOWN),
    (("放大", "推近", "拉近", "飞近", "弹近", "扩大", "缩放"), Move.ZOOM_IN),
    (("缩小", "拉远", "飞远", "弹远", "吸入", "收缩"), Move.ZOOM_OUT),
    (("弹", "跳"), Move.BOUNCE),
    (("心跳", "呼吸", "脉冲"), Move.PULSE),
    (("渐", "溶解", "闪", "光"), Move.FADE),
)
"""Words of a name and the movement they suggest, the first that matches winning."""


@dataclass(frozen=True)
class Mapped:
    """What an animation is drawn as: `move` None when nothing is drawn; `listed` whether the
    name is in `MOVES` (else its words chose, or nothing did)."""

    move: Move | None
    listed: bool


def movement(kind: Kind, name: str, *, text: bool) -> Mapped:
    """How the animation `name` of `kind` is drawn on a caption (`text`) or a picture."""
    listed = MOVES.get(kind, {}).get(name)
    if listed is not None:
        return Mapped(listed, True)
    for words, move in KEYWORD_MOVES:
        if any(word in name for word in words) and (text or move not in PER_CHARACTER):
            return Mapped(move, False)
    if kind in (Kind.VIDEO_INTRO, Kind.VIDEO_OUTRO, Kind.TEXT_INTRO, Kind.TEXT_OUTRO):
        return Mapped(Move.FADE, False)
    return Mapped(None, False)


def animation_kind(animation_type: str, *, text: bool) -> Kind:
    """The catalogue kind of an animation of a segment's `Animations` ("in", "out", "loop",
    "group")."""
    if animation_type == "in":
        return Kind.TEXT_INTRO if text else Kind.VIDEO_INTRO
    if animation_type == "out":
        return Kind.TEXT_OUTRO if text else Kind.VIDEO_OUTRO
    return Kind.TEXT_LOOP if text else Kind.VIDEO_GROUP
