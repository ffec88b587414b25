"""Small JPEG thumbnails of video and image media, made once when the media is ingested.

PyAV decodes the first picture, scales it and encodes it with FFmpeg's own MJPEG encoder, so
no imaging library is needed. Audio has no thumbnail. Decoding is held to the media budget's
pixel limit, on one picture at a time (slice threads, not frame threads, which would hold
several pictures in flight).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import av.error
from av.video.frame import VideoFrame

from draftsmith.media.budget import MediaBudget

THUMBNAIL_WIDTH = 160
MAX_THUMBNAIL_HEIGHT = 320
JPEG_MAGIC = b"\xff\xd8\xff"
# A picture that is still missing after this many packets is not coming.
_MAX_PACKETS = 200


class ThumbnailError(Exception):
    """The file has no picture that can be decoded and encoded as a thumbnail."""


def _first_frame(path: Path, budget: MediaBudget) -> VideoFrame:
    options = budget.decoder_options()
    try:
        with av.open(str(path), metadata_errors="ignore", options=options) as container:
            if not container.streams.video:
                raise ThumbnailError("the file has no video stream")
            stream = container.streams.video[0]
            stream.thread_type = "SLICE"
            stream.codec_context.options = options
            for count, packet in enumerate(container.demux(stream)):
                for frame in packet.decode():
                    if isinstance(frame, VideoFrame):
                        return frame
                if count >= _MAX_PACKETS:
                    break
    except av.error.FFmpegError as exc:
        raise ThumbnailError(f"the file cannot be decoded: {exc}") from exc
    raise ThumbnailError("no picture was decoded")


def thumbnail_size(width: int, height: int) -> tuple[int, int]:
    """Width THUMBNAIL_WIDTH, the source's aspect ratio, even sides (the encoder needs them)."""
    if width <= 0 or height <= 0:
        raise ThumbnailError("the picture has no size")
    scaled = round(height * THUMBNAIL_WIDTH / width)
    scaled = max(2, min(MAX_THUMBNAIL_HEIGHT, scaled))
    return THUMBNAIL_WIDTH, scaled - scaled % 2


def encode_jpeg(frame: VideoFrame) -> bytes:
    """`frame` scaled to thumbnail size and encoded as one baseline JPEG."""
    width, height = thumbnail_size(frame.width, frame.height)
    scaled = frame.reformat(width=width, height=height, format="yuvj420p")
    codec = av.CodecContext.create("mjpeg", "w")
    assert isinstance(codec, av.VideoCodecContext)
    codec.width = width
    codec.height = height
    codec.pix_fmt = "yuvj420p"
    codec.time_base = Fraction(1, 25)
    # A fixed quantiser (4 on FFmpeg's 2..31 scale, times FF_QP2LAMBDA): small files that
    # still read well at 160 pixels.
    codec.flags |= av.codec.context.Flags.qscale
    codec.global_quality = 4 * 118
    scaled.pts = 0
    data = b"".join(bytes(p) for p in [*codec.encode(scaled), *codec.encode(None)])
    if not data.startswith(JPEG_MAGIC):
        raise ThumbnailError("the encoder produced no JPEG")
    return data


def make_thumbnail(path: Path, budget: MediaBudget | None = None) -> bytes:
    """A JPEG of the first picture of the video or image at `path`; raises ThumbnailError."""
    frame = _first_frame(path, budget or MediaBudget())
    try:
        return encode_jpeg(frame)
    except (av.error.FFmpegError, ValueError) as exc:
        raise ThumbnailError(f"the picture cannot be scaled or encoded: {exc}") from exc
