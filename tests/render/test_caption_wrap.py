"""Caption wrapping sums each line's width as the line grows; its breaks are exactly those of
measuring every candidate line from scratch, whatever the letter spacing and scale."""

from __future__ import annotations

import pytest

from draftsmith.render.caption_layout import Measure, tokens

TEXTS = [
    "第1条字幕 caption number 1 🎬",
    "a fairly long Latin sentence that has to wrap more than once on a narrow canvas",
    "中文字幕很长很长很长很长很长很长很长很长很长很长，还有标点。然后继续写下去",
    "mixed 中文 and English, with punctuation: yes! 还有「引号」and   several   spaces",
    "first paragraph\nsecond paragraph that is long enough to wrap\r\nthird\rfourth",
    "   leading and trailing spaces   ",
    "",
    "x",
]


def _from_scratch(measure: Measure, text: str, max_width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = ""
        for token in tokens(paragraph):
            if line.strip() and measure.width(line + token.rstrip()) > max_width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(
    ("em", "scale_x", "spacing", "max_width"),
    [(60.0, 1.0, 0.0, 262.4), (86.88, 1.3, 4.5, 1574.4), (17.3, 0.7, -1.2, 80.0), (40, 1, 0, 33)],
)
def test_wrapping_breaks_where_measuring_each_line_afresh_does(
    text: str, em: float, scale_x: float, spacing: float, max_width: float
) -> None:
    measure = Measure(em, scale_x, spacing)
    wrapped = measure.wrap(text, max_width)
    assert wrapped == _from_scratch(measure, text, max_width)
    if len(text) > 40:
        assert len(wrapped) > 1, "the long texts do wrap at these widths"
