"""The DraftStore and KeyStore methods whose SQL SQLite and PostgreSQL read alike, written
once for both adapters, as store/jobs.py does for the JobStore.

Statements are written with `?` placeholders; `_run` puts in the adapter's own. Writes whose
best form differs by dialect (row locks, RETURNING) stay in the adapters.
"""

from __future__ import annotations

import time
from collections.abc import Container, Iterable, Mapping, Sequence
from typing import Any, ClassVar

from draftsmith.chunks import (
    Chunk,
    Ref,
    StaleTree,
    VersionTree,
    flat_tree,
    node_columns,
    node_entries,
)
from draftsmith.errors import (
    DraftNotFound,
    DraftsmithError,
    NoSavedVersion,
    NotFound,
    VersionNotFound,
)
from draftsmith.store.codec import (
    draft_from_json,
    media_from_json,
    media_to_json,
    snapshot_chunks,
    track_from_json,
    track_run,
    track_to_json,
)
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.records import (
    ApiKeyRecord,
    DraftHeader,
    FileEntry,
    TracksSince,
    VersionRecord,
)
from draftsmith.store.rows import (
    HEADER_COLUMNS,
    INSERT_CHUNK,
    INSERT_VERSION,
    INSERT_VERSION_PART,
    KEY_COLUMNS,
    SNAPSHOT_DOCUMENT,
    VERSION_COLUMNS,
    api_key_from_row,
    contains_pattern,
    header_from_row,
    new_version_params,
    version_from_row,
)
from draftsmith.store.track_cache import Loaded, LoadedDrafts, TrackCache
from draftsmith.store.upkeep import SqlUpkeep
from draftsmith.timeline.model import Draft, Media, Track


def track_totals(tracks: Sequence[Track]) -> tuple[int, int, int]:
    """How many tracks, how many segments and the furthest end: what a draft row counts of
    the tracks written with it."""
    return (
        len(tracks),
        sum(len(t.segments) for t in tracks),
        max((t.end for t in tracks), default=0),
    )


class SqlDrafts(SqlUpkeep):
    """Mixed into an adapter that has `_write()` and `_read()` transactions."""

    def _with_keys(self, text: str, keys: Sequence[str]) -> tuple[str, object]:
        """`text`, whose last condition is `{keys}`, as one statement about all of `keys`,
        and the parameter that names them: the statement's text is the same whatever their
        number, so the database prepares it once."""
        raise NotImplementedError

    # How `list_drafts` matches a query: case-insensitive for ASCII only, on both databases.
    _like: ClassVar[str] = "LIKE"
    _tracks: TrackCache | None = None
    """The cache tracks are read and written through, if the adapter was given one."""
    _loaded: LoadedDrafts
    """Drafts read before, so that reading one again reads what changed (the adapter's)."""

    def _decode_track(self, body: str) -> Track:
        return track_from_json(body) if self._tracks is None else self._tracks.decode(body)

    def _track_json(self, track: Track) -> str:
        return track_to_json(track) if self._tracks is None else self._tracks.to_json(track)

    def _header_in(self, db: Any, draft_id: str) -> DraftHeader:
        row = self._run(
            db, f"SELECT {HEADER_COLUMNS} FROM drafts WHERE id = ?", draft_id
        ).fetchone()
        if row is None:
            raise DraftNotFound()
        return header_from_row(row)

    def _version_in(self, db: Any, draft_id: str, version: int) -> VersionRecord:
        row = self._run(
            db,
            f"SELECT {VERSION_COLUMNS} FROM versions WHERE draft_id = ? AND version = ?",
            draft_id,
            version,
        ).fetchone()
        if row is None:
            raise VersionNotFound(f"Version {version} does not exist")
        return version_from_row(row)

    def append_track(
        self,
        draft_id: str,
        track: Track,
        now_us: int,
        *,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        """Stack one track on top: `append_tracks` of one."""
        return self.append_tracks(draft_id, (track,), now_us, once=once)

    def append_tracks(
        self,
        draft_id: str,
        tracks: Sequence[Track],
        now_us: int,
        *,
        new: Draft | None = None,
        owner: str | None = None,
        max_owned: int = 0,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        raise NotImplementedError

    def header(self, draft_id: str) -> DraftHeader:
        with self._statement() as db:
            return self._header_in(db, draft_id)

    def load(self, draft_id: str) -> tuple[DraftHeader, Draft]:
        with self._read() as db:
            header, count = self._counted_header_in(db, draft_id)
            tracks = self._tracks_in(db, header, count)
        return header, header.draft(tracks)

    def tracks_since(self, draft_id: str, revision: int) -> TracksSince:
        with self._read() as db:
            header, count = self._counted_header_in(db, draft_id)
            rows = self._run(
                db,
                "SELECT position, body FROM tracks WHERE draft_id = ? AND revision > ?"
                " ORDER BY position",
                draft_id,
                revision,
            ).fetchall()
        written = tuple((row["position"], self._decode_track(row["body"])) for row in rows)
        return TracksSince(header, count, written)

    def _counted_header_in(self, db: Any, draft_id: str) -> tuple[DraftHeader, int]:
        """The draft's header and how many tracks it has."""
        row = self._run(
            db, f"SELECT {HEADER_COLUMNS}, track_count FROM drafts WHERE id = ?", draft_id
        ).fetchone()
        if row is None:
            raise DraftNotFound()
        return header_from_row(row), row["track_count"]

    def _tracks_in(self, db: Any, header: DraftHeader, count: int) -> tuple[Track, ...]:
        """The draft's tracks at `header`'s revision: the rows written since it was last read
        here over what was read then, else every row."""
        known = self._loaded.get(header.id)
        tracks: tuple[Track, ...] | None = None
        if known is not None and known.created_at_us == header.created_at_us:
            if known.revision == header.revision and known.updated_at_us == header.updated_at_us:
                return known.tracks
            if known.revision < header.revision:
                tracks = self._tracks_since_in(db, header.id, known, count)
        if tracks is None:
            rows = self._run(
                db, "SELECT body FROM tracks WHERE draft_id = ? ORDER BY position", header.id
            ).fetchall()
            tracks = tuple(self._decode_track(row["body"]) for row in rows)
        self._loaded.put(
            header.id,
            Loaded(header.revision, header.updated_at_us, header.created_at_us, tracks),
        )
        return tracks

    def _tracks_since_in(
        self, db: Any, draft_id: str, known: Loaded, count: int
    ) -> tuple[Track, ...] | None:
        rows = self._run(
            db,
            "SELECT position, body FROM tracks WHERE draft_id = ? AND revision > ?"
            " ORDER BY position",
            draft_id,
            known.revision,
        ).fetchall()
        tracks = list(known.tracks[:count])
        for row in rows:
            position = row["position"]
            if position < len(tracks):
                tracks[position] = self._decode_track(row["body"])
            elif position == len(tracks):
                tracks.append(self._decode_track(row["body"]))
            else:
                return None
        return tuple(tracks) if len(tracks) == count else None

    def _write_tracks_in(
        self,
        db: Any,
        draft_id: str,
        tracks: Sequence[Track],
        revision: int,
        *,
        after: int = 0,
        replacing: int | None = None,
    ) -> None:
        """Write `tracks` from position `after` on, by `revision`. `replacing`: the revision
        the draft is at before this write, whose tracks are replaced: only the rows that
        differ from those read at that revision are written, when they were read here."""
        rows: list[tuple[str, int, str, int]] = []
        if replacing is not None:
            known = self._loaded.get(draft_id)
            if known is None or known.revision != replacing:
                self._run(db, "DELETE FROM tracks WHERE draft_id = ?", draft_id)
            else:
                old = known.tracks
                self._run(
                    db,
                    "DELETE FROM tracks WHERE draft_id = ? AND position >= ?",
                    draft_id,
                    min(len(tracks), len(old)),
                )
                changed = [(i, t) for i, t in enumerate(tracks[: len(old)]) if old[i] is not t]
                if changed:
                    self._run(
                        db,
                        "DELETE FROM tracks WHERE draft_id = ? AND position IN"
                        f" ({', '.join('?' * len(changed))})",
                        draft_id,
                        *(i for i, _ in changed),
                    )
                rows = [(draft_id, i, self._track_json(t), revision) for i, t in changed]
                after = len(old)
                tracks = tracks[after:]
        rows += [(draft_id, after + i, self._track_json(t), revision) for i, t in enumerate(tracks)]
        if rows:
            self._run_many(
                db,
                "INSERT INTO tracks (draft_id, position, body, revision) VALUES (?, ?, ?, ?)",
                rows,
            )

    def versions(self, draft_id: str) -> list[VersionRecord]:
        with self._read() as db:
            self._header_in(db, draft_id)
            rows = self._run(
                db,
                f"SELECT {VERSION_COLUMNS} FROM versions WHERE draft_id = ? ORDER BY version",
                draft_id,
            ).fetchall()
        return [version_from_row(row) for row in rows]

    def version(self, draft_id: str, version: int | None) -> VersionRecord:
        with self._read() as db:
            header = self._header_in(db, draft_id)
            if version is None:
                if header.saved_version == 0:
                    raise NoSavedVersion()
                version = header.saved_version
            return self._version_in(db, draft_id, version)

    def version_snapshot(self, draft_id: str, version: int) -> Draft:
        with self._read() as db:
            self._header_in(db, draft_id)
            text = self._document_in(db, draft_id, version, SNAPSHOT_DOCUMENT)
        if text is None:
            raise VersionNotFound(f"Version {version} does not exist")
        return draft_from_json(text.decode())

    def version_file(self, draft_id: str, version: int, sha256: str) -> bytes:
        with self._read() as db:
            data = self._document_in(db, draft_id, version, sha256)
        if data is None:
            raise NotFound(f"Version {version} of the draft has no file {sha256}")
        return data

    def chunk_data(self, draft_id: str, keys: Sequence[str]) -> dict[str, bytes]:
        with self._read() as db:
            return self._chunk_map(db, draft_id, keys)

    def _document_in(self, db: Any, draft_id: str, version: int, document: str) -> bytes | None:
        """A document the version keeps (`_insert_version_in`), joined from its chunks; None
        when the version has no such document."""
        rows = self._run(
            db,
            "SELECT p.chunk, p.depth, c.data FROM version_parts p LEFT JOIN chunks c"
            " ON c.draft_id = p.draft_id AND c.key = p.chunk"
            " WHERE p.draft_id = ? AND p.version = ? AND p.document = ? ORDER BY p.position",
            draft_id,
            version,
            document,
        ).fetchall()
        if not rows:
            return None
        if any(row["data"] is None for row in rows):
            # Chunks go only once no kept version uses them: this is a damaged store.
            raise DraftsmithError(f"Version {version} of draft {draft_id} lost part of {document}")
        if not any(row["depth"] for row in rows):
            return b"".join(bytes(row["data"]) for row in rows)
        nodes = {row["chunk"]: bytes(row["data"]) for row in rows if row["depth"]}
        depths = [row["depth"] for row in rows]
        keys = [row["chunk"] for row in rows]
        while True:
            depths, keys = _level_below(depths, keys, nodes)
            wanted = [key for depth, key in zip(depths, keys, strict=True) if depth]
            if not wanted:
                return b"".join(self._chunk_data_in(db, draft_id, keys, version, document))
            found = self._chunk_data_in(db, draft_id, wanted, version, document)
            nodes.update(zip(wanted, found, strict=True))

    def _chunk_data_in(
        self, db: Any, draft_id: str, keys: Sequence[str], version: int, document: str
    ) -> list[bytes]:
        found = self._ordered_chunk_data(db, draft_id, keys)
        if len(found) < len(keys):
            raise DraftsmithError(f"Version {version} of draft {draft_id} lost part of {document}")
        return found

    def _ordered_chunk_data(self, db: Any, draft_id: str, keys: Sequence[str]) -> list[bytes]:
        """The bytes of the draft's chunks of `keys` in their order, repeats repeated; those
        it does not hold left out."""
        found = self._chunk_map(db, draft_id, keys)
        return [found[key] for key in keys if key in found]

    def _chunks_in(
        self, db: Any, draft_id: str, keys: Iterable[str], version: int, document: str
    ) -> dict[str, bytes]:
        wanted = list(keys)
        found = self._chunk_map(db, draft_id, wanted)
        if len(found) < len(wanted):
            raise DraftsmithError(f"Version {version} of draft {draft_id} lost part of {document}")
        return found

    def _chunk_map(self, db: Any, draft_id: str, keys: Sequence[str]) -> dict[str, bytes]:
        """The bytes of the draft's chunks of `keys` that it holds, by key."""
        return {row["key"]: bytes(row["data"]) for row in self._chunk_rows(db, draft_id, keys)}

    def _chunk_rows(self, db: Any, draft_id: str, keys: Sequence[str]) -> Iterable[Any]:
        """The rows (`key`, `data`) of the draft's chunks of `keys` that it holds, to be read
        while `db` is open: one at a time, not a list of thousands of rows at once."""
        if not keys:
            return ()
        text = "SELECT key, data FROM chunks WHERE draft_id = ? AND {keys}"
        statement, named = self._with_keys(text, keys)
        return self._run(db, statement, draft_id, named)

    def _unused_keys_in(
        self, db: Any, draft_id: str, version: int, used: Container[str]
    ) -> set[str]:
        """The chunks version `version` uses that are not in `used` (a whole tree: a node in
        it has all its descendants in it too, so the walk does not go below a used node)."""
        rows = self._run(
            db,
            "SELECT chunk, depth FROM version_parts WHERE draft_id = ? AND version = ?",
            draft_id,
            version,
        ).fetchall()
        unused = {row["chunk"] for row in rows if row["chunk"] not in used}
        nodes = {row["chunk"] for row in rows if row["depth"] and row["chunk"] not in used}
        while nodes:
            found = self._chunks_in(db, draft_id, nodes, version, "its documents")
            nodes = set()
            for data in found.values():
                for entry in node_entries(data):
                    if entry.key not in used and entry.key not in unused:
                        unused.add(entry.key)
                        if entry.depth:
                            nodes.add(entry.key)
        return unused

    def _insert_version_in(
        self,
        db: Any,
        draft_id: str,
        number: int,
        *,
        revision: int,
        tree: VersionTree,
        files: tuple[FileEntry, ...],
        label: str | None,
        now_us: int,
    ) -> VersionRecord:
        """Insert version `number` with its documents, each a root part over chunks the draft
        holds once: only the chunks it does not hold yet are written (`tree.chunks` holds
        what changed since `tree.base`), and those `tree.base` used that this version does not
        are marked as dying with it (`_prune_in`)."""
        # Grown from a version older than the newest (another process saved since)?
        behind = tree.base if tree.base is not None and tree.base != number - 1 else None
        if behind is not None and (tree.uses is None or not self._kept_in(db, draft_id, behind)):
            raise StaleTree()
        self._run(
            db,
            INSERT_VERSION,
            *new_version_params(
                draft_id,
                number,
                revision,
                now_us,
                label,
                files,
                tree.segment_count,
                tree.duration_us,
            ),
        )
        self._run_many(
            db,
            INSERT_VERSION_PART,
            [
                (draft_id, number, name, 0, root.key, root.depth)
                for name, root in tree.roots.items()
            ],
        )
        keys = list(tree.chunks)
        held = self._held_chunks_in(db, draft_id, keys)
        self._run_many(
            db,
            INSERT_CHUNK,
            [(draft_id, key, tree.chunks[key].data) for key in keys if key not in held],
        )
        revived = [key for key, died in held.items() if died is not None]
        dropped: Iterable[str] = tree.dropped or ()
        if tree.base is None and number > 1:
            dropped = self._unused_keys_in(db, draft_id, number - 1, tree.chunks)
        elif behind is not None or tree.dropped is None:
            if tree.uses is None:
                raise ValueError("a tree that does not say what it dropped says what it uses")
            if behind is not None:
                # Every chunk it uses is held, being `behind`'s (kept) or new, but those the
                # newer versions no longer used are marked dying: they come back.
                revived = list({*revived, *self._died_since_in(db, draft_id, behind, tree.uses)})
            # What the newest used that this one does not dies with it.
            dropped = self._unused_keys_in(db, draft_id, number - 1, tree.uses)
        self._set_died_in(db, draft_id, revived, None)
        self._set_died_in(db, draft_id, list(dropped), number)
        return VersionRecord(
            draft_id=draft_id,
            version=number,
            revision=revision,
            created_at_us=now_us,
            label=label,
            files=files,
            segment_count=tree.segment_count,
            duration_us=tree.duration_us,
        )

    def _kept_in(self, db: Any, draft_id: str, version: int) -> bool:
        row = self._run(
            db, "SELECT 1 FROM versions WHERE draft_id = ? AND version = ?", draft_id, version
        ).fetchone()
        return row is not None

    def _died_since_in(
        self, db: Any, draft_id: str, version: int, used: Container[str]
    ) -> list[str]:
        """The chunks in `used` marked dying at a version after `version`."""
        rows = self._run(
            db, "SELECT key FROM chunks WHERE draft_id = ? AND died > ?", draft_id, version
        ).fetchall()
        return [row["key"] for row in rows if row["key"] in used]

    def _whole_tree(
        self, contents: Mapping[str, Sequence[Chunk]], snapshot: Draft | None
    ) -> VersionTree:
        """A version of `snapshot` whose in-store files are `contents`, built whole."""
        if snapshot is None:
            raise ValueError("a version without a tree is made of its snapshot")
        run = track_run if self._tracks is None else self._tracks.run
        roots: dict[str, Ref] = {}
        chunks: dict[str, Chunk] = {}
        for name, parts in {**contents, SNAPSHOT_DOCUMENT: snapshot_chunks(snapshot, run)}.items():
            if len(parts) == 1:
                roots[name] = Ref(0, parts[0].key)
                made = list(parts)
            else:
                root, made = flat_tree(parts)
                roots[name] = Ref(1, root.key)
            chunks.update((chunk.key, chunk) for chunk in made)
        return VersionTree(
            roots, chunks, None, frozenset(), snapshot.segment_count, snapshot.duration
        )

    def _set_died_in(self, db: Any, draft_id: str, keys: Sequence[str], died: int | None) -> None:
        if keys:
            text = "UPDATE chunks SET died = ? WHERE draft_id = ? AND {keys}"
            statement, named = self._with_keys(text, keys)
            self._run(db, statement, died, draft_id, named)

    def _held_chunks_in(self, db: Any, draft_id: str, keys: Sequence[str]) -> dict[str, int | None]:
        """Which of `keys` the draft holds, with the version each died at (None: alive)."""
        if not keys:
            return {}
        text = "SELECT key, died FROM chunks WHERE draft_id = ? AND {keys}"
        statement, named = self._with_keys(text, keys)
        rows = self._run(db, statement, draft_id, named).fetchall()
        return {row["key"]: row["died"] for row in rows}

    def _prune_in(self, db: Any, draft_id: str, newest: int, keep_versions: int) -> None:
        """Delete the versions older than the newest `keep_versions` (0 keeps every version),
        and the chunks no version kept uses: those that died at the oldest kept or before."""
        if keep_versions <= 0:
            return
        oldest = newest - keep_versions + 1
        pruned = self._run(
            db, "DELETE FROM versions WHERE draft_id = ? AND version < ?", draft_id, oldest
        ).rowcount
        if pruned:
            self._run(db, "DELETE FROM chunks WHERE draft_id = ? AND died <= ?", draft_id, oldest)

    def _run_many(self, db: Any, text: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def list_drafts(
        self, *, limit: int, offset: int, query: str | None, owner: str | None = None
    ) -> list[DraftHeader]:
        sql = f"SELECT {HEADER_COLUMNS} FROM drafts WHERE 1 = 1"
        params: list[object] = []
        if owner is not None:
            sql += " AND owner = ?"
            params.append(owner)
        if query:
            like = self._like
            sql += f" AND (id {like} ? ESCAPE '\\' OR name {like} ? ESCAPE '\\')"
            params += [contains_pattern(query)] * 2
        sql += " ORDER BY updated_at_us DESC, id LIMIT ? OFFSET ?"
        params += [limit, offset]
        with self._read() as db:
            return [header_from_row(row) for row in self._run(db, sql, *params).fetchall()]

    def remember_media(self, url: str, media: Media, now_us: int | None = None) -> None:
        used_at = time.time_ns() // 1000 if now_us is None else now_us
        with self._write() as db:
            self._run(
                db,
                "INSERT INTO media_sources (url, media, used_at_us) VALUES (?, ?, ?)"
                " ON CONFLICT (url) DO UPDATE SET media = excluded.media,"
                " used_at_us = excluded.used_at_us",
                url,
                media_to_json(media),
                used_at,
            )

    def media_for_url(self, url: str) -> Media | None:
        with self._read() as db:
            row = self._run(db, "SELECT media FROM media_sources WHERE url = ?", url).fetchone()
        return None if row is None else media_from_json(row["media"])

    def add_api_key(self, record: ApiKeyRecord) -> None:
        with self._write() as db:
            self._run(
                db,
                f"INSERT INTO api_keys ({KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                record.id,
                record.name,
                record.hash,
                record.created_at_us,
                record.revoked_at_us,
            )

    def api_key_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        with self._statement() as db:
            row = self._run(
                db, f"SELECT {KEY_COLUMNS} FROM api_keys WHERE hash = ?", key_hash
            ).fetchone()
        return None if row is None else api_key_from_row(row)

    def api_keys(self) -> list[ApiKeyRecord]:
        with self._read() as db:
            rows = self._run(
                db, f"SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at_us, id"
            ).fetchall()
        return [api_key_from_row(row) for row in rows]

    def has_api_keys(self) -> bool:
        with self._statement() as db:
            row = self._run(db, "SELECT EXISTS (SELECT 1 FROM api_keys) AS found").fetchone()
        return row is not None and bool(row["found"])

    def server_secret(self, name: str, candidate: bytes) -> bytes:
        with self._write() as db:
            self._run(
                db,
                "INSERT INTO server_secrets (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO NOTHING",
                name,
                candidate.hex(),
            )
            row = self._run(db, "SELECT value FROM server_secrets WHERE name = ?", name).fetchone()
        assert row is not None
        return bytes.fromhex(row["value"])

    def ping(self) -> None:
        with self._statement() as db:
            self._run(db, "SELECT 1").fetchone()


def _level_below(
    depths: Sequence[int], keys: Sequence[str], data: Mapping[str, bytes]
) -> tuple[list[int], list[str]]:
    """The entries one level down a file's tree: each node's entries in its place, chunks of
    bytes as they are. Two lists, not a tuple per entry (`node_columns`)."""
    below_depths: list[int] = []
    below_keys: list[str] = []
    for depth, key in zip(depths, keys, strict=True):
        if depth:
            entry_depths, entry_keys = node_columns(data[key])
            below_depths += entry_depths
            below_keys += entry_keys
        else:
            below_depths.append(0)
            below_keys.append(key)
    return below_depths, below_keys
