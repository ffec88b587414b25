"""Each draft's saved folder kept as trees of chunks between saves, so that a save after
stacking a track encodes, hashes and hands the store that track's share only.

A draft's state (`_Folder`) holds its timeline file and snapshot as sections (`chunks.Section`)
of the tracks saved so far, and what the meta file needs of them. The next save of the draft,
when its tracks start with those, adds the new ones to the sections: the version it stores is
a tree whose unchanged chunks and nodes are the previous version's. Saves from other processes in
between change nothing of that: the state grows from the version it was saved as, while the
store still keeps it.

A save reads of the draft only the tracks written since its state (`FolderSaver.read`): the
store says which tracks a later revision wrote, so a draft that only stacked tracks since grows
by those, without reading or hashing the others. A process without the draft's state (after a
restart, an eviction, or for a draft only other processes saved) resumes it from the newest
version: each version also stores what its sections need to grow and what the meta file counts
of its tracks (the folder state document, `FOLDER_STATE_DOCUMENT`). Any other change (an edit
of an existing track, a version saved whole) builds the folder whole.
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
from draftsmith.capcut.paths import media_relpath
from draftsmith.capcut.profiles import META_FILE, TIMELINES_PROJECT, Profile
from draftsmith.capcut.timeline_tree import TimelineTree
from draftsmith.capcut.timelines import nested_info_path, project_json
from draftsmith.chunks import (
    CUTS,
    Chunk,
    Frontier,
    Ref,
    Run,
    Section,
    VersionTree,
    digest,
    document,
    resume_sections,
    tree_keys,
)
from draftsmith.errors import DraftsmithError
from draftsmith.store.codec import (
    SNAPSHOT_SEPARATOR,
    media_dict,
    media_from_dict,
    snapshot_glue,
    track_run,
)
from draftsmith.store.port import DraftStore
from draftsmith.store.records import DraftHeader, FileEntry
from draftsmith.store.rows import FOLDER_STATE_DOCUMENT, SNAPSHOT_DOCUMENT
from draftsmith.timeline.model import Draft, Media, MediaSegment, Track

DEFAULT_MAX_BYTES = 128 * 1024 * 1024
"""The size of the folders whose state one process keeps (least recently saved go first). The
bytes are mostly the encoding caches' own (`FragmentCache`, `TrackCache`), shared, but held
here they stay in memory; a draft larger than this is saved whole each time."""


_STATE_FORM = 2
"""The form of the folder state document: a version that stored another is not resumed."""


@dataclass
class _Folder:
    """What a draft's next save grows from: the folder of its first `count` tracks as they
    were at draft revision `revision`, stored as `version`."""

    inputs: list[object]
    count: int = 0
    revision: int = 0
    version: int = 0
    timeline: TimelineTree = field(default_factory=lambda: TimelineTree(None))
    snapshot: Section = field(default_factory=lambda: Section(SNAPSHOT_SEPARATOR))
    duration: int = 0
    segments: int = 0
    media: dict[str, Media] = field(default_factory=dict)
    material_ids: dict[str, str] = field(default_factory=dict)
    first_uses: Section = field(default_factory=Section)
    """A run per track that was the first to use a file (`_count`): what `media` and
    `material_ids` are made again from when the state is resumed."""
    size: int = 0
    """The bytes of its timeline file and snapshot."""
    sealed: Counter[str] = field(default_factory=Counter)
    """Keys of the sections' sealed chunks: they stay in every later tree of this state."""
    volatile: frozenset[str] | None = frozenset()
    """Keys of the last tree's other chunks (roots, glue, last chunks of sections); None when
    not known (a state resumed from the store): the store then works out what its next tree
    no longer uses."""


@dataclass(frozen=True)
class SaveInput:
    """What a save read of the draft (`FolderSaver.read`): its header, and its tracks from
    position `first` on, those the state it grows from does not hold (all of them, `first`
    0 and no state, when it builds the folder whole; none when the draft is saved as it
    stands, and there is nothing to build)."""

    header: DraftHeader
    first: int
    tracks: tuple[Track, ...]
    _state: _Folder | None

    @property
    def draft(self) -> Draft:
        """The draft, whole only when `first` is 0: its fields and the tracks read."""
        return self.header.draft(self.tracks)


@dataclass(frozen=True)
class FolderBuild:
    """A version's folder, ready for `DraftStore.add_version`."""

    tree: VersionTree
    files: tuple[FileEntry, ...]
    """The version's files: the in-store JSON files, then the media."""
    _state: _Folder
    _volatile: frozenset[str]


def _inputs(draft: Draft | DraftHeader) -> list[object]:
    """What the folder depends on besides the tracks and the save time, as its state stores it
    (a draft's header has it all)."""
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
        stored: DraftStore,
        fragments: FragmentCache | None = None,
        run: Callable[[Track], Run] = track_run,
        max_bytes: int = DEFAULT_MAX_BYTES,
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

    def resume(self, draft_id: str, version: int) -> _Folder | None:
        """The state `version` of the draft was saved from, read back from the store; None
        when the version cannot be grown from (it was saved whole, or before versions stored
        their folder state in this form, or cut into chunks otherwise, or what it stored is
        not whole: the save then builds the folder whole)."""
        try:
            return self._resumed(draft_id, version)
        except (DraftsmithError, ValueError, LookupError, TypeError):
            return None

    def _resumed(self, draft_id: str, version: int) -> _Folder | None:
        state = json.loads(self._stored.version_file(draft_id, version, FOLDER_STATE_DOCUMENT))
        head = state["head"]
        if head.get("form") != _STATE_FORM or head.get("cuts") != list(CUTS):
            return None
        folder = _Folder(
            list(head["draft"]),
            revision=int(head["revision"]),
            version=version,
            duration=int(head["duration"]),
            segments=int(head["segments"]),
            volatile=None,
        )
        read = _Reads(partial(self._stored.chunk_data, draft_id))
        own = [Frontier.from_json(head["snapshot"]), Frontier.from_json(head["first_uses"])]
        # Every key of the stored trees (the nodes are read, and kept for resuming) but those
        # that change with the next track: what a later tree grown from this state keeps using.
        roots = TimelineTree.stored_roots(head["timeline"]) + [
            frontier.root for frontier in own if frontier.root is not None
        ]
        stored_keys = tree_keys(roots, read)
        folder.timeline = TimelineTree.resume(
            self._fragments, head["timeline"], state["written"], read
        )
        folder.snapshot, folder.first_uses = resume_sections(
            [(own[0], SNAPSHOT_SEPARATOR), (own[1], b",")], read
        )
        folder.count = TimelineTree.stored_tracks(head["timeline"])
        first_uses = state["first_uses"]
        if folder.count != folder.snapshot.runs or folder.first_uses.runs != len(first_uses):
            raise ValueError("the folder state lists another number of tracks")
        for _, files in first_uses:
            for sha256, material_id, media in files:
                if material_id is not None:
                    folder.material_ids.setdefault(sha256, str(material_id))
                if media is not None:
                    folder.media.setdefault(sha256, media_from_dict(media))
        sections = [*folder.timeline.sections(), folder.snapshot, folder.first_uses]
        folder.sealed = Counter(stored_keys - {c.key for s in sections for c in s.tree()[1]})
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

    def read(self, draft_id: str, *, whole: bool = False) -> SaveInput:
        """Read what this save needs of the draft: when a state it may grow from (this
        process's, else the one the newest version stored) still describes the draft's first
        tracks, the tracks stacked since; else, or when `whole`, the whole draft. Nothing but
        the header when the draft is saved as it stands (`DraftHeader.saved_as`)."""
        stored = self._trees._stored
        state, self._state = self._state, None  # grown in place by `build`, kept if saved
        if not whole:
            if state is not None:
                grown, header = self._growing(draft_id, state)
            else:
                grown, header = None, stored.header(draft_id)
            if grown is not None:
                return grown
            if header.saved_as is not None:
                self.kept = state  # untouched: the next save may grow from it still
                return SaveInput(header, 0, (), None)
            if header.saved_version > (0 if state is None else state.version):
                resumed = self._trees.resume(draft_id, header.saved_version)
                grown = None if resumed is None else self._growing(draft_id, resumed)[0]
                if grown is not None:
                    return grown
        header, draft = stored.load(draft_id)
        return SaveInput(header, 0, draft.tracks, None)

    def _growing(self, draft_id: str, state: _Folder) -> tuple[SaveInput | None, DraftHeader]:
        """The save grown from `state`, when the draft only stacked tracks on those it holds
        since (None else), and the draft's header."""
        since = self._trees._stored.tracks_since(draft_id, state.revision)
        header = since.header
        positions = [position for position, _ in since.written]
        if (
            header.saved_as is None
            and state.inputs == _inputs(header)
            and 0 < state.version <= header.saved_version
            and state.count <= since.count
            and positions == list(range(state.count, since.count))
        ):
            tracks = tuple(track for _, track in since.written)
            return SaveInput(header, state.count, tracks, state), header
        return None, header

    def build(self, read: SaveInput, saved_at_us: int, profile: Profile) -> FolderBuild:
        """The folder of the draft `read` saved at `saved_at_us`, grown from the state it was
        read against (versions saved since by other processes are no matter: the store checks
        that the state's version is still kept, and works out what the newest used that this
        one does not), else built whole."""
        draft = read.draft
        state = read._state
        if state is None:
            state = _Folder(_inputs(draft))
            state.timeline = TimelineTree(self._trees._fragments)
            base: int | None = None
            sealed = list(state.timeline.initial)
        else:
            base = state.version
            sealed = []
        for index, track in enumerate(read.tracks, start=read.first):
            sealed += _count(state, index, track)
            sealed += state.timeline.add(track, index, draft)
            sealed += state.snapshot.add(self._trees._run(track))
        state.count = read.first + len(read.tracks)
        state.revision = read.header.revision
        state.sealed.update(chunk.key for chunk in sealed)
        return self._finish(state, draft, saved_at_us, profile, base, sealed)

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
            "form": _STATE_FORM,
            "cuts": list(CUTS),
            "draft": _inputs(draft),
            "revision": state.revision,
            "duration": state.duration,
            "segments": state.segments,
            "snapshot": state.snapshot.frontier().to_json(),
            "first_uses": state.first_uses.frontier().to_json(),
            "timeline": state.timeline.head(),
        }
        state_root, state_made = document(
            [
                b'{"head":',
                _dumps(folder_state),
                b',"written":[',
                state.timeline.written,
                b'],"first_uses":[',
                state.first_uses,
                b"]}",
            ]
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


def _count(state: _Folder, index: int, track: Track) -> list[Chunk]:
    """Count `track` (at `index`) in what the meta file needs of the tracks so far; returns
    the chunks sealed by its run of `first_uses`, when it used a file first: its index, and per
    such file its SHA-256, the material id that then comes first and the file, each when it
    was not known before. Tracks of captions only add no run, and write nothing there."""
    state.duration = max(state.duration, track.end)
    state.segments += len(track.segments)
    first: list[list[object]] = []
    for segment in track.segments:
        if isinstance(segment, MediaSegment):
            media = segment.media
            material_id = None
            if media.sha256 not in state.material_ids:
                material_id = state.material_ids[media.sha256] = segment.material_id
            known = media.missing or media.sha256 in state.media
            if not known:
                state.media[media.sha256] = media
            if material_id is not None or not known:
                first.append([media.sha256, material_id, None if known else media_dict(media)])
    return state.first_uses.add(Run(_dumps([index, first]))) if first else []
