"""An imported caption's own style runs, carried through a change of its text (fill_template).

An imported caption keeps its text material as the editor wrote it in its opaque part
(capcut/opaque.py): next to the `content` the encoder makes of the model, the `content` the
editor wrote, whose style runs (fonts, colours, sizes, keyword highlights, bubbles and text
effects, each over a range of UTF-16 code units) the model holds only the first of. When a fill
changes the caption's text, both are brought up to date: the editor's runs are carried to the
new text by the fill's own edit (timeline/text_ranges.py), and the encoder's content is made
anew from the changed caption. The export then writes the editor's runs over the new text.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from draftsmith.capcut.opaque import encode_parts, parts
from draftsmith.capcut.text_material import text_material
from draftsmith.timeline.model import TextSegment
from draftsmith.timeline.templates import TextEdit
from draftsmith.timeline.text_ranges import Span

Json = dict[str, Any]


def restyled(before: TextSegment, after: TextSegment, edit: TextEdit) -> TextSegment:
    """`after` (the caption `before` with `edit` applied to its text) with its imported
    content, if it has one, changed alike."""
    kept = parts(before.opaque)
    changed = False
    for entry in kept.get("mats", []):
        if not (isinstance(entry, list) and len(entry) == 3):
            continue
        name, material_id, change = entry
        if name != "texts" or material_id != before.material_id or not isinstance(change, dict):
            continue
        content = change.get("c", {}).get("content")
        if not (isinstance(content, dict) and isinstance(content.get("v"), str)):
            continue
        carried = _carried(content["v"], edit, after.text)
        if carried is None:
            continue
        content["v"] = carried
        # What the encoder makes of the changed caption: the export sees it unchanged and
        # writes the editor's content instead.
        content["b"] = text_material(after)["content"]
        changed = True
    return replace(after, opaque=encode_parts(kept)) if changed else after


def _carried(text: str, edit: TextEdit, expected: str) -> str | None:
    """The editor's content JSON `text` with `edit` applied to its text and every style run's
    range carried along (runs left empty dropped); None when it is not such content, or when
    its text does not become `expected`, the caption's (then the encoder's content is written,
    with the right words and the caption's one style)."""
    try:
        content = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(content, dict) or not isinstance(content.get("text"), str):
        return None
    styles = content.get("styles")
    listed = styles if isinstance(styles, list) else []
    ranged = [
        (index, span)
        for index, style in enumerate(listed)
        if isinstance(style, dict) and (span := _span(style.get("range"))) is not None
    ]
    done = edit(content["text"], tuple(span for _, span in ranged))
    if done.text != expected:
        return None
    emptied = set()
    for (index, _), (start, end) in zip(ranged, done.spans, strict=True):
        listed[index]["range"] = [start, end]
        if start == end:
            emptied.add(index)
    if emptied:
        content["styles"] = [style for index, style in enumerate(listed) if index not in emptied]
    content["text"] = done.text
    return json.dumps(content, ensure_ascii=False)


def _span(value: Any) -> Span | None:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(type(i) is int for i in value)
        and 0 <= value[0] <= value[1]
    ):
        return value[0], value[1]
    return None
