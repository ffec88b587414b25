"""Caption styles become ASS override tags; text stays literal; long lines wrap like the editor."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from draftsmith.render.captions import (
    FONT_HEIGHT_PER_EM,
    Measure,
    ass_document,
    em_pixels,
    escape_text,
)
from draftsmith.timeline.model import (
    Animation,
    Animations,
    Canvas,
    Clip,
    Shadow,
    TextEffect,
    TextStyle,
    Timerange,
    TrackKind,
)
from render.drafts import caption, track

HD = Canvas(1920, 1080, 30)


def events(
    style: TextStyle, clip: Clip | None = None, text: str = "Hi", canvas: Canvas = HD
) -> list[str]:
    segment = caption("c", text, Timerange(1_234_000, 1_000_000), style, clip or Clip())
    document = ass_document(canvas, [(3, track("t", TrackKind.TEXT, segment))])
    return [line for line in document.splitlines() if line.startswith("Dialogue:")]


def tags(event: str) -> str:
    found = re.search(r"\{(.*?)\}", event)
    assert found is not None
    return found.group(1)


def test_default_size_is_a_60_pixel_em_on_1080p() -> None:
    assert em_pixels(TextStyle(), HD) == 60
    assert em_pixels(TextStyle(), Canvas(1080, 1920)) == 60
    assert em_pixels(TextStyle(font_size=30), Canvas(1280, 720)) == 80
    assert f"\\fs{60 * FONT_HEIGHT_PER_EM:.2f}".rstrip("0") in tags(events(TextStyle())[0])


def test_plain_caption_is_one_centred_event_on_its_track_layer() -> None:
    [event] = events(TextStyle())
    assert event.startswith("Dialogue: 7,0:00:01.23,0:00:02.23,Default,,0,0,0,,{")
    assert "\\pos(960,540)\\an5" in event
    assert "\\bord0\\shad0" in event
    assert event.endswith("}Hi")


def test_colours_are_bgr_and_alpha_is_transparency() -> None:
    style = TextStyle(color="#112233", border_color="#aabbcc")
    event = tags(events(style, Clip(alpha=0.25))[0])
    assert "\\1c&H332211&\\1a&HBF&" in event
    assert "\\3c&HCCBBAA&\\3a&HBF&" in event
    assert "\\bord4.8" in event


def test_bold_italic_underline_scale_and_spacing() -> None:
    style = TextStyle(bold=True, italic=True, underline=True, letter_spacing=2)
    event = tags(events(style, Clip(scale_x=1.5, scale_y=0.5))[0])
    assert "\\fscx150\\fscy50\\fsp6\\b1\\i1\\u1" in event


def test_transform_moves_the_centre_down_and_right() -> None:
    event = tags(events(TextStyle(), Clip(transform_x=-100, transform_y=300))[0])
    assert "\\pos(860,840)" in event


@pytest.mark.parametrize(("alignment", "anchor", "x"), [(0, 4, 960 - 33), (2, 6, 960 + 33)])
def test_left_and_right_alignment_anchor_the_estimated_box_edge(
    alignment: int, anchor: int, x: float
) -> None:
    # "Hi" is two narrow characters: 2 x 0.55 em of 60 px = 66 px wide.
    event = tags(events(TextStyle(alignment=alignment))[0])
    assert f"\\pos({x},540)\\an{anchor}" in event


@pytest.mark.parametrize("alignment", [1, 3, 4, 5])
def test_centre_and_vertical_layouts_are_centred(alignment: int) -> None:
    assert "\\an5" in tags(events(TextStyle(alignment=alignment))[0])


def test_shadow_is_a_blurred_offset_copy_underneath() -> None:
    shadow = Shadow(color="#ff0000", alpha=0.5, diffuse=10, distance=10, angle=-90)
    below, above = events(TextStyle(shadow=shadow))
    assert below.startswith("Dialogue: 6,") and above.startswith("Dialogue: 7,")
    assert "\\pos(960,550)" in below and "\\blur2" in below
    assert "\\1c&H0000FF&\\1a&H80&" in below
    assert "\\pos(960,540)" in above and "\\blur0" in above


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("{\\b1}bold?", "\\{\\\u2060b1\\}bold?"),
        ("a\\Nb", "a\\\u2060Nb"),
        ("plain", "plain"),
    ],
)
def test_text_is_never_read_as_ass_markup(text: str, escaped: str) -> None:
    assert escape_text([text]) == escaped


def test_newlines_become_ass_line_breaks() -> None:
    assert events(TextStyle(), text="one\r\ntwo\nthree")[0].endswith("}one\\Ntwo\\Nthree")


def test_long_chinese_wraps_between_characters_but_not_before_punctuation() -> None:
    measure = Measure(em=10, scale_x=1.0, spacing=0.0)
    # The comma may not start a line, so the character before it moves down with it.
    assert measure.wrap("一二三四五，六七", 50) == ["一二三四", "五，六七"]
    assert measure.wrap("一二三四五六七", 50) == ["一二三四五", "六七"]


def test_latin_wraps_at_spaces_only() -> None:
    measure = Measure(em=10, scale_x=1.0, spacing=0.0)
    assert measure.wrap("alpha beta gamma", 50) == ["alpha", "beta", "gamma"]
    assert measure.wrap("unbreakableword", 20) == ["unbreakableword"]
    assert measure.wrap("你好world", 25) == ["你好", "world"]


def test_captions_wrap_at_82_percent_of_the_canvas() -> None:
    # 40 wide characters of 60 px = 2400 px; 82% of 1920 = 1574 px holds 26 of them.
    [event] = events(TextStyle(), text="字" * 40)
    assert event.endswith("}" + "字" * 26 + "\\N" + "字" * 14)


def keyword_events(
    text: str, keywords: tuple[str, ...], keyword_style: TextStyle, style: TextStyle | None = None
) -> list[str]:
    segment = replace(
        caption("k", text, Timerange(0, 1_000_000), style or TextStyle(), Clip()),
        keywords=keywords,
        keyword_style=keyword_style,
    )
    document = ass_document(HD, [(0, track("t", TrackKind.TEXT, segment))])
    return [line for line in document.splitlines() if line.startswith("Dialogue:")]


def body(event: str) -> str:
    return event.split(",,", 1)[1].split("}", 1)[1]


RED_KEYWORD = TextStyle(color="#ff0000", font_size=30, border_color="#00ff00")
KEYWORD_LOOK = "{\\fs173.76\\b0\\i0\\u0\\bord9.6\\1c&H0000FF&\\1a&H00&\\3c&H00FF00&\\3a&H00&}"
PLAIN_LOOK = "{\\fs86.88\\b0\\i0\\u0\\bord0\\1c&HFFFFFF&\\1a&H00&\\3c&H000000&\\3a&H00&}"


def test_every_keyword_occurrence_switches_to_the_keyword_style_and_back() -> None:
    [event] = keyword_events("go KEY and KEY", ("KEY",), RED_KEYWORD)
    assert body(event) == f"go {KEYWORD_LOOK}KEY{PLAIN_LOOK} and {KEYWORD_LOOK}KEY"


def test_the_longest_overlapping_keyword_wins() -> None:
    [event] = keyword_events("abcd", ("bc", "abc"), RED_KEYWORD)
    assert body(event) == f"{KEYWORD_LOOK}abc{PLAIN_LOOK}d"


def test_keyword_runs_follow_the_text_across_wrapped_lines() -> None:
    # 40 wide characters wrap after 26 (see the test above); the keyword spans the break.
    text = "字" * 24 + "关键词" + "字" * 13
    [event] = keyword_events(text, ("关键词",), RED_KEYWORD)
    line_one, line_two = body(event).split("\\N")
    assert line_one == "字" * 24 + f"{KEYWORD_LOOK}关键"
    assert line_two == f"{KEYWORD_LOOK}词{PLAIN_LOOK}" + "字" * 13


def test_keyword_markup_in_the_text_stays_literal() -> None:
    [event] = keyword_events("{x} KEY", ("{x}",), RED_KEYWORD)
    assert body(event) == f"{KEYWORD_LOOK}\\{{x\\}}{PLAIN_LOOK} KEY"


def test_a_keyword_shadow_alone_draws_a_shadow_copy_of_the_keyword_only() -> None:
    style = replace(RED_KEYWORD, shadow=Shadow(color="#0000ff", alpha=1.0))
    below, above = keyword_events("go KEY", ("KEY",), style)
    assert below.startswith("Dialogue: 0,") and above.startswith("Dialogue: 1,")
    hidden = "\\1a&HFF&\\3a&HFF&"
    assert tags(below).endswith(hidden), "the plain words cast no shadow"
    shadow_look = "{\\fs173.76\\b0\\i0\\u0\\bord9.6\\1c&HFF0000&\\1a&H00&\\3c&HFF0000&\\3a&H00&}"
    assert body(below) == f"go {shadow_look}KEY"


def test_keywords_without_a_keyword_style_are_drawn_plain() -> None:
    segment = caption("k", "go KEY", Timerange(0, 1), TextStyle(), Clip())
    unstyled = replace(segment, keywords=("KEY",))
    document = ass_document(HD, [(0, track("t", TrackKind.TEXT, unstyled))])
    assert document.rstrip("\n").endswith("}go KEY")


def animated(*items: Animation, text: str = "Hi", style: TextStyle | None = None) -> list[str]:
    segment = replace(
        caption("c", text, Timerange(0, 1_000_000), style or TextStyle(), Clip()),
        animations=Animations("a", video=False, items=items),
    )
    document = ass_document(HD, [(0, track("t", TrackKind.TEXT, segment))])
    return [line for line in document.splitlines() if line.startswith("Dialogue:")]


@pytest.mark.parametrize(
    ("items", "pieces"),
    [
        (
            (("in", 0, 300_000),),
            [
                ("0:00:00.00", "0:00:00.30", "\\fade(255,0,0,0,300,300,300)"),
                ("0:00:00.30", "0:00:01.00", "\\fade(0,0,0,0,700,700,700)"),
            ],
        ),
        (
            (("out", 600_000, 400_000),),
            [
                ("0:00:00.00", "0:00:00.60", "\\fade(0,0,0,0,600,600,600)"),
                ("0:00:00.60", "0:00:01.00", "\\fade(0,255,255,0,400,400,400)"),
            ],
        ),
    ],
)
def test_in_and_out_fades_fade_the_caption_piece_by_piece(
    items: tuple[tuple[str, int, int], ...], pieces: list[tuple[str, str, str]]
) -> None:
    found = animated(*(Animation(t, "渐显", "1", "2", s, d) for t, s, d in items))
    assert len(found) == len(pieces)
    for event, (start, end, fade) in zip(found, pieces, strict=True):
        assert event.startswith(f"Dialogue: 1,{start},{end},")
        assert fade in event


def test_a_slide_moves_the_caption_in_from_off_the_canvas() -> None:
    first, rest = animated(Animation("in", "向右滑动", "1", "2", 0, 500_000))
    move = re.search(r"\\move\(([-\d.]+),([-\d.]+),([-\d.]+),([-\d.]+)\)", first)
    assert move is not None
    x0, y0, x1, y1 = (float(v) for v in move.groups())
    assert x0 < 0 and (x1, y0, y1) == (960, 540, 540), "from past the left edge to the centre"
    assert "\\pos(960,540)" in rest


def test_a_zoom_scales_the_caption_over_its_span() -> None:
    first, _ = animated(Animation("in", "放大", "1", "2", 0, 500_000))
    assert "\\fscx10\\fscy10" in first and "\\t(\\fscx100\\fscy100)" in first


def test_a_typewriter_shows_characters_one_by_one() -> None:
    [event] = animated(Animation("in", "打字机 I", "1", "2", 0, 1_000_000), text="abcd")
    starts = [int(m) for m in re.findall(r"\\t\((\d+),\d+,\\1a&H00&", event)]
    assert len(starts) == 4 and starts == sorted(starts) and starts[0] == 0
    assert event.count("\\1a&HFF&\\3a&HFF&") == 4, "each character starts hidden"


def test_loop_animations_repeat_and_unknown_ones_are_not_drawn() -> None:
    blink = animated(Animation("loop", "闪烁", "1", "2", 0, 1_000_000))
    assert len(blink) > 2 and all("\\fade(" in event for event in blink)
    [still] = animated(Animation("loop", "彩虹", "1", "2", 0, 1_000_000))
    assert "\\fade" not in still and "\\move" not in still


def test_line_spacing_places_each_line_apart() -> None:
    wide = TextStyle(line_spacing=10)
    segment = caption("c", "one\ntwo", Timerange(0, 1_000_000), wide, Clip())
    document = ass_document(HD, [(0, track("t", TrackKind.TEXT, segment))])
    ys = [float(y) for y in re.findall(r"\\pos\(960,([\d.]+)\)", document)]
    em = em_pixels(wide, HD)
    assert ys[1] - ys[0] == pytest.approx(em * (FONT_HEIGHT_PER_EM + 10 * 0.05), abs=0.02)
    assert (ys[0] + ys[1]) / 2 == pytest.approx(540, abs=0.02)


def test_vertical_text_stacks_characters_in_columns_right_to_left() -> None:
    segment = caption("c", "一二\n三", Timerange(0, 1_000_000), TextStyle(alignment=3), Clip())
    document = ass_document(HD, [(0, track("t", TrackKind.TEXT, segment))])
    places = {
        text: (float(x), float(y))
        for x, y, text in re.findall(r"\\pos\(([\d.]+),([\d.]+)\).*\}(\S)$", document, re.M)
    }
    assert places["一"][0] == places["二"][0] > places["三"][0], "first column on the right"
    assert places["一"][1] < places["二"][1], "top to bottom"


def test_a_text_effect_colours_the_caption_as_its_title_says() -> None:
    segment = replace(
        caption("c", "Hi", Timerange(0, 1_000_000), TextStyle(), Clip()),
        effect=TextEffect("fx", "7404884940837473590"),
    )
    document = ass_document(HD, [(0, track("t", TrackKind.TEXT, segment))])
    # 黑色描边花字: black, outlined (in white, as black on black would not show).
    assert "\\1c&H000000&" in document and "\\3c&HFFFFFF&" in document
