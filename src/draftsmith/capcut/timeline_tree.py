"""A draft's timeline file as a tree of chunks that grows with the draft (`draftsmith.chunks`).

Each list of the file (each materials list, the tracks) is a `Section` of runs, one run per
track that adds to it, so that stacking a track encodes that track only and changes the last
chunk of the sections it adds to; the rest of the file (its top level, the empty lists) is
glue, written anew at each save. The bytes are those `encode.encode_folder` writes.

Which materials earlier tracks wrote (each is written once) is kept as a section too, one run
per track, so that a process that did not grow the tree can `resume` it from what the version
stored (`head`, `written`) without encoding the tracks again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

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
from draftsmith.chunks import Chunk, Frontier, Ref, Run, Section, resume_sections
from draftsmith.timeline.model import Draft, Track

STATE_FORM = 1
"""The form of `TimelineTree.head`: a tree stored in another form is not resumed."""


class TimelineTree:
    """The timeline file of a draft's tracks so far, in sections; `add` the next track."""

    def __init__(self, cache: FragmentCache | None) -> None:
        self._encode = _encode_track if cache is None else cache.fragment
        self._seen: set[tuple[str, str]] = set()
        self.lists: dict[str, Section] = {}
        self.initial: list[Chunk] = []
        """The chunks the template's own materials sealed."""
        for name, listed in _shared_template(_TEMPLATE)["materials"].items():
            section = self.lists[name] = Section()
            if listed:
                self.initial += section.add(Run(b",".join(_dumps(m) for m in listed)))
        self.tracks = Section()
        self.written = Section()
        """Per track, the materials it wrote (`[[list name, id], ...]`)."""

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
        sealed += self.written.add(Run(_dumps([[name, key] for name, key, _ in fresh])))
        return sealed

    def _list(self, name: str) -> Section:
        section = self.lists.get(name)
        if section is None:
            section = self.lists[name] = Section()
        return section

    def sections(self) -> list[Section]:
        return [*self.lists.values(), self.tracks, self.written]

    def head(self) -> Json:
        """What `resume` needs besides the `written` section's runs: the sections' frontiers
        (`Section.frontier`), the material lists by name, in order."""
        template = _shared_template(_TEMPLATE)["materials"]
        return {
            "form": STATE_FORM,
            "lists": [
                [name, section.frontier().to_json()]
                for name, section in self.lists.items()
                if section.runs or name not in template
            ],
            "tracks": self.tracks.frontier().to_json(),
            "written": self.written.frontier().to_json(),
        }

    @staticmethod
    def _frontiers(head: Json) -> list[Frontier]:
        lists = [Frontier.from_json(frontier) for _, frontier in head["lists"]]
        return [*lists, Frontier.from_json(head["tracks"]), Frontier.from_json(head["written"])]

    @staticmethod
    def stored_tracks(head: Json) -> int:
        """How many tracks the tree of `head` holds."""
        return Frontier.from_json(head["tracks"]).runs

    @staticmethod
    def stored_roots(head: Json) -> list[Ref]:
        """The roots of the stored sections of the tree of `head`."""
        return [f.root for f in TimelineTree._frontiers(head) if f.root is not None]

    @classmethod
    def resume(
        cls,
        cache: FragmentCache | None,
        head: Json,
        written: list[list[list[str]]],
        read: Callable[[Sequence[str]], Mapping[str, bytes]],
    ) -> TimelineTree:
        """The tree whose `head` and `written` runs (parsed) a version stored; `read` gives
        stored chunks' bytes by key (`chunks.resume_sections`). ValueError when they do not
        describe the stored tree."""
        if head.get("form") != STATE_FORM:
            raise ValueError("a timeline state of another form")
        tree = cls(cache)
        names = [name for name, _ in head["lists"]]
        *lists, tree.tracks, tree.written = resume_sections(
            [(frontier, b",") for frontier in cls._frontiers(head)], read
        )
        tree.lists.update(zip(names, lists, strict=True))
        if len(written) != tree.written.runs or tree.tracks.runs != tree.written.runs:
            raise ValueError("the timeline state lists another number of tracks")
        tree._seen = {(name, key) for materials in written for name, key in materials}
        return tree

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
