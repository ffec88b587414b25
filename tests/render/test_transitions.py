"""Which segments a transition joins, how long it is drawn, and with which xfade transition."""

from __future__ import annotations

from dataclasses import replace

from draftsmith.render.transitions import Cut, cuts, joined_runs, xfade_name
from draftsmith.timeline.model import MediaSegment, Transition
from render.drafts import BLUE, MS, media_segment, span


def with_transition(segment: MediaSegment, name: str, duration_ms: int) -> MediaSegment:
    transition = Transition(f"tr-{segment.id}", name, "1", "2", duration_ms * MS, True)
    return replace(segment, transition=transition)


def image(name: str, start_ms: int, end_ms: int) -> MediaSegment:
    return media_segment(name, BLUE, span(start_ms, end_ms))


def test_a_transition_joins_only_the_next_adjacent_segment() -> None:
    a = with_transition(image("a", 0, 1000), "叠化", 400)
    b = with_transition(image("b", 1000, 2000), "叠化", 400)
    c = image("c", 2500, 3000)  # a gap after b: b's transition has nothing to go into
    d = image("d", 3000, 4000)  # no transition on c: a plain cut
    assert [[s.id for s in run] for run in joined_runs([a, b, c, d])] == [
        ["seg-a", "seg-b"],
        ["seg-c"],
        ["seg-d"],
    ]


def test_the_transition_plays_half_before_and_half_after_the_cut() -> None:
    a = with_transition(image("a", 0, 1000), "向左擦除", 401)
    [cut] = cuts([a, image("b", 1000, 2000)])
    assert cut == Cut("wipeleft", 401 * MS)
    assert (cut.before, cut.after) == (200_500, 200_500)


def test_a_transition_longer_than_its_segments_leave_is_shortened() -> None:
    a = with_transition(image("a", 0, 1000), "叠化", 1000)
    b = with_transition(image("b", 1000, 1400), "闪黑", 1000)
    c = image("c", 1400, 3000)
    first, second = cuts([a, b, c])
    # b lasts 0.4 s: the first transition may take all of it (half after the cut) ...
    assert first == Cut("fade", 800 * MS)
    # ... and the second gets what the first left of b, on each side of its own cut.
    assert second == Cut("fadeblack", 0)


def test_names_without_an_xfade_look_alike_cross_fade() -> None:
    assert xfade_name("闪白") == "fadewhite"
    assert xfade_name("推近") == "zoomin"
    assert xfade_name("3D空间") == "fade"
