"""An imported caption's editor-made content through a fill: its runs carried to the new text
beside the encoder's new content, or, when its text is not the caption's, left for the
encoder's content (the right words, the caption's one style)."""

from __future__ import annotations

import json
from typing import Any

from draftsmith.capcut.filled_text import restyled
from draftsmith.capcut.opaque import encode_parts, parts
from draftsmith.capcut.text_material import text_material
from draftsmith.timeline.model import TextSegment, Timerange
from draftsmith.timeline.text_ranges import replace_all


def _imported(text: str, editor_text: str, runs: list[list[int]]) -> TextSegment:
    segment = TextSegment("s", "m", text, Timerange(0, 1_000_000))
    editor = {
        "styles": [{"range": r, "size": 5 + i} for i, r in enumerate(runs)],
        "text": editor_text,
    }
    built = text_material(segment)["content"]
    change = {"c": {"content": {"v": json.dumps(editor, ensure_ascii=False), "b": built}}}
    part = {"mats": [["texts", "m", change]]}
    return TextSegment("s", "m", text, Timerange(0, 1_000_000), opaque=encode_parts(part))


def _content(segment: TextSegment) -> dict[str, Any]:
    return dict(parts(segment.opaque)["mats"][0][2]["c"]["content"])


def _edit(text: str, spans: tuple[tuple[int, int], ...]) -> Any:
    return replace_all(text, spans, "{{x}}", "🎉")


def test_the_editor_runs_follow_the_new_text_and_the_built_content_is_made_anew() -> None:
    before = _imported("a{{x}}b", "a{{x}}b", [[0, 1], [1, 6], [6, 7]])
    after = TextSegment("s", "m", "a🎉b", before.target, opaque=before.opaque)
    done = _content(restyled(before, after, _edit))
    assert json.loads(done["v"]) == {
        "styles": [
            {"range": [0, 1], "size": 5},
            {"range": [1, 3], "size": 6},
            {"range": [3, 4], "size": 7},
        ],
        "text": "a🎉b",
    }
    assert done["b"] == text_material(after)["content"]


def test_a_run_left_empty_is_dropped() -> None:
    before = _imported("{{x}}b", "{{x}}b", [[0, 2], [2, 5], [5, 6]])
    after = TextSegment("s", "m", "🎉b", before.target, opaque=before.opaque)
    runs = json.loads(_content(restyled(before, after, _edit))["v"])["styles"]
    assert [r["range"] for r in runs] == [[0, 2], [2, 3]]


def test_editor_text_other_than_the_captions_is_left_to_the_encoder() -> None:
    before = _imported("a{{x}}b", "something else", [[0, 14]])
    after = TextSegment("s", "m", "a🎉b", before.target, opaque=before.opaque)
    assert restyled(before, after, _edit) is after
