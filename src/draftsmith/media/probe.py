"""Find out what a downloaded file really is (not what its name or Content-Type claim)."""

from __future__ import annotations

from pathlib import Path

import av
import av.error

from draftsmith.errors import MediaRejected
from draftsmith.media.budget import MediaBudget
from draftsmith.media.dimensions import picture_size
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
# A decoder list naming no decoder: FFmpeg may demux and parse, but not decode.
_NO_DECODERS = {"codec_whitelist": "draftsmith-no-decoder"}
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


def probe(
    field: str, path: Path, sha256: str, size: int, budget: MediaBudget | None = None
) -> Media:
    """Open the file with FFmpeg's demuxers and describe it; non-media is rejected, and so is
    media over the budget's picture size or length (an image's declared size is checked
    before FFmpeg opens it)."""
    budget = budget or MediaBudget()
    declared = picture_size(path)
    if declared is not None:
        _, width, height = declared
        budget.check_picture(field, "image", width, height)
    else:
        _check_declared_sizes(field, path, budget)
    options = budget.decoder_options()
    try:
        with av.open(str(path), metadata_errors="ignore", options=options) as container:
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
                width, height = _picture(field, "image", video[0], budget)
                return Media(
                    sha256=sha256,
                    kind=MediaKind.IMAGE,
                    extension=_IMAGE_FORMATS.get(format_name, "png"),
                    size=size,
                    duration_us=None,
                    width=width,
                    height=height,
                )
            sizes = [_picture(field, "video", stream, budget) for stream in video]
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
    budget.check_duration(field, int(duration))
    video_ext, audio_ext = _CONTAINER_EXTENSIONS.get(format_name, ("mp4", "m4a"))
    if video:
        return Media(
            sha256=sha256,
            kind=MediaKind.VIDEO,
            extension=video_ext,
            size=size,
            duration_us=int(duration),
            width=sizes[0][0],
            height=sizes[0][1],
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


def _check_declared_sizes(field: str, path: Path, budget: MediaBudget) -> None:
    """Refuse a picture whose size, as the container and FFmpeg's parsers declare it, is over
    the budget. No decoder may run here, so nothing is decoded whatever the size. The probe
    after it gives every decoder the pixel limit, but only for streams the container lists in
    its header: streams that appear while FFmpeg reads packets (FLV, MPEG program streams)
    are decoded without it, so their size must be known to be within the limit first."""
    try:
        with av.open(
            str(path), metadata_errors="ignore", container_options=_NO_DECODERS
        ) as container:
            what = "image" if container.format.name in _IMAGE_FORMATS else "video"
            for stream in container.streams.video:
                context: av.VideoCodecContext | None = stream.codec_context
                if stream.disposition & av.stream.Disposition.attached_pic or context is None:
                    continue  # cover art is decoded with the limit, as its stream is listed
                if context.width and context.height:
                    budget.check_picture(field, what, context.width, context.height)
    except av.error.FFmpegError:
        return  # the probe proper says what is wrong with the file


def _picture(
    field: str, what: str, stream: av.video.stream.VideoStream, budget: MediaBudget
) -> tuple[int, int]:
    """The stream's picture size, refused over the budget. A size FFmpeg could not read is
    refused too: its decoder stops at the pixel limit, so the picture may be over it."""
    # PyAV gives no codec context for a stream whose codec FFmpeg does not know.
    context: av.VideoCodecContext | None = stream.codec_context
    width, height = (context.width, context.height) if context is not None else (0, 0)
    if not width or not height:
        raise MediaRejected(
            f"{field}: the {what}'s picture size cannot be read, or the picture is larger than "
            f"the {budget.max_pixels} pixels this server accepts"
        )
    budget.check_picture(field, what, width, height)
    return width, height
