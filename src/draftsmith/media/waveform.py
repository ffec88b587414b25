"""Audio waveforms: the peak level of each short stretch of a file's sound, computed once at
ingest for the UI to draw on audio blocks.

The ffmpeg binary of imageio-ffmpeg decodes the sound to mono 16-bit PCM at a low rate and
pipes it here, read in chunks: memory stays bounded whatever the file's length, and ffmpeg is
stopped after a time limit. Stored as a small JSON document (WAVEFORM_FORMAT).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
from array import array
from pathlib import Path
from typing import IO, Any

import imageio_ffmpeg

WAVEFORM_FORMAT = "draftsmith-waveform"
SAMPLE_RATE = 4000
MIN_BUCKETS, MAX_BUCKETS = 200, 1000
BUCKETS_PER_SECOND = 20
MAX_WAVEFORM_BYTES = 16 * 1024
_CHUNK = 64 * 1024
_FULL_SCALE = 32768


class WaveformError(Exception):
    """No waveform could be computed from the file."""


def bucket_count(duration_us: int) -> int:
    seconds = duration_us / 1_000_000
    return max(MIN_BUCKETS, min(MAX_BUCKETS, math.ceil(seconds * BUCKETS_PER_SECOND)))


def time_limit(duration_us: int) -> float:
    """Seconds decoding may take: generous, as decoding runs far faster than real time."""
    return 20.0 + duration_us / 1_000_000 / 20


def peaks_of(samples: IO[bytes], duration_us: int, buckets: int) -> list[int]:
    """Peak levels (0-255 of full scale) of `buckets` equal stretches of `duration_us` of mono
    16-bit little-endian PCM at SAMPLE_RATE read from `samples`; samples past the end count
    in the last stretch."""
    total = max(1, duration_us * SAMPLE_RATE // 1_000_000)
    peaks = [0] * buckets
    index = 0
    rest = b""
    while chunk := samples.read(_CHUNK):
        chunk = rest + chunk
        usable = len(chunk) - len(chunk) % 2
        rest = chunk[usable:]
        values = array("h")
        values.frombytes(chunk[:usable])
        if sys.byteorder == "big":
            values.byteswap()
        offset = 0
        while offset < len(values):
            bucket = min(buckets - 1, index * buckets // total)
            # Up to the first sample of the next bucket; the last bucket takes the rest.
            end = -(-(bucket + 1) * total // buckets) if bucket < buckets - 1 else None
            take = len(values) - offset if end is None else min(len(values) - offset, end - index)
            part = values[offset : offset + take]
            level = max(part)
            level = max(level, -min(part))
            peaks[bucket] = max(peaks[bucket], min(255, level * 256 // _FULL_SCALE))
            offset += take
            index += take
    return peaks


def waveform_document(duration_us: int, peaks: list[int]) -> bytes:
    document: dict[str, Any] = {
        "format": WAVEFORM_FORMAT,
        "version": 1,
        "duration_us": duration_us,
        "peaks": peaks,
    }
    return json.dumps(document, separators=(",", ":")).encode()


def read_waveform(data: bytes) -> dict[str, Any] | None:
    """The waveform document in `data`, or None when `data` is not one."""
    if len(data) > MAX_WAVEFORM_BYTES or not data.startswith(
        b'{"format":"' + WAVEFORM_FORMAT.encode()
    ):
        return None
    try:
        document = json.loads(data)
    except ValueError:
        return None
    if not isinstance(document, dict) or not isinstance(document.get("peaks"), list):
        return None
    return document


def make_waveform(path: Path, duration_us: int) -> bytes:
    """The waveform document of the sound of the file at `path`; raises WaveformError."""
    if duration_us <= 0:
        raise WaveformError("the file has no length")
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        *("-nostdin", "-hide_banner", "-loglevel", "error"),
        *("-i", str(path), "-map", "0:a:0", "-t", f"{duration_us / 1_000_000:.3f}"),
        *("-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "s16le", "-c:a", "pcm_s16le", "pipe:1"),
    ]
    limit = time_limit(duration_us)
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError as exc:
        raise WaveformError(f"ffmpeg could not run: {exc}") from exc
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        process.kill()

    timer = threading.Timer(limit, expire)
    timer.daemon = True
    timer.start()
    try:
        assert process.stdout is not None
        peaks = peaks_of(process.stdout, duration_us, bucket_count(duration_us))
        status = process.wait()
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    if expired.is_set():
        raise WaveformError(f"decoding took more than {limit:g} s")
    if status != 0:
        raise WaveformError(f"ffmpeg could not decode the sound (status {status})")
    return waveform_document(duration_us, peaks)
