"""A draft's timeline file as a tree of chunks that grows with the draft (`draftsmith.chunks`).

Each list of the file (each materials list, the tracks) is a `Section` of runs, one run per
track that adds to it, so that stacking a track encodes that track only and changes the last
chunk of the sections it adds to; the rest of the file (its top level, the empty lists) is
glue, written anew at each save. The bytes are those `encode.encode_folder` writes.
"""

from __future__ import annotations

from draftsmith.capcut.encode import (
    _TEMPLATE,
    FragmentCache,
    _dumps,
    _encode_track,
    _encoded_template_members,
    _member_key,
    _shared_template,
)
from draftsmith.capcut.materials import Json
from draftsmith.chunks import Chunk, Run, Section
from draftsmith.timeline.model import Draft, Track


class TimelineTree:
    """The timeline file of a draft's tracks so far, in sections; `add` the next track."""

    def __init__(self, cache: FragmentCache | None) -> None:
        self._encode = _encode_track if cache is None else cache.fragment
        self._seen: set[tuple[str, str]] = set()
        self.lists: dict[str, Section] = {}
        for name, listed in _shared_template(_TEMPLATE)["materials"].items():
            section = self.lists[name] = Section()
            if listed:
                section.add(Run(b",".join(_dumps(m) for m in listed)))
        self.tracks = Section()

    def add(self, track: Track, index: int, draft: Draft) -> list[Chunk]:
        """Add the track at `index` (the next one) of `draft`; returns the chunks sealed.

        Each material is written once, in first-use order: the track's own share of a list
        is one run, less what an earlier track wrote already (a shared mask, say).
        """
        fragment = self._encode(track, index, draft)
        fresh = [m for m in fragment.materials if (m[0], m[1]) not in self._seen]
        self._seen.update((name, material_id) for name, material_id, _ in fresh)
        sealed: list[Chunk] = []
        if len(fresh) == len(fragment.materials):
            for name, run in fragment.runs.items():
                sealed += self._list(name).add(run)
        else:
            added: dict[str, list[bytes]] = {}
            for name, _, where in fresh:
                added.setdefault(name, []).append(fragment.material(name, where))
            for name, items in added.items():
                sealed += self._list(name).add(Run(b",".join(items)))
        sealed += self.tracks.add(fragment.track)
        return sealed

    def _list(self, name: str) -> Section:
        section = self.lists.get(name)
        if section is None:
            section = self.lists[name] = Section()
        return section

    def sections(self) -> list[Section]:
        return [*self.lists.values(), self.tracks]

    def parts(self, content: Json) -> list[bytes | Section]:
        """The file for `content` (`encode._content`): glue, and the sections in place."""
        template = _shared_template(_TEMPLATE)
        encoded_template = _encoded_template_members(_TEMPLATE)
        parts: list[bytes | Section] = [b"{"]
        for index, (key, value) in enumerate(content.items()):
            parts.append(_member_key(key, index == 0))
            if key == "tracks":
                parts += [b"[", self.tracks, b"]"]
            elif key == "materials":
                parts.append(b"{")
                for list_index, (name, section) in enumerate(self.lists.items()):
                    parts += [_member_key(name, list_index == 0), b"[", section, b"]"]
                parts.append(b"}")
            elif template.get(key) is value:
                parts.append(encoded_template[key])
            else:
                parts.append(_dumps(value))
        parts.append(b"}")
        return parts
