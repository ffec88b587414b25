"""Style ranges follow a caption's text through a replacement, in UTF-16 code units: examples
with emoji and CJK on both sides, then properties over many generated texts, checked against
a character-by-character model of which run each character belongs to."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from draftsmith.timeline.text_ranges import Span, replace_all, replace_whole, utf16_length


def test_utf16_counts_emoji_twice_and_cjk_once() -> None:
    assert utf16_length("a世🎉") == 1 + 1 + 2


def test_runs_around_a_placeholder_keep_their_text_and_the_covering_run_stretches() -> None:
    text = "Hi {{name}}, 🎉!"
    runs = ((0, 3), (3, 11), (11, 16))  # "Hi ", "{{name}}", ", 🎉!"
    done = replace_all(text, runs, "{{name}}", "世界🌍")
    assert done.text == "Hi 世界🌍, 🎉!"
    assert done.count == 1
    assert done.spans == ((0, 3), (3, 7), (7, 12))
    assert _units(done.text, done.spans[1]) == "世界🌍"
    assert _units(done.text, done.spans[2]) == ", 🎉!"


def test_an_emoji_placeholder_shrinks_to_a_shorter_value() -> None:
    text = "🎬{{🎬}}🎬 end"
    whole = ((0, utf16_length(text)),)
    done = replace_all(text, ((0, 2), (2, 8), (8, 14), *whole), "{{🎬}}", "x")
    assert done.text == "🎬x🎬 end"
    assert done.spans == ((0, 2), (2, 3), (3, 9), (0, 9))


def test_every_occurrence_is_replaced_and_ranges_after_each_shift() -> None:
    done = replace_all("{{a}}-{{a}}-z", ((5, 6), (11, 12), (12, 13)), "{{a}}", "長い")
    assert done.text == "長い-長い-z"
    assert done.count == 2
    assert done.spans == ((2, 3), (5, 6), (6, 7))


def test_a_run_boundary_inside_the_placeholder_gives_the_value_to_the_run_it_starts_in() -> None:
    # "{{ti" is bold, "tle}} now" plain: the value goes to the bold run, the plain run keeps " now".
    done = replace_all("{{title}} now", ((0, 4), (4, 13)), "{{title}}", "夏日")
    assert done.spans == ((0, 2), (2, 6))
    assert _units(done.text, done.spans[1]) == " now"


def test_an_empty_value_empties_the_run_that_only_held_the_placeholder() -> None:
    done = replace_all("a{{x}}b", ((0, 1), (1, 6), (6, 7)), "{{x}}", "")
    assert done.text == "ab"
    assert done.spans == ((0, 1), (1, 1), (1, 2))


def test_nothing_matched_changes_nothing() -> None:
    done = replace_all("plain", ((0, 5),), "{{x}}", "y")
    assert (done.text, done.spans, done.count) == ("plain", ((0, 5),), 0)


def test_a_whole_text_replacement_gives_the_new_text_to_the_first_run() -> None:
    done = replace_whole("ab🎉", ((0, 1), (1, 4)), "新しい🎉")
    assert done.text == "新しい🎉"
    assert done.spans == ((0, 5), (5, 5))
    assert done.count == 1


# --- properties --------------------------------------------------------------------------------

_CHARS = st.sampled_from(["a", "Z", " ", "世", "界", "🎉", "👍", "🌍", "{", "}", "\n"])
_PLACEHOLDERS = st.sampled_from(["{{title}}", "{{名前}}", "{{🎬}}", "<x>", "🎉", "ab"])
_VALUES = st.text(alphabet=st.sampled_from(["b", "夏", "😀", " ", "{"]), max_size=6)


@st.composite
def _templates(draw: st.DrawFn) -> tuple[str, str, str, tuple[int, ...]]:
    """A text with the placeholder somewhere (or not), a value, and run boundaries at
    character positions (a partition of the text into runs)."""
    placeholder = draw(_PLACEHOLDERS)
    pieces = draw(
        st.lists(st.one_of(st.text(_CHARS, max_size=5), st.just(placeholder)), max_size=6)
    )
    text = "".join(pieces)
    value = draw(_VALUES)
    cuts = draw(st.lists(st.integers(0, len(text)), max_size=5))
    return text, placeholder, value, tuple(sorted(set(cuts) - {0, len(text)}))


def _runs(text: str, cuts: tuple[int, ...]) -> tuple[Span, ...]:
    bounds = [0, *cuts, len(text)]
    return tuple((utf16_length(text[:a]), utf16_length(text[:b])) for a, b in pairwise(bounds))


def _units(text: str, span: Span) -> str:
    data = text.encode("utf-16-le")
    return data[2 * span[0] : 2 * span[1]].decode("utf-16-le")


def _expected_labels(text: str, cuts: tuple[int, ...], old: str, new: str) -> list[int]:
    """Which run each UTF-16 unit of the new text should be in, worked out character by
    character: a kept character stays in its run; a placeholder's value goes to the run of
    the placeholder's first character."""
    run_of = [sum(1 for c in cuts if c <= i) for i in range(len(text))]
    labels: list[int] = []
    i = 0
    while i < len(text):
        if text.startswith(old, i):
            labels += [run_of[i]] * utf16_length(new)
            i += len(old)
        else:
            labels += [run_of[i]] * utf16_length(text[i])
            i += 1
    return labels


@settings(max_examples=400, deadline=None, database=None)
@given(_templates())
def test_runs_still_partition_the_text_and_hold_what_they_held(
    case: tuple[str, str, str, tuple[int, ...]],
) -> None:
    text, old, new, cuts = case
    done = replace_all(text, _runs(text, cuts), old, new)
    assert done.text == text.replace(old, new)
    assert done.count == text.count(old)
    spans = done.spans
    assert spans[0][0] == 0
    assert spans[-1][1] == utf16_length(done.text)
    assert all(a[1] == b[0] for a, b in pairwise(spans))
    labels = [i for i, (start, end) in enumerate(spans) for _ in range(start, end)]
    assert labels == _expected_labels(text, cuts, old, new)
    # No boundary splits an emoji: every run decodes on its own.
    assert "".join(_units(done.text, s) for s in spans) == done.text


@settings(max_examples=400, deadline=None, database=None)
@given(_templates(), st.data())
def test_a_range_that_covers_whole_placeholders_holds_their_values(
    case: tuple[str, str, str, tuple[int, ...]], data: st.DataObject
) -> None:
    text, old, new, _ = case
    inside: set[int] = set()
    at = text.find(old)
    while at != -1:
        inside.update(range(at + 1, at + len(old)))
        at = text.find(old, at + len(old))
    outside = [i for i in range(len(text) + 1) if i not in inside]
    a = data.draw(st.sampled_from(outside))
    b = data.draw(st.sampled_from([i for i in outside if i >= a]))
    span = (utf16_length(text[:a]), utf16_length(text[:b]))
    done = replace_all(text, (span,), old, new)
    assert _units(done.text, done.spans[0]) == text[a:b].replace(old, new)
