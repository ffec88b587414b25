"""Render benchmark: a 30 s 1080p30 draft rendered to MP4, next to the plain-encode floor.

The draft: two 12 s video clips with sound (1920x1080, and 1280x720 scaled up to fit) around a
6 s still image, a 30 s music track at volume 0.6, and ten 3 s captions (Chinese, Latin, an
emoji; bordered). The floor: plain ffmpeg encoding 30 s of a 1080p30 `color` source plus
silence with exactly the render's encoder arguments, which no render can beat. Each run is in
a fresh process so that its RUSAGE_CHILDREN peak is that of its ffmpeg alone.

With `--content pattern` the clips are moving test patterns instead of solid colours, and the
floor encodes the same pattern: x264 then dominates both.

Renders and floors alternate, so that a change in the machine's speed hits both alike. On a
virtual machine whose speed drifts from minute to minute (a floor's CPU time moving by a third
between runs), the ratio of the best render to the best floor can pair a slow minute with a
fast one; the median of each render's ratio to the floor run right after it is the steadier
figure, and is printed too.

`--drafts styled` renders the same draft styled as workflows style it: both clips masked (a
feathered circle, a rounded rectangle) and keyframed (one drifts and zooms, one drifts), every
caption animated in and out, a filter over the whole draft and a 3 s blur effect.

Run: python bench/render_bench.py [--content solid|pattern] [--drafts plain,styled] [--repeats N]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

import imageio_ffmpeg

from draftsmith.render import EncoderSettings, render_draft
from draftsmith.render.planner import AUDIO_RATE
from draftsmith.timeline.model import (
    Animation,
    Animations,
    Canvas,
    Clip,
    Draft,
    EffectSegment,
    Keyframe,
    KeyframeList,
    Mask,
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
from harness import machine_line

S = 1_000_000
CANVAS = Canvas(1920, 1080, 30)
DURATION_S = 30
SETTINGS = EncoderSettings()
# lavfi sources, each ready for its size option to follow.
SOURCES = {
    "solid": ("color=c=0x3060c0:", "color=c=0xc06030:"),
    "pattern": ("testsrc2=", "testsrc2="),
}


def ffmpeg(*args: str) -> None:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    subprocess.run([*command, *args], check=True)


def make_media(directory: Path, content: str) -> dict[str, Path]:
    first, second = SOURCES[content]
    clips = {"clip-a": (first, "1920x1080"), "clip-b": (second, "1280x720")}
    for name, (source, size) in clips.items():
        ffmpeg(
            *("-f", "lavfi", "-i", f"{source}size={size}:rate=30:duration=12"),
            *("-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100:duration=12"),
            *("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"),
            *("-c:a", "aac", "-b:a", "128k", str(directory / f"{name}.mp4")),
        )
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc2=size=1920x1080", "-frames:v", "1"),
        *("-update", "1", str(directory / "still.png")),
    )
    ffmpeg(
        *("-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=44100:duration={DURATION_S}"),
        *("-c:a", "libmp3lame", "-b:a", "128k", str(directory / "music.mp3")),
    )
    return {name: directory / f"{name}.{ext}" for name, ext in _FILES.items()}


_FILES = {"clip-a": "mp4", "clip-b": "mp4", "still": "png", "music": "mp3"}


def _media(name: str, kind: MediaKind, seconds: int | None, size: tuple[int, int] | None) -> Media:
    width, height = size or (None, None)
    us = seconds * S if seconds else None
    return Media(name, kind, _FILES[name], 0, us, width, height, kind is MediaKind.VIDEO)


def _segment(name: str, media: Media, start_s: int, end_s: int, volume: float = 1.0) -> Segment:
    target = Timerange(start_s * S, (end_s - start_s) * S)
    clip = None if media.kind is MediaKind.AUDIO else Clip()
    return MediaSegment(
        name, f"m-{name}", media, name, target, Timerange(0, target.duration), volume, clip
    )


def bench_draft() -> Draft:
    clip_a = _media("clip-a", MediaKind.VIDEO, 12, (1920, 1080))
    clip_b = _media("clip-b", MediaKind.VIDEO, 12, (1280, 720))
    still = _media("still", MediaKind.IMAGE, None, (1920, 1080))
    music = _media("music", MediaKind.AUDIO, DURATION_S, None)
    video = (
        _segment("a", clip_a, 0, 12),
        _segment("still", still, 12, 18),
        _segment("b", clip_b, 18, 30),
    )
    style = TextStyle(font_size=12, border_color="#000000")
    captions: tuple[Segment, ...] = tuple(
        TextSegment(
            f"c{i}",
            f"m-c{i}",
            f"第{i + 1}条字幕 caption number {i + 1} 🎬",
            Timerange(i * 3 * S, 3 * S),
            style,
            Clip(transform_y=400),
        )
        for i in range(10)
    )
    return Draft(
        id="bench",
        name="render bench",
        canvas=CANVAS,
        created_at_us=0,
        tracks=(
            Track("video", TrackKind.VIDEO, "video", video),
            Track("music", TrackKind.AUDIO, "music", (_segment("music", music, 0, 30, 0.6),)),
            Track("captions", TrackKind.TEXT, "captions", captions),
        ),
    )


def _keys(name: str, prop: str, *points: tuple[int, float]) -> KeyframeList:
    keys = tuple(Keyframe(f"{name}-{n}", t * S, v) for n, (t, v) in enumerate(points))
    return KeyframeList(name, prop, keys)


def _mask(
    name: str, shape: str, width: float, height: float, feather: float = 0.0, corner: float = 0.0
) -> Mask:
    return Mask(
        name, name, shape, "0", 0.0, 0.0, width, height, 1.0, feather=feather, round_corner=corner
    )


def styled_draft() -> Draft:
    """`bench_draft` with both clips masked and keyframed, animated captions, a filter and an
    effect."""
    plain = bench_draft()
    video, music, captions = plain.tracks
    a, still, b = video.segments
    assert isinstance(a, MediaSegment) and isinstance(b, MediaSegment)
    a = replace(
        a,
        mask=_mask("圆形", "circle", 0.5, 0.9, feather=0.3),
        keyframes=(
            _keys("ax", "KFTypePositionX", (0, -0.2), (12, 0.2)),
            _keys("as", "KFTypeScaleX", (0, 1.0), (12, 1.2)),
            _keys("ay", "KFTypeScaleY", (0, 1.0), (12, 1.2)),
        ),
    )
    b = replace(
        b,
        mask=_mask("矩形", "rectangle", 0.8, 0.8, corner=0.3),
        keyframes=(_keys("by", "KFTypePositionY", (0, 0.1), (12, -0.1)),),
    )
    moves = ("向上滑动", "放大", "向左滑动", "打字机 I", "弹入")
    texts = [s for s in captions.segments if isinstance(s, TextSegment)]
    animated = tuple(
        replace(
            segment,
            animations=Animations(
                f"anim-{n}",
                False,
                (
                    Animation("in", moves[n % len(moves)], "0", "0", 0, S // 2),
                    Animation("out", "渐隐", "0", "0", 5 * S // 2, S // 2),
                ),
            ),
        )
        for n, segment in enumerate(texts)
    )
    blur = EffectSegment("e", "m-e", "模糊", "video_effect", "0", "0", Timerange(12 * S, 3 * S))
    looks = (
        Track(
            "filter",
            TrackKind.FILTER,
            "filter",
            (EffectSegment("f", "m-f", "冷蓝", "filter", "0", "0", Timerange(0, 30 * S), 0.8),),
        ),
        Track(
            "effect",
            TrackKind.EFFECT,
            "effect",
            (blur,),
        ),
    )
    return replace(
        plain,
        tracks=(
            replace(video, segments=(a, still, b)),
            *looks,
            music,
            replace(captions, segments=animated),
        ),
    )


DRAFTS = {"plain": bench_draft, "styled": styled_draft}


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float


def _finish(start: float) -> Run:
    """The run since `start`, with the CPU time and peak memory of this process's children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(time.perf_counter() - start, cpu, usage.ru_maxrss / 1024)


def _render_once(media_dir: str, output: str, preset: str, draft: str = "plain") -> Run:
    paths = {name: Path(media_dir) / f"{name}.{ext}" for name, ext in _FILES.items()}
    start = time.perf_counter()
    render_draft(DRAFTS[draft](), paths, Path(output), settings=EncoderSettings(preset=preset))
    return _finish(start)


def _floor_once(content: str, output: str, preset: str) -> Run:
    source = "color=c=black:" if content == "solid" else "testsrc2="
    size = f"{CANVAS.width}x{CANVAS.height}"
    start = time.perf_counter()
    ffmpeg(
        *("-f", "lavfi", "-i", f"{source}size={size}:rate={CANVAS.fps}:duration={DURATION_S}"),
        *("-f", "lavfi", "-i", f"anullsrc=r={AUDIO_RATE}:cl=stereo"),
        *EncoderSettings(preset=preset).encoder_args(CANVAS),
        *("-t", str(DURATION_S), "-f", "mp4", output),
    )
    return _finish(start)


def in_fresh_process(function: Callable[..., Run], *args: str) -> Run:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def compare(
    directory: Path, content: str, preset: str, repeats: int, draft: str = "plain"
) -> tuple[list[Run], list[Run]]:
    """`repeats` renders and floors, alternating so load hits both alike."""
    renders, floors = [], []
    for _ in range(repeats):
        out = str(directory / "out.mp4")
        renders.append(in_fresh_process(_render_once, str(directory), out, preset, draft))
        floors.append(in_fresh_process(_floor_once, content, str(directory / "floor.mp4"), preset))
    return renders, floors


def _fastest(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.seconds)


def _pair_ratios(renders: list[Run], floors: list[Run]) -> str:
    """The median ratio of each render to the floor run after it: wall, CPU."""
    wall = statistics.median(r.seconds / f.seconds for r, f in zip(renders, floors, strict=True))
    cpu = statistics.median(
        r.cpu_seconds / f.cpu_seconds for r, f in zip(renders, floors, strict=True)
    )
    return f"{wall:.2f}x / {cpu:.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", choices=sorted(SOURCES), default="solid")
    parser.add_argument("--presets", default=SETTINGS.preset, help="comma-separated x264 presets")
    parser.add_argument("--drafts", default="plain", help="comma-separated: plain, styled")
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    print(f"machine: {machine_line()}")
    print(f"encoder: libx264 -crf {SETTINGS.crf}, aac {SETTINGS.audio_bitrate_kbps}k")
    print(f"content: {options.content} clips; best of {options.repeats} runs (by wall time)")
    print(
        "| draft | preset | render s (CPU s) | floor s (CPU s) | ratio wall | ratio CPU "
        "| median pair ratio wall / CPU | peak RSS MiB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as temp:
        directory = Path(temp)
        make_media(directory, options.content)
        for draft, preset in (
            (d, p) for d in options.drafts.split(",") for p in options.presets.split(",")
        ):
            renders, floors = compare(directory, options.content, preset, options.repeats, draft)
            render, floor = _fastest(renders), _fastest(floors)
            print(
                f"| {draft} | {preset} | {render.seconds:.2f} ({render.cpu_seconds:.2f}) "
                f"| {floor.seconds:.2f} ({floor.cpu_seconds:.2f}) "
                f"| {render.seconds / floor.seconds:.2f}x "
                f"| {render.cpu_seconds / floor.cpu_seconds:.2f}x "
                f"| {_pair_ratios(renders, floors)} "
                f"| {render.peak_rss_mib:.0f} (floor {floor.peak_rss_mib:.0f}) |",
                flush=True,
            )


if __name__ == "__main__":
    main()
