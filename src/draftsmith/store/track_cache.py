"""Tracks decoded from their stored JSON, kept so that reading a draft again decodes only what
changed, and so that its unchanged tracks come back as the very same objects.

The composition root (draftsmith.bootstrap) builds one for the store it opens; the folder
encoder's cache (`capcut.encode.FragmentCache`) is keyed by track identity and hits only
because of it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from draftsmith.chunks import Run
from draftsmith.store.codec import track_from_json, track_run, track_to_json
from draftsmith.timeline.model import Track

DEFAULT_TRACK_CACHE_BYTES = 64 * 1024 * 1024


class TrackCache:
    """Tracks decoded from their stored JSON, by that JSON, and the JSON back by track.

    Reading a draft again decodes only the tracks that changed since, and hands back the very
    same Track objects for the others, which lets the folder encoder reuse their encoding too.
    Tracks are frozen values, so sharing them is safe. Bounded by the total length of the JSON
    and of the UTF-8 runs made of it (`run`).
    """

    def __init__(self, max_size: int = DEFAULT_TRACK_CACHE_BYTES) -> None:
        self._max_size = max_size
        self._size = 0
        self._by_body: OrderedDict[str, Track] = OrderedDict()
        self._by_track: dict[int, str] = {}
        self._runs: dict[int, Run] = {}
        self._lock = threading.Lock()

    def decode(self, body: str) -> Track:
        with self._lock:
            track = self._by_body.get(body)
            if track is not None:
                self._by_body.move_to_end(body)
                return track
        track = track_from_json(body)
        with self._lock:
            if body not in self._by_body:
                self._by_body[body] = track
                self._by_track[id(track)] = body
                self._size += len(body)
                self._evict()
        return track

    def _evict(self) -> None:
        while self._size > self._max_size and len(self._by_body) > 1:
            body, track = self._by_body.popitem(last=False)
            del self._by_track[id(track)]
            run = self._runs.pop(id(track), None)
            self._size -= len(body) + (0 if run is None else len(run))

    def body(self, track: Track) -> str | None:
        """The JSON `track` was decoded from, if it was decoded here and is still held."""
        with self._lock:
            return self._held_body(track)

    def _held_body(self, track: Track) -> str | None:
        body = self._by_track.get(id(track))
        if body is not None and self._by_body.get(body) is track:
            return body
        return None

    def to_json(self, track: Track) -> str:
        """The stored form of `track`: the JSON it was decoded from while held, else made now."""
        body = self.body(track)
        return track_to_json(track) if body is None else body

    def run(self, track: Track) -> Run:
        """The stored form of `track` as UTF-8, one object for as long as the track is held,
        so that its hash (`Run.sha256`) is computed once."""
        with self._lock:
            body = self._held_body(track)
            if body is not None:
                run = self._runs.get(id(track))
                if run is None:
                    run = self._runs[id(track)] = Run(body.encode())
                    self._size += len(run)
                    self._evict()
                return run
        return track_run(track)


DEFAULT_LOADED_TRACKS = 50_000


@dataclass(frozen=True)
class Loaded:
    """A draft's tracks as read at `revision` (the header's `updated_at_us` and
    `created_at_us` then, so that a draft made again under the same id is not mistaken)."""

    revision: int
    updated_at_us: int
    created_at_us: int
    tracks: tuple[Track, ...]


class LoadedDrafts:
    """The tracks of recently read drafts, by draft id (bounded, least recently used go).

    Reading a draft again then reads only the track rows written since (each row records the
    revision that wrote it), and an edit that replaces tracks writes only those that differ.
    """

    def __init__(self, max_tracks: int = DEFAULT_LOADED_TRACKS) -> None:
        """Holds at most `max_tracks` tracks in all: the tracks themselves are shared with the
        TrackCache, but held here they stay in memory."""
        self._max = max_tracks
        self._tracks = 0
        self._drafts: OrderedDict[str, Loaded] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, draft_id: str) -> Loaded | None:
        with self._lock:
            loaded = self._drafts.get(draft_id)
            if loaded is not None:
                self._drafts.move_to_end(draft_id)
            return loaded

    def put(self, draft_id: str, loaded: Loaded) -> None:
        with self._lock:
            known = self._drafts.get(draft_id)
            # Two readers may finish out of order: keep the newer state.
            if known is None or known.revision <= loaded.revision:
                self._tracks += len(loaded.tracks) - (0 if known is None else len(known.tracks))
                self._drafts[draft_id] = loaded
                self._drafts.move_to_end(draft_id)
            while self._tracks > self._max and self._drafts:
                _, evicted = self._drafts.popitem(last=False)
                self._tracks -= len(evicted.tracks)

    def forget(self, draft_id: str) -> None:
        with self._lock:
            known = self._drafts.pop(draft_id, None)
            if known is not None:
                self._tracks -= len(known.tracks)
