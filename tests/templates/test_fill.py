"""The pure fill: captions and media of a template's tracks replaced, every problem collected
with its pointer, media refitted into the segment's place (trimmed, or clamped with a
warning that strict mode makes a problem)."""

from __future__ import annotations

from dataclasses import replace

from draftsmith.timeline.adjustments import CLAMPED_TO_MEDIA, TEMPLATE_TARGET_NOT_FOUND
from draftsmith.timeline.model import (
    Animation,
    Animations,
    Keyframe,
    KeyframeList,
    Media,
    MediaKind,
    MediaSegment,
    Segment,
    TextSegment,
    TextStyle,
    Timerange,
    Track,
    TrackKind,
)
from draftsmith.timeline.templates import (
    MediaBy,
    MediaFill,
    TextBy,
    TextEdit,
    TextFill,
    fill,
)

S = 1_000_000


def _media(seconds: float | None, kind: MediaKind = MediaKind.VIDEO, audio: bool = True) -> Media:
    duration = None if seconds is None else int(seconds * S)
    return Media(f"{kind}{seconds}", kind, "mp4", 10, duration, 320, 240, has_audio=audio)


def _photo() -> Media:
    return _media(None, MediaKind.IMAGE, audio=False)


def _caption(
    segment_id: str,
    text: str,
    start: int = 0,
    keywords: tuple[str, ...] = (),
    keyword_style: TextStyle | None = None,
) -> TextSegment:
    return TextSegment(
        segment_id,
        f"m-{segment_id}",
        text,
        Timerange(start, S),
        keywords=keywords,
        keyword_style=keyword_style,
    )


def _clip(segment_id: str, name: str, source: Timerange, target: Timerange) -> MediaSegment:
    return MediaSegment(segment_id, f"m-{segment_id}", _media(10), name, target, source)


def _template() -> tuple[Track, ...]:
    captions = Track(
        "t-text",
        TrackKind.TEXT,
        "text",
        (
            _caption(
                "c1",
                "{{title}} — {{title}}!",
                keywords=("{{title}}",),
                keyword_style=TextStyle(color="#ff0000"),
            ),
            _caption("c2", "by {{author}} 🎬", start=S),
            _caption("c3", "fixed", start=2 * S),
        ),
    )
    video = Track(
        "t-video",
        TrackKind.VIDEO,
        "video",
        (
            _clip("v1", "placeholder.mp4", Timerange(2 * S, 3 * S), Timerange(0, 3 * S)),
            _clip("v2", "other.mp4", Timerange(0, 2 * S), Timerange(3 * S, 2 * S)),
        ),
    )
    audio = Track(
        "t-audio",
        TrackKind.AUDIO,
        "audio",
        (_clip("a1", "music.mp3", Timerange(0, 4 * S), Timerange(0, 4 * S)),),
    )
    return captions, video, audio


def _segments(tracks: tuple[Track, ...]) -> dict[str, Segment]:
    return {s.id: s for t in tracks for s in t.segments}


def _caption_text(segment: Segment) -> str:
    assert isinstance(segment, TextSegment)
    return segment.text


def _text(pointer: str, by: TextBy, key: str, text: str) -> TextFill:
    return TextFill(pointer, by, key, text)


def test_texts_by_placeholder_segment_and_material_with_counts() -> None:
    template = _template()
    filled = fill(
        template,
        [
            _text("/texts/0", TextBy.PLACEHOLDER, "{{title}}", "夏日🎉"),
            _text("/texts/1", TextBy.SEGMENT_ID, "c3", "new words"),
            _text("/texts/2", TextBy.MATERIAL_ID, "m-c2", "by 🐱"),
        ],
        [],
        strict=False,
        max_caption_chars=100,
    )
    assert filled.problems == ()
    assert filled.warnings == ()
    segments = _segments(filled.tracks)
    c1 = segments["c1"]
    assert isinstance(c1, TextSegment)
    assert c1.text == "夏日🎉 — 夏日🎉!"
    # The keyword that was the placeholder highlights the value now.
    assert c1.keywords == ("夏日🎉",)
    assert c1.keyword_style == TextStyle(color="#ff0000")
    assert [_caption_text(segments[i]) for i in ("c2", "c3")] == ["by 🐱", "new words"]
    assert [(r.pointer, r.count, r.segment_ids) for r in filled.replacements] == [
        ("/texts/0", 2, ("c1",)),
        ("/texts/1", 1, ("c3",)),
        ("/texts/2", 1, ("c2",)),
    ]
    # The template's own tracks are values: unchanged.
    assert _segments(template)["c1"] == _template()[0].segments[0]
    assert filled.tracks[1] is template[1] and filled.tracks[2] is template[2]


def test_fills_apply_in_order_so_a_value_may_hold_the_next_placeholder() -> None:
    filled = fill(
        _template(),
        [
            _text("/texts/0", TextBy.SEGMENT_ID, "c3", "{{who}} says hi"),
            _text("/texts/1", TextBy.PLACEHOLDER, "{{who}}", "Ana"),
        ],
        [],
        strict=False,
        max_caption_chars=100,
    )
    assert _caption_text(_segments(filled.tracks)["c3"]) == "Ana says hi"


def test_targets_that_match_nothing_are_warnings_or_in_strict_mode_problems() -> None:
    texts = [
        _text("/texts/0", TextBy.PLACEHOLDER, "{{nope}}", "x"),
        _text("/texts/1", TextBy.SEGMENT_ID, "missing", "x"),
        _text("/texts/2", TextBy.MATERIAL_ID, "missing", "x"),
    ]
    media = [MediaFill("/media/0", MediaBy.NAME, "absent.mp4", None, "")]
    lenient = fill(_template(), texts, media, strict=False, max_caption_chars=100)
    assert lenient.problems == ()
    assert [(w.field, w.code) for w in lenient.warnings] == [
        ("/texts/0", TEMPLATE_TARGET_NOT_FOUND),
        ("/texts/1", TEMPLATE_TARGET_NOT_FOUND),
        ("/texts/2", TEMPLATE_TARGET_NOT_FOUND),
        ("/media/0", TEMPLATE_TARGET_NOT_FOUND),
    ]
    assert [r.count for r in lenient.replacements] == [0, 0, 0, 0]
    assert [t.segments for t in lenient.tracks] == [t.segments for t in _template()]
    strict = fill(_template(), texts, media, strict=True, max_caption_chars=100)
    assert [p for p, _ in strict.problems] == ["/texts/0", "/texts/1", "/texts/2", "/media/0"]
    assert "{{nope}}" in strict.problems[0][1]


def test_every_problem_is_collected_with_its_pointer() -> None:
    filled = fill(
        _template(),
        [
            _text("/texts/0", TextBy.SEGMENT_ID, "v1", "a video has no text"),
            _text("/texts/1", TextBy.SEGMENT_ID, "c3", "   "),
            _text("/texts/2", TextBy.PLACEHOLDER, "{{author}}", "x" * 200),
            _text("/texts/3", TextBy.SEGMENT_ID, "c3", "fine"),
        ],
        [MediaFill("/media/0", MediaBy.NAME, "music.mp3", _photo(), "p.png")],
        strict=False,
        max_caption_chars=100,
    )
    pointers = [p for p, _ in filled.problems]
    assert pointers == ["/texts/0", "/texts/1", "/texts/2", "/media/0"]
    messages = dict(filled.problems)
    assert "not a caption" in messages["/texts/0"]
    assert "empty" in messages["/texts/1"]
    assert "at most 100" in messages["/texts/2"]
    assert "plays audio" in messages["/media/0"]


def test_a_longer_file_keeps_the_stretch_the_segment_played_when_it_has_it() -> None:
    longer = _media(6)
    filled = fill(
        _template(),
        [],
        [MediaFill("/media/0", MediaBy.NAME, "placeholder.mp4", longer, "real.mp4")],
        strict=False,
        max_caption_chars=100,
    )
    v1 = _segments(filled.tracks)["v1"]
    assert isinstance(v1, MediaSegment)
    assert (v1.media, v1.source_name) == (longer, "real.mp4")
    assert (v1.target, v1.source) == (Timerange(0, 3 * S), Timerange(2 * S, 3 * S))
    assert filled.warnings == ()


def test_a_file_too_short_for_that_stretch_plays_from_its_start() -> None:
    filled = fill(
        _template(),
        [],
        [MediaFill("/media/0", MediaBy.MATERIAL_ID, "m-v1", _media(4), "four.mp4")],
        strict=False,
        max_caption_chars=100,
    )
    v1 = _segments(filled.tracks)["v1"]
    assert isinstance(v1, MediaSegment)
    assert (v1.target, v1.source) == (Timerange(0, 3 * S), Timerange(0, 3 * S))


def test_a_shorter_file_shortens_the_segment_with_a_warning_or_a_strict_problem() -> None:
    animations = Animations(
        "anim",
        True,
        (Animation("in", "in", "1", "1", 0, S), Animation("out", "out", "2", "2", 2 * S, S)),
    )
    keyframes = (
        KeyframeList("k", "KFTypeAlpha", (Keyframe("a", 0, 1.0), Keyframe("b", 3 * S, 0.0))),
    )
    tracks = list(_template())
    v1 = _segments(tuple(tracks))["v1"]
    assert isinstance(v1, MediaSegment)
    v1 = replace(v1, animations=animations, keyframes=keyframes)
    tracks[1] = replace(tracks[1], segments=(v1, tracks[1].segments[1]))
    media = [MediaFill("/media/0", MediaBy.NAME, "placeholder.mp4", _media(1.5), "short.mp4")]
    filled = fill(tracks, [], media, strict=False, max_caption_chars=100)
    clamped = _segments(filled.tracks)["v1"]
    assert isinstance(clamped, MediaSegment)
    assert (clamped.target, clamped.source) == (Timerange(0, 1_500_000), Timerange(0, 1_500_000))
    assert [(w.field, w.code) for w in filled.warnings] == [("/media/0", CLAMPED_TO_MEDIA)]
    assert clamped.adjustments == filled.warnings
    assert clamped.animations is not None
    assert [(a.type, a.start, a.duration) for a in clamped.animations.items] == [
        ("in", 0, S),
        ("out", 500_000, S),
    ]
    assert [k.time_offset for k in clamped.keyframes[0].keyframes] == [0]
    strict = fill(tracks, [], media, strict=True, max_caption_chars=100)
    assert [p for p, _ in strict.problems] == ["/media/0"]
    assert "use a longer file" in strict.problems[0][1]


def test_a_photo_fills_a_video_place_for_its_whole_span_and_audio_takes_sound() -> None:
    photo = _photo()
    tone = _media(8, MediaKind.AUDIO)
    filled = fill(
        _template(),
        [],
        [
            MediaFill("/media/0", MediaBy.NAME, "other.mp4", photo, "p.png"),
            MediaFill("/media/1", MediaBy.NAME, "music.mp3", tone, "t.mp3"),
        ],
        strict=False,
        max_caption_chars=100,
    )
    segments = _segments(filled.tracks)
    v2, a1 = segments["v2"], segments["a1"]
    assert isinstance(v2, MediaSegment) and isinstance(a1, MediaSegment)
    assert (v2.media, v2.target, v2.source) == (photo, Timerange(3 * S, 2 * S), Timerange(0, 2 * S))
    assert (a1.media, a1.source) == (tone, Timerange(0, 4 * S))


def test_restyle_sees_each_caption_before_and_after_with_the_edit() -> None:
    seen: list[tuple[str, str, str]] = []

    def restyle(before: TextSegment, after: TextSegment, edit: TextEdit) -> TextSegment:
        done = edit(before.text, ((0, 2),))
        seen.append((before.text, after.text, done.text))
        return after

    fill(
        _template(),
        [_text("/texts/0", TextBy.PLACEHOLDER, "{{author}}", "Kim")],
        [],
        strict=False,
        max_caption_chars=100,
        restyle=restyle,
    )
    assert seen == [("by {{author}} 🎬", "by Kim 🎬", "by Kim 🎬")]
