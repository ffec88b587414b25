"""The pieces of one ffmpeg run being planned: its inputs and its filter graph (pure)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path

from draftsmith.errors import RenderFailed
from draftsmith.timeline.model import MediaSegment

_US = 1_000_000


def seconds(us: int) -> str:
    """Microseconds as exact decimal seconds, as ffmpeg options and expressions take them."""
    sign = "-" if us < 0 else ""
    whole, fraction = divmod(abs(us), _US)
    return f"{sign}{whole}.{fraction:06d}"


def number(value: float) -> str:
    """A float for a filter option: fixed point, no trailing zeros."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


class FilterGraph:
    """Inputs and filter chains of one ffmpeg run, labelled in the order they are added.

    Each media segment gets its own input, opened at its source range (`-ss`/`-t` on the
    input, so ffmpeg seeks instead of decoding up to it); its picture and its sound share it.
    """

    def __init__(self, media_paths: Mapping[str, Path]) -> None:
        self.inputs: list[list[str]] = []
        self.chains: list[str] = []
        self._paths = media_paths
        self._segment_inputs: dict[str, int] = {}
        self._labels = itertools.count()

    def chain(self, sources: Sequence[str], filters: Sequence[str], prefix: str = "v") -> str:
        """Add `[sources]filters[label]` and return the new label."""
        label = f"{prefix}{next(self._labels)}"
        heads = "".join(f"[{source}]" for source in sources)
        self.chains.append(f"{heads}{','.join(filters)}[{label}]")
        return label

    def _path(self, segment: MediaSegment) -> str:
        path = self._paths.get(segment.media.sha256)
        if path is None:
            raise RenderFailed(f"media {segment.media.file_name} is not available for rendering")
        return str(path)

    def _add(self, segment: MediaSegment, args: Sequence[str]) -> int:
        if segment.id not in self._segment_inputs:
            self.inputs.append([*args, "-i", self._path(segment)])
            self._segment_inputs[segment.id] = len(self.inputs) - 1
        return self._segment_inputs[segment.id]

    def cut(self, segment: MediaSegment) -> int:
        """The input index of a video or audio segment, cut to its source range."""
        source = segment.source
        return self._add(segment, ["-ss", seconds(source.start), "-t", seconds(source.duration)])

    def still(self, segment: MediaSegment) -> int:
        """The input index of an image segment: its single picture, decoded once."""
        # image2 with no pattern: a stored blob has no extension and may hold a "%".
        return self._add(segment, ["-f", "image2", "-pattern_type", "none"])

    def local_file(self, sha256: str) -> Path | None:
        """The local file of a blob that is no media segment's (a sticker's picture), if any."""
        return self._paths.get(sha256)

    def picture(self, key: str, path: Path, gif: bool = False) -> int:
        """The input index of a picture that is no media segment's (a sticker), read once.
        A GIF is read by the gif demuxer (image2 has no decoder for it): all its frames."""
        if key not in self._segment_inputs:
            demuxer = ["-f", "gif"] if gif else ["-f", "image2", "-pattern_type", "none"]
            self.inputs.append([*demuxer, "-i", str(path)])
            self._segment_inputs[key] = len(self.inputs) - 1
        return self._segment_inputs[key]

    def args(self) -> list[str]:
        return [
            *itertools.chain.from_iterable(self.inputs),
            *("-filter_complex", ";\n".join(self.chains)),
        ]
