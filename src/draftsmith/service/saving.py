"""Save use cases: publish the current state as a version, read versions back, export one for
another editor profile, and restore an old one."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import TypeVar

from draftsmith.capcut.encode import encode_folder, encode_folder_chunks, media_relpath
from draftsmith.capcut.profiles import Profile
from draftsmith.chunks import digest, length
from draftsmith.errors import Conflict
from draftsmith.security.caller import Caller
from draftsmith.service.policy import UseCases, editor_profile
from draftsmith.store.records import FileEntry, SaveOutcome, VersionRecord
from draftsmith.timeline.model import Draft

File = TypeVar("File")
"""A folder's file as an encoder gives it: its bytes, or its chunks."""


class SaveUseCases(UseCases):
    def save(
        self,
        caller: Caller,
        draft_id: str,
        *,
        client: str,
        expected_revision: int | None = None,
        label: str | None = None,
    ) -> SaveOutcome:
        """Publish the current state as the next saved version, unless it is already saved."""
        self._writable()
        header = self._owned(caller, draft_id)
        for scope, limiter in self._save_limits:
            limiter.take(f"{scope}:{draft_id if scope == 'draft' else client}")
        if expected_revision is not None and header.revision != expected_revision:
            raise Conflict()
        if header.saved_version and header.saved_revision == header.revision:
            return SaveOutcome(self.store.version(draft_id, header.saved_version), False)
        header, draft = self.store.load(draft_id)
        if expected_revision is not None and header.revision != expected_revision:
            raise Conflict()
        saved_at = self._clock()
        encoded = encode_folder_chunks(
            draft, saved_at_us=saved_at, profile=editor_profile(draft.profile)
        )
        # One transaction commits the version with its JSON files: a save costs one durable
        # write, of the chunks that changed, and a failed one leaves nothing behind.
        files = _folder_entries(encoded, digest, length, in_store=True)
        contents = {entry.sha256: encoded[entry.path] for entry in files}
        return self.store.add_version(
            draft_id,
            revision=header.revision,
            snapshot=draft,
            files=files + _media_files(draft),
            contents=contents,
            label=label,
            keep_versions=self._policy.keep_versions,
            now_us=saved_at,
        )

    def file_chunks(self, record: VersionRecord, entry: FileEntry) -> Iterator[bytes]:
        """The bytes of one file of a saved version, from wherever they are kept."""
        if entry.in_store:
            return iter((self.store.version_file(record.draft_id, record.version, entry.sha256),))
        return self.blobs.open_chunks(entry.sha256)

    def _write_folder(self, draft: Draft, saved_at: int, profile: Profile) -> tuple[FileEntry, ...]:
        encoded = encode_folder(draft, saved_at_us=saved_at, profile=profile)
        files = _folder_entries(encoded, self.blobs.put_bytes, len, in_store=False)
        return files + _media_files(draft)

    def version(self, caller: Caller, draft_id: str, version: int | None = None) -> VersionRecord:
        self._owned(caller, draft_id)
        return self.store.version(draft_id, version)

    def export(
        self, caller: Caller, draft_id: str, version: int | None, profile: str | None
    ) -> VersionRecord:
        """A saved version whose files are the folder for the editors of `profile` (None: the
        draft's own profile, the files saved with it).

        Another profile's files are encoded from the version's snapshot with its save time, so
        every request gets the same bytes; they are put in the blob store, where equal bytes
        are one blob, and are not recorded with the version.
        """
        header = self._owned(caller, draft_id)
        target = None if profile is None else editor_profile(profile)
        record = self.store.version(draft_id, version)
        # A draft's profile never changes, so its versions were all saved for header.profile.
        if target is None or target.name == header.profile:
            return record
        snapshot = self.store.version_snapshot(draft_id, record.version)
        return replace(record, files=self._write_folder(snapshot, record.created_at_us, target))

    def versions(self, caller: Caller, draft_id: str) -> list[VersionRecord]:
        self._owned(caller, draft_id)
        return self.store.versions(draft_id)

    def restore(self, caller: Caller, draft_id: str, version: int, *, client: str) -> SaveOutcome:
        """Make an old version the current state and publish it as a new version.

        Unsaved edits made since the last save are kept in the version history only if they
        were saved; restoring replaces the current state, never an existing version.
        """
        self._writable()
        header = self._owned(caller, draft_id)
        snapshot = self.store.version_snapshot(draft_id, version)
        self.store.replace_tracks(draft_id, snapshot.tracks, header.revision, self._clock())
        return self.save(caller, draft_id, client=client, label=f"restored from version {version}")


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
