"""Each draft's saved folder kept as trees of chunks between saves, so that a save after
stacking a track encodes, hashes and hands the store that track's share only.

A draft's state (`_Folder`) holds its timeline file and snapshot as sections (`chunks.Section`)
of the tracks saved so far, and what the meta file needs of them. The next save of the draft,
when its tracks start with those, adds the new ones to the sections: the version it stores is
a tree whose unchanged chunks and nodes are the previous version's. Saves from other processes in
between change nothing of that: the state grows from the version it was saved as, while the
store still keeps it.

A process without the draft's state (after a restart, an eviction, or for a draft only other
processes saved) resumes it from the newest version: each version also stores what its
sections need to grow (the folder state document, `FOLDER_STATE_DOCUMENT`), so the tracks
saved are not encoded again, only hashed in their stored form to check that the draft still
starts with them. Any other change (an edit of an existing track, a version saved whole)
builds the folder whole.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial

from draftsmith.capcut.encode import FragmentCache, _content, _dumps, _template
from draftsmith.capcut.meta import meta_info
from draftsmith.capcut.opaque import has_opaque
from draftsmith.capcut.paths import media_relpath
from draftsmith.capcut.profiles import META_FILE, TIMELINES_PROJECT, Profile
from draftsmith.capcut.timeline_tree import TimelineTree
from draftsmith.capcut.timelines import nested_info_path, project_json
from draftsmith.chunks import (
    Chunk,
    Frontier,
    Ref,
    Run,
    Section,
    VersionTree,
    digest,
    document,
    tree_keys,
)
from draftsmith.errors import DraftsmithError
from draftsmith.store.codec import SNAPSHOT_SEPARATOR, snapshot_glue, track_run
from draftsmith.store.port import DraftStore
from draftsmith.store.records import FileEntry
from draftsmith.store.rows import FOLDER_STATE_DOCUMENT, SNAPSHOT_DOCUMENT
from draftsmith.timeline.model import Draft, Media, MediaSegment, Track

DEFAULT_MAX_BYTES = 128 * 1024 * 1024
"""The size of the folders whose state one process keeps (least recently saved go first). The
bytes are mostly the encoding caches' own (`FragmentCache`, `TrackCache`), shared, but held
here they stay in memory; a draft larger than this is saved whole each time."""


@dataclass
class _Folder:
    """What a draft's next save grows from: the folder of `tracks`, stored as `version`."""

    inputs: list[object]
    tracks: tuple[Track, ...] = ()
    version: int = 0
    timeline: TimelineTree = field(default_factory=lambda: TimelineTree(None))
    snapshot: Section = field(default_factory=lambda: Section(SNAPSHOT_SEPARATOR))
    duration: int = 0
    segments: int = 0
    media: dict[str, Media] = field(default_factory=dict)
    material_ids: dict[str, str] = field(default_factory=dict)
    size: int = 0
    """The bytes of its timeline file and snapshot."""
    sealed: Counter[str] = field(default_factory=Counter)
    """Keys of the sections' sealed chunks: they stay in every later tree of this state."""
    volatile: frozenset[str] | None = frozenset()
    """Keys of the last tree's other chunks (roots, glue, last chunks of sections); None when
    not known (a state resumed from the store): the store then works out what its next tree
    no longer uses."""


@dataclass(frozen=True)
class FolderBuild:
    """A version's folder, ready for `DraftStore.add_version`."""

    tree: VersionTree
    files: tuple[FileEntry, ...]
    """The version's files: the in-store JSON files, then the media."""
    _state: _Folder
    _volatile: frozenset[str]


def _inputs(draft: Draft) -> list[object]:
    """What the folder depends on besides the tracks and the save time, as its state stores it."""
    canvas = draft.canvas
    return [
        draft.id,
        draft.name,
        draft.created_at_us,
        [canvas.width, canvas.height, canvas.fps],
        draft.profile,
    ]


class FolderTrees:
    """The folder states of recently saved drafts (bounded), one save of a draft at a time.

    `run` makes a track's stored form (`TrackCache.run` keeps it, so an unchanged track is not
    hashed again); `fragments` encodes tracks for the timeline file.
    """

    def __init__(
        self,
        fragments: FragmentCache | None = None,
        run: Callable[[Track], Run] = track_run,
        max_bytes: int = DEFAULT_MAX_BYTES,
        stored: DraftStore | None = None,
    ) -> None:
        self._fragments = fragments
        self._run = run
        self._stored = stored
        self._max = max_bytes
        self._size = 0
        self._folders: OrderedDict[str, _Folder] = OrderedDict()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def saving(self, draft_id: str) -> Iterator[FolderSaver]:
        """One save of the draft: saves of one draft in this process take turns (the store
        would queue them anyway); saves of other drafts never wait for it."""
        with self._lock:
            lock, users = self._locks.get(draft_id, (threading.Lock(), 0))
            self._locks[draft_id] = (lock, users + 1)
        try:
            with lock:
                with self._lock:
                    state = self._folders.pop(draft_id, None)
                    self._size -= 0 if state is None else state.size
                saver = FolderSaver(self, state)
                yield saver
                kept = saver.kept
                if kept is not None and kept.size <= self._max:
                    with self._lock:
                        self._folders[draft_id] = kept
                        self._size += kept.size
                        while self._size > self._max:
                            _, evicted = self._folders.popitem(last=False)
                            self._size -= evicted.size
        finally:
            with self._lock:
                lock, users = self._locks[draft_id]
                if users == 1:
                    del self._locks[draft_id]
                else:
                    self._locks[draft_id] = (lock, users - 1)

    def resume(self, draft: Draft, version: int) -> _Folder | None:
        """The state `version` of the draft was saved from, read back from the store, when
        the draft still starts with its tracks; None when it cannot grow from it (the draft
        changed below, the version was saved whole or before versions stored their folder
        state, or what it stored is not whole: the save then builds the folder whole)."""
        if self._stored is None:
            return None
        try:
            return self._resumed(self._stored, draft, version)
        except (DraftsmithError, ValueError, LookupError, TypeError):
            return None

    def _resumed(self, stored: DraftStore, draft: Draft, version: int) -> _Folder | None:
        state = json.loads(stored.version_file(draft.id, version, FOLDER_STATE_DOCUMENT))
        head = state["head"]
        if head["draft"] != _inputs(draft):
            return None
        folder = _Folder(_inputs(draft), version=version, volatile=None)
        count = TimelineTree.stored_tracks(head["timeline"])
        if count > len(draft.tracks):
            return None
        sealed: list[str] = []
        for track in draft.tracks[:count]:
            sealed += (chunk.key for chunk in folder.snapshot.add(self._run(track)))
            _count(folder, track)
        if folder.snapshot.frontier() != Frontier.from_json(head["snapshot"]):
            return None  # the draft no longer starts with the tracks saved
        read = _Reads(partial(stored.chunk_data, draft.id))
        # Every key of the timeline's stored trees (the nodes are read, and kept for resuming)
        # but those that change with the next track: what a later tree grown from this state
        # keeps using.
        stored_keys = tree_keys(TimelineTree.stored_roots(head["timeline"]), read)
        folder.timeline = TimelineTree.resume(
            self._fragments, head["timeline"], state["written"], read
        )
        sections = folder.timeline.sections()
        sealed += stored_keys - {chunk.key for s in sections for chunk in s.tree()[1]}
        folder.tracks = draft.tracks[:count]
        folder.sealed = Counter(sealed)
        return folder


class _Reads:
    """Chunks read from the store, kept for the next reads of one resume."""

    def __init__(self, read: Callable[[Sequence[str]], dict[str, bytes]]) -> None:
        self._read = read
        self._found: dict[str, bytes] = {}

    def __call__(self, keys: Sequence[str]) -> dict[str, bytes]:
        missing = [key for key in keys if key not in self._found]
        if missing:
            self._found.update(self._read(missing))
        return {key: self._found[key] for key in keys if key in self._found}


class FolderSaver:
    """Builds one save's folder from the draft's state, and keeps the state it leads to."""

    def __init__(self, trees: FolderTrees, state: _Folder | None) -> None:
        self._trees = trees
        self._state = state
        self.kept: _Folder | None = None

    def opaque(self, draft: Draft) -> bool:
        """Whether the draft holds what an imported draft brought (`capcut.opaque`): its
        folder is then encoded whole. Only tracks stacked since the state are looked at."""
        state = self._state
        known = 0
        if state is not None and draft.tracks[: len(state.tracks)] == state.tracks:
            known = len(state.tracks)
        return has_opaque(draft.tracks[known:])

    def build(
        self, draft: Draft, saved_at_us: int, profile: Profile, saved_version: int, whole: bool
    ) -> FolderBuild:
        """The folder of `draft` saved at `saved_at_us`, grown from the state when the draft's
        newest version (`saved_version`), or an older one still kept, was saved from it and
        only added tracks since; else from the newest version's stored state, if it can."""
        state = self._state
        self._state = None  # grown in place below: never reused unless kept
        grown = (
            not whole
            and state is not None
            and state.inputs == _inputs(draft)
            and 0 < state.version <= saved_version
            and len(draft.tracks) >= len(state.tracks)
            and draft.tracks[: len(state.tracks)] == state.tracks
        )
        if not grown and not whole and saved_version > 0:
            state = self._trees.resume(draft, saved_version)
            grown = state is not None
        if not grown or state is None:
            state = _Folder(_inputs(draft))
            state.timeline = TimelineTree(self._trees._fragments)
            base: int | None = None
        else:
            # Versions saved since by other processes are no matter: the store checks that
            # `base` is still kept and works out what the newest used that this one does not.
            base = state.version
        sealed: list[Chunk] = [] if base is not None else list(state.timeline.initial)
        for index in range(len(state.tracks), len(draft.tracks)):
            sealed += self._add(state, draft, index)
        state.tracks = draft.tracks
        state.sealed.update(chunk.key for chunk in sealed)
        return self._finish(state, draft, saved_at_us, profile, base, sealed)

    def _add(self, state: _Folder, draft: Draft, index: int) -> list[Chunk]:
        track = draft.tracks[index]
        _count(state, track)
        return state.timeline.add(track, index, draft) + state.snapshot.add(self._trees._run(track))

    def _finish(
        self,
        state: _Folder,
        draft: Draft,
        saved_at_us: int,
        profile: Profile,
        base: int | None,
        sealed: list[Chunk],
    ) -> FolderBuild:
        content = _content(draft, saved_at_us, profile, state.duration)
        parts = state.timeline.parts(content)
        timeline_root, made = document(parts)
        head, tail = snapshot_glue(draft)
        snapshot_root, snapshot_made = document([head, state.snapshot, tail])
        made += snapshot_made
        folder_state = {
            "draft": _inputs(draft),
            "snapshot": state.snapshot.frontier().to_json(),
            "timeline": state.timeline.head(),
        }
        state_root, state_made = document(
            [b'{"head":', _dumps(folder_state), b',"written":[', state.timeline.written, b"]}"]
        )
        made += state_made
        timeline_name = timeline_root.key
        timeline_size = _size(parts)
        state.size = timeline_size + state.snapshot.size
        roots: dict[str, Ref] = {
            timeline_name: Ref(1, timeline_root.key),
            SNAPSHOT_DOCUMENT: Ref(1, snapshot_root.key),
            FOLDER_STATE_DOCUMENT: Ref(1, state_root.key),
        }
        files: list[FileEntry] = [
            FileEntry(path, timeline_name, timeline_size, in_store=True) for path in profile.reads
        ]
        media = list(state.media.values())
        meta = meta_info(
            _template(META_FILE),
            draft,
            saved_at_us=saved_at_us,
            used=(media, state.material_ids, state.duration),
        )
        whole_files = {META_FILE: _dumps(meta)}
        if profile.writes_timelines:
            project = project_json(
                content, created_at_us=draft.created_at_us, saved_at_us=saved_at_us
            )
            whole_files[TIMELINES_PROJECT] = _dumps(project)
            files.append(
                FileEntry(
                    nested_info_path(content["id"]), timeline_name, timeline_size, in_store=True
                )
            )
        for path, data in whole_files.items():
            chunk = Chunk((data,))
            name = digest((chunk,))
            roots[name] = Ref(0, chunk.key)
            made.append(chunk)
            files.append(FileEntry(path, name, len(data), in_store=True))
        files += [FileEntry(media_relpath(m), m.sha256, m.size) for m in media]
        volatile = frozenset(chunk.key for chunk in made)
        # What changed: the chunks sealed by the new tracks (every one, built whole), and those
        # of the roots, glue and last chunks that differ from the previous version's.
        chunks = {chunk.key: chunk for chunk in sealed}
        before = state.volatile
        chunks.update((c.key, c) for c in made if before is None or c.key not in before)
        tree = VersionTree(
            roots=roots,
            chunks=chunks,
            base=base,
            dropped=None
            if before is None
            else frozenset(key for key in before - volatile if state.sealed[key] == 0),
            segment_count=state.segments,
            duration_us=state.duration,
            uses=None if base is None else _Keys(state.sealed, volatile),
        )
        return FolderBuild(tree, tuple(files), state, volatile)

    def keep(self, build: FolderBuild, version: int) -> None:
        """The build was stored as `version`: the draft's next save grows from it."""
        state = build._state
        state.version = version
        state.volatile = build._volatile
        self.kept = state


@dataclass(frozen=True)
class _Keys:
    """The keys a tree of a state uses: its sections' sealed chunks, and the rest it made."""

    sealed: Counter[str]
    volatile: frozenset[str]

    def __contains__(self, key: object) -> bool:
        return key in self.volatile or key in self.sealed


def _size(parts: list[bytes | Section]) -> int:
    return sum(part.size if isinstance(part, Section) else len(part) for part in parts)


def _count(state: _Folder, track: Track) -> None:
    """Count `track` in what the meta file needs of the tracks so far."""
    state.duration = max(state.duration, track.end)
    state.segments += len(track.segments)
    for segment in track.segments:
        if isinstance(segment, MediaSegment):
            media = segment.media
            state.material_ids.setdefault(media.sha256, segment.material_id)
            if not media.missing:
                state.media.setdefault(media.sha256, media)
