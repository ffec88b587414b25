"""Save use cases: publish the current state as a version, read versions back (their files,
snapshots, what changed, whether the editor will open them), export one for another editor
profile, and restore an old one."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from draftsmith.capcut.encode import encode_folder, encode_folder_chunks, media_relpath
from draftsmith.capcut.opaque import has_opaque
from draftsmith.capcut.problems import Report
from draftsmith.capcut.profiles import Profile
from draftsmith.capcut.validate import validate_folder
from draftsmith.chunks import StaleTree, digest, length
from draftsmith.editor.sources import version_files
from draftsmith.errors import Conflict, RateLimited
from draftsmith.security.caller import Caller
from draftsmith.service.policy import UseCases, editor_profile
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.port import UpkeepStore
from draftsmith.store.records import FileEntry, SaveOutcome, VersionRecord
from draftsmith.timeline.diff import DraftDiff, diff_drafts
from draftsmith.timeline.model import Draft

File = TypeVar("File")
"""A folder's file as an encoder gives it: its bytes, or its chunks."""


@dataclass(frozen=True)
class VersionDiff:
    """What changed in saved version `version` since `previous`, the version kept before it
    (None: `version` is the oldest kept, and everything in it counts as added)."""

    version: int
    previous: int | None
    diff: DraftDiff


@dataclass(frozen=True)
class SaveCheck:
    """What a save's first read found (`SaveUseCases.check_save`): `unchanged` is the answer
    when the draft was already saved as it stands, None when there is a version to write."""

    draft_id: str
    expected_revision: int | None
    unchanged: SaveOutcome | None


class SaveUseCases(UseCases):
    def save(
        self,
        caller: Caller,
        draft_id: str,
        *,
        client: str,
        expected_revision: int | None = None,
        label: str | None = None,
        once: Idempotency[SaveOutcome] | None = None,
    ) -> SaveOutcome:
        """Publish the current state as the next saved version, unless it is already saved
        (an unchanged draft stores no idempotency key: saving it again answers alike)."""
        check = self.check_save(
            caller, draft_id, client=client, expected_revision=expected_revision
        )
        return self.finish_save(check, label=label, once=once)

    def check_save(
        self, caller: Caller, draft_id: str, *, client: str, expected_revision: int | None = None
    ) -> SaveCheck:
        """A save's first step, one read: the caller may save the draft, within the save rate
        limits, and the answer at once if the draft is already saved as it stands."""
        self._writable()
        # One read answers a save with nothing to save: the draft's header names the version
        # that saved it as it stands, if one did (the files it lists are not needed, so a
        # draft of many media answers as fast as one of none).
        header = self._store.header(draft_id)
        self._visible(caller, header)
        for scope, limiter in self._save_limits:
            try:
                limiter.take(f"{scope}:{draft_id if scope == 'draft' else client}")
            except RateLimited:
                self._metrics.rate_limited.labels(f"save_{scope}").inc()
                raise
        if expected_revision is not None and header.revision != expected_revision:
            raise Conflict()
        saved = header.saved_as
        if saved is None:
            return SaveCheck(draft_id, expected_revision, None)
        self._metrics.saves.labels("unchanged").inc()
        return SaveCheck(draft_id, expected_revision, SaveOutcome(saved, False))

    def finish_save(
        self,
        check: SaveCheck,
        *,
        label: str | None = None,
        once: Idempotency[SaveOutcome] | None = None,
    ) -> SaveOutcome:
        """The save `check` began: its answer if it had one, else the new version."""
        if check.unchanged is not None:
            return check.unchanged
        draft_id, expected_revision = check.draft_id, check.expected_revision
        # A save costs one durable write, of the chunks that changed: the folder grows from
        # the draft's previous version when only tracks were stacked since; one transaction
        # commits the version with its JSON files, and a failed one leaves nothing behind.
        with self._folders.saving(draft_id) as folder:
            # Read once this process's saves of the draft before are done, so that the folder
            # grows from the newest version: a cheap read, of the tracks written since.
            read = folder.read(draft_id)
            while True:
                header = read.header
                if expected_revision is not None and header.revision != expected_revision:
                    raise Conflict()
                saved = header.saved_as
                if saved is not None:
                    self._metrics.saves.labels("unchanged").inc()
                    return SaveOutcome(saved, False)
                saved_at = self._clock()
                profile = editor_profile(header.profile)
                # Only the tracks read are looked at: those the state does not hold.
                if has_opaque(read.tracks):
                    if read.first:
                        read = folder.read(draft_id, whole=True)
                        continue
                    return self._save_whole(
                        read.draft, header.revision, saved_at, profile, label, once
                    )
                build = folder.build(read, saved_at, profile)
                try:
                    outcome = self._store.add_version(
                        draft_id,
                        revision=header.revision,
                        snapshot=None,
                        files=build.files,
                        contents={},
                        label=label,
                        keep_versions=self._policy.keep_versions,
                        now_us=saved_at,
                        once=once,
                        tree=build.tree,
                    )
                except StaleTree:
                    # Another save (in another process) came in between: build it whole.
                    read = folder.read(draft_id, whole=True)
                    continue
                break
            if outcome.created:
                folder.keep(build, outcome.version.version)
        self._metrics.saves.labels("created" if outcome.created else "unchanged").inc()
        if outcome.created:
            self._metrics.versions_created.inc()
        return outcome

    def _save_whole(
        self,
        draft: Draft,
        revision: int,
        saved_at: int,
        profile: Profile,
        label: str | None,
        once: Idempotency[SaveOutcome] | None,
    ) -> SaveOutcome:
        """Save an imported draft: its folder encoded whole, with what the model does not
        hold put back in place (draftsmith.capcut.opaque), in one transaction."""
        encoded = encode_folder_chunks(draft, saved_at_us=saved_at, profile=profile)
        files = _folder_entries(encoded, digest, length, in_store=True)
        outcome = self._store.add_version(
            draft.id,
            revision=revision,
            snapshot=draft,
            files=files + _media_files(draft),
            contents={entry.sha256: encoded[entry.path] for entry in files},
            label=label,
            keep_versions=self._policy.keep_versions,
            now_us=saved_at,
            once=once,
        )
        self._metrics.saves.labels("created" if outcome.created else "unchanged").inc()
        if outcome.created:
            self._metrics.versions_created.inc()
        return outcome

    def file_chunks(self, record: VersionRecord, entry: FileEntry) -> Iterator[bytes]:
        """The bytes of one file of a saved version, from wherever they are kept."""
        if entry.in_store:
            return iter((self._store.version_file(record.draft_id, record.version, entry.sha256),))
        return self._blobs.open_chunks(entry.sha256)

    def file_range(
        self, record: VersionRecord, entry: FileEntry, start: int, end: int
    ) -> Iterator[bytes]:
        """Bytes `start` to `end` (exclusive) of one file of a saved version (Range requests)."""
        if entry.in_store:
            data = self._store.version_file(record.draft_id, record.version, entry.sha256)
            return iter((data[start:end],))
        return self._blobs.open_range(entry.sha256, start, end)

    def _write_folder(self, draft: Draft, saved_at: int, profile: Profile) -> tuple[FileEntry, ...]:
        encoded = encode_folder(draft, saved_at_us=saved_at, profile=profile, cache=self._fragments)
        files = _folder_entries(encoded, self._blobs.put_bytes, len, in_store=False)
        return files + _media_files(draft)

    def version(self, caller: Caller, draft_id: str, version: int | None = None) -> VersionRecord:
        self._owned(caller, draft_id)
        return self._store.version(draft_id, version)

    def export(
        self, caller: Caller, draft_id: str, version: int | None, profile: str | None
    ) -> VersionRecord:
        """A saved version whose files are the folder for the editors of `profile` (None: the
        draft's own profile, the files saved with it).

        Another profile's files are encoded from the version's snapshot with its save time, so
        every request gets the same bytes; they are put in the blob store, where equal bytes
        are one blob, and recorded with the version (they go when it goes), so the next
        request reads them back instead of encoding them again.
        """
        header = self._owned(caller, draft_id)
        target = None if profile is None else editor_profile(profile)
        record = self._store.version(draft_id, version)
        # A draft's profile never changes, so its versions were all saved for header.profile.
        if target is None or target.name == header.profile:
            return record
        exports = self._store if isinstance(self._store, UpkeepStore) else None
        if exports is not None:
            files = exports.version_export(draft_id, record.version, target.name)
            if files is not None:
                return replace(record, files=files)
        snapshot = self._store.version_snapshot(draft_id, record.version)
        files = self._write_folder(snapshot, record.created_at_us, target)
        if exports is not None:
            exports.add_version_export(draft_id, record.version, target.name, files)
        return replace(record, files=files)

    def versions(self, caller: Caller, draft_id: str) -> list[VersionRecord]:
        self._owned(caller, draft_id)
        return self._store.versions(draft_id)

    def snapshot(
        self, caller: Caller, draft_id: str, version: int | None = None
    ) -> tuple[VersionRecord, Draft]:
        """A saved version (default: the latest) and the draft as it was saved."""
        record = self.version(caller, draft_id, version)
        return record, self._store.version_snapshot(draft_id, record.version)

    def version_diff(self, caller: Caller, draft_id: str, version: int) -> VersionDiff:
        """What changed from the previous kept version to `version`."""
        self.version(caller, draft_id, version)
        kept = [v.version for v in self._store.versions(draft_id) if v.version < version]
        previous = max(kept, default=None)
        before = None if previous is None else self._store.version_snapshot(draft_id, previous)
        after = self._store.version_snapshot(draft_id, version)
        return VersionDiff(version, previous, diff_drafts(before, after))

    def validate_version(
        self, caller: Caller, draft_id: str, version: int | None, profile: str
    ) -> tuple[VersionRecord, Report]:
        """Check a saved version's folder (default: the latest) for the editors of `profile`."""
        target = editor_profile(profile)
        record = self.version(caller, draft_id, version)
        return record, validate_folder(version_files(record, self.file_chunks), target)

    def restore(
        self,
        caller: Caller,
        draft_id: str,
        version: int,
        *,
        client: str,
        once: Idempotency[SaveOutcome] | None = None,
    ) -> SaveOutcome:
        """Make an old version the current state and publish it as a new version.

        Unsaved edits made since the last save are kept in the version history only if they
        were saved; restoring replaces the current state, never an existing version.
        """
        self._writable()
        header = self._owned(caller, draft_id)
        snapshot = self._store.version_snapshot(draft_id, version)
        self._store.replace_tracks(draft_id, snapshot.tracks, header.revision, self._clock())
        self._metrics.edits.labels("restored").inc()
        # The key goes with the save: restoring again before it puts back the same tracks.
        label = f"restored from version {version}"
        return self.save(caller, draft_id, client=client, label=label, once=once)


def _media_files(draft: Draft) -> tuple[FileEntry, ...]:
    return tuple(FileEntry(media_relpath(m), m.sha256, m.size) for m in draft.media())


def _folder_entries(
    encoded: Mapping[str, File],
    name_of: Callable[[File], str],
    size_of: Callable[[File], int],
    *,
    in_store: bool,
) -> tuple[FileEntry, ...]:
    """The entries of a folder's JSON files; `name_of` names (and keeps) each distinct file.

    The timeline files of a folder are one object under several paths: it is named once.
    """
    names: dict[int, str] = {}
    entries = []
    for path, data in encoded.items():
        sha256 = names.get(id(data))
        if sha256 is None:
            sha256 = names[id(data)] = name_of(data)
        entries.append(FileEntry(path, sha256, size_of(data), in_store=in_store))
    return tuple(entries)
