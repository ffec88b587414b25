"""Where a caption's keywords are: what the draft folder styles and what a render draws."""

from __future__ import annotations


def keyword_spans(text: str, keywords: tuple[str, ...]) -> list[tuple[int, int]]:
    """Every occurrence of the keywords in `text` as sorted, non-overlapping [start, end)
    character spans; where two overlap the longer keyword wins, as capcut-mate matches them
    (add_text_style docs), then the earlier one."""
    found = []
    for word in keywords:
        at = text.find(word)
        while word and at != -1:
            found.append((at, at + len(word)))
            at = text.find(word, at + len(word))
    spans: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda span: (span[0] - span[1], span[0])):
        if all(end <= s or start >= e for s, e in spans):
            spans.append((start, end))
    return sorted(spans)
