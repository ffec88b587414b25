"""Sticker pictures for the render tests, made with the ffmpeg of imageio-ffmpeg: a PNG whose
border is transparent, a WebP and an animated GIF whose frames differ."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from support.media import run_ffmpeg

SIZE_PX = 40
"""Each picture is SIZE_PX square."""
PNG_INNER_PX = 20
"""The PNG's opaque lime square, centred; the rest of it is transparent."""

LIME = (0, 255, 0)
YELLOW = (255, 255, 0)
MAGENTA = (255, 0, 255)
RED = (255, 0, 0)


@dataclass(frozen=True)
class StickerPictures:
    directory: Path
    png: str
    """lime square, transparent border"""
    webp: str
    """all yellow"""
    gif: str
    """magenta for its first frame, red for its second"""


def make_sticker_pictures(directory: Path) -> StickerPictures:
    directory.mkdir(parents=True, exist_ok=True)
    border = (SIZE_PX - PNG_INNER_PX) // 2
    run_ffmpeg(
        *("-f", "lavfi", "-i", f"color=c=lime:size={PNG_INNER_PX}x{PNG_INNER_PX}"),
        *("-vf", f"format=rgba,pad={SIZE_PX}:{SIZE_PX}:{border}:{border}:color=black@0"),
        *("-frames:v", "1", "-update", "1", str(directory / "sticker.png")),
    )
    run_ffmpeg(
        *("-f", "lavfi", "-i", f"color=c=yellow:size={SIZE_PX}x{SIZE_PX}"),
        *("-frames:v", "1", "-c:v", "libwebp", "-lossless", "1", str(directory / "sticker.webp")),
    )
    frame = f"size={SIZE_PX}x{SIZE_PX}:rate=5:duration=0.4"
    run_ffmpeg(
        *("-f", "lavfi", "-i", f"color=c=magenta:{frame}"),
        *("-f", "lavfi", "-i", f"color=c=red:{frame}"),
        *("-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0,format=rgb8[v]", "-map", "[v]"),
        *("-loop", "0", str(directory / "sticker.gif")),
    )
    return StickerPictures(directory, "sticker.png", "sticker.webp", "sticker.gif")
