"""What looking at one media file may cost: picture size, claimed length, files at once.

The picture limit is checked twice: against the size a header declares, before any decoder
runs, and inside FFmpeg (its `max_pixels` option), so a decoder refuses to allocate a
picture over the limit whatever the header said.
"""

from __future__ import annotations

from dataclasses import dataclass

from draftsmith.errors import MediaRejected
from draftsmith.timeline.limits import MAX_TIME_US

DEFAULT_MAX_PIXELS = 8192 * 8192
DEFAULT_MAX_SIDE = 16384
DEFAULT_CONCURRENCY = 4
_US_PER_HOUR = 3600 * 1_000_000


@dataclass(frozen=True)
class MediaBudget:
    """Limits on the media a server fetches and probes."""

    max_pixels: int = DEFAULT_MAX_PIXELS
    """Largest picture, image or video frame, in pixels."""
    max_side: int = DEFAULT_MAX_SIDE
    """Longest side of a picture, in pixels."""
    max_duration_us: int = MAX_TIME_US
    """Longest audio or video accepted: a draft cannot be longer."""
    concurrency: int = DEFAULT_CONCURRENCY
    """Files downloaded and probed at once by one media library; the rest wait their turn."""

    def __post_init__(self) -> None:
        if min(self.max_pixels, self.max_side, self.max_duration_us, self.concurrency) < 1:
            raise ValueError(f"every media budget must be at least 1: {self}")

    def decoder_options(self) -> dict[str, str]:
        """FFmpeg options that make every decoder refuse a picture over the limit."""
        return {"max_pixels": str(self.max_pixels)}

    def check_picture(self, field: str, what: str, width: int, height: int) -> None:
        """Refuse a `width` x `height` picture over the limits (MediaRejected names them)."""
        if max(width, height) > self.max_side or width * height > self.max_pixels:
            raise MediaRejected(
                f"{field}: the {what} is {width}x{height} pixels; this server accepts at most "
                f"{self.max_pixels} pixels per picture and {self.max_side} pixels a side"
            )

    def check_duration(self, field: str, duration_us: int) -> None:
        """Refuse a file that claims to last longer than a draft may."""
        if duration_us > self.max_duration_us:
            raise MediaRejected(
                f"{field}: the file claims to last {_span(duration_us)}; the longest this "
                f"server accepts is {_span(self.max_duration_us)}"
            )


def _span(duration_us: int) -> str:
    if duration_us >= _US_PER_HOUR:
        return f"{duration_us / _US_PER_HOUR:.1f} h"
    return f"{duration_us / 1_000_000:.1f} s"
