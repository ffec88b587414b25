"""Find out what a downloaded file really is (not what its name or Content-Type claim)."""

from __future__ import annotations

from pathlib import Path

import av
import av.error

from draftsmith.errors import MediaRejected
from draftsmith.timeline.model import MICROSECONDS_PER_SECOND, Media, MediaKind

_IMAGE_FORMATS = {
    "png_pipe": "png",
    "apng": "png",
    "jpeg_pipe": "jpg",
    "webp_pipe": "webp",
    "bmp_pipe": "bmp",
    "tiff_pipe": "tiff",
    "gif": "gif",
}
_CONTAINER_EXTENSIONS = {
    "mov,mp4,m4a,3gp,3g2,mj2": ("mp4", "m4a"),
    "matroska,webm": ("mkv", "mka"),
    "avi": ("avi", "avi"),
    "flv": ("flv", "flv"),
    "mpegts": ("ts", "ts"),
    "mp3": ("mp3", "mp3"),
    "wav": ("wav", "wav"),
    "ogg": ("ogv", "ogg"),
    "flac": ("flac", "flac"),
    "aac": ("aac", "aac"),
}


def probe(field: str, path: Path, sha256: str, size: int) -> Media:
    """Open the file with FFmpeg's demuxers and describe it; non-media is rejected."""
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            format_name = container.format.name
            video = [
                s
                for s in container.streams.video
                if not s.disposition & av.stream.Disposition.attached_pic
            ]
            audio = list(container.streams.audio)
            duration = container.duration
            if format_name in _IMAGE_FORMATS or format_name == "image2":
                if not video:
                    raise MediaRejected(f"{field}: the file is not a readable image")
                return Media(
                    sha256=sha256,
                    kind=MediaKind.IMAGE,
                    extension=_IMAGE_FORMATS.get(format_name, "png"),
                    size=size,
                    duration_us=None,
                    width=video[0].codec_context.width,
                    height=video[0].codec_context.height,
                )
            if duration is None or duration <= 0:
                stream = (video or audio or [None])[0]
                if stream is not None and stream.duration and stream.time_base:
                    duration = int(stream.duration * stream.time_base * MICROSECONDS_PER_SECOND)
    except av.error.FFmpegError as exc:
        raise MediaRejected(f"{field}: the file is not a video, audio or image file") from exc
    if not video and not audio:
        raise MediaRejected(f"{field}: the file has no video or audio stream")
    if not duration or duration <= 0:
        raise MediaRejected(f"{field}: the file's duration cannot be read")
    video_ext, audio_ext = _CONTAINER_EXTENSIONS.get(format_name, ("mp4", "m4a"))
    if video:
        return Media(
            sha256=sha256,
            kind=MediaKind.VIDEO,
            extension=video_ext,
            size=size,
            duration_us=int(duration),
            width=video[0].codec_context.width,
            height=video[0].codec_context.height,
            has_audio=bool(audio),
        )
    return Media(
        sha256=sha256,
        kind=MediaKind.AUDIO,
        extension=audio_ext,
        size=size,
        duration_us=int(duration),
        width=None,
        height=None,
        has_audio=True,
    )
