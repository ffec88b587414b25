"""Chinese, Japanese and emoji captions are drawn with real glyphs from the installed fonts."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from draftsmith.render import render_draft
from draftsmith.render.captions import CAPTION_FONT, FONT_HEIGHT_PER_EM
from draftsmith.render.fonts import font_dirs, fontconfig_xml
from draftsmith.timeline.model import Canvas, Clip, Draft, TextStyle, TrackKind
from render.drafts import CAPTION, caption, span, track
from render.probe import Picture, frames_at

TOFU = "\ue000"
"""A private-use character no installed font has: libass draws the missing-glyph box."""
CAPTION_FONT_FILE = ("noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc")
EMOJI_FONT_FILE = ("manimgx_fonts", "NotoEmoji[wght].ttf")


def font_file(entry: tuple[str, str]) -> Path:
    """A font file of one of the font packages (`render.fonts.FONT_PACKAGES`)."""
    package, name = entry
    return Path(str(resources.files(package))) / name


def caption_face() -> TTFont:
    collection = TTCollection(str(font_file(CAPTION_FONT_FILE)))
    for face in collection.fonts:
        if face["name"].getDebugName(1) == CAPTION_FONT:
            return face
    raise AssertionError(f"{CAPTION_FONT} is not in {CAPTION_FONT_FILE}")


def test_caption_font_covers_chinese_and_japanese_and_emoji_font_the_rest() -> None:
    cjk = caption_face().getBestCmap()
    emoji = TTFont(str(font_file(EMOJI_FONT_FILE))).getBestCmap()
    for char in CAPTION.replace(" ", ""):
        assert ord(char) in cjk or ord(char) in emoji, f"no font has {char!r}"
    assert ord("🎬") in emoji


def test_libass_size_ratio_matches_the_caption_font() -> None:
    face = caption_face()
    os2 = face["OS/2"]
    ratio = (os2.usWinAscent + os2.usWinDescent) / face["head"].unitsPerEm
    assert ratio == pytest.approx(FONT_HEIGHT_PER_EM)


def test_fontconfig_lists_only_the_packaged_fonts(tmp_path: Path) -> None:
    xml = fontconfig_xml(font_dirs(), tmp_path / "cache")
    assert xml.count("<dir>") == len(font_dirs()) == 2
    assert f"<cachedir>{tmp_path / 'cache'}</cachedir>" in xml
    assert all(directory.is_dir() for directory in font_dirs())


GLYPHS = ("你", "こ", "🎬", TOFU, " ")
BOX = (110, 70, 210, 170)


@pytest.fixture(scope="module")
def glyph_frames(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Picture]:
    """One big glyph per 200 ms on a black 320x240 canvas, each sampled mid-way."""
    style = TextStyle(font_size=40)
    captions = [
        caption(f"g{i}", glyph, span(i * 200, (i + 1) * 200), style, Clip())
        for i, glyph in enumerate(GLYPHS)
    ]
    draft = Draft(
        id="20250101000000feedfacecafe0001",
        name="glyphs",
        canvas=Canvas(320, 240, 30),
        created_at_us=0,
        tracks=(track("glyphs", TrackKind.TEXT, *captions),),
    )
    output = render_draft(draft, {}, tmp_path_factory.mktemp("glyphs") / "glyphs.mp4")
    times = [i * 0.2 + 0.1 for i in range(len(GLYPHS))]
    frames = frames_at(output, times)
    return {glyph: frames[t] for glyph, t in zip(GLYPHS, times, strict=True)}


def test_missing_glyph_box_is_visible(glyph_frames: dict[str, Picture]) -> None:
    # Otherwise the comparisons below could not tell a glyph from a box.
    assert glyph_frames[TOFU].changed(glyph_frames[" "], BOX) > 100


@pytest.mark.parametrize("glyph", ["你", "こ", "🎬"])
def test_glyph_is_drawn_not_a_box(glyph_frames: dict[str, Picture], glyph: str) -> None:
    frame = glyph_frames[glyph]
    assert frame.changed(glyph_frames[" "], BOX) > 100, f"{glyph!r} drew nothing"
    assert frame.changed(glyph_frames[TOFU], BOX) > 100, f"{glyph!r} drew the missing-glyph box"
