"""The zip of a version reads each file the store keeps once, however many names the folder
gives it (the timeline file is draft_content.json, draft_info.json and, for some editors, the
nested timeline), and still holds every member whole."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from draftsmith.store.records import FileEntry, VersionRecord
from draftsmith.web.files import _write_zip

TIMELINE, META, MEDIA = "a" * 64, "b" * 64, "c" * 64
DATA = {TIMELINE: [b'{"tracks":', b"[]}"], META: [b"{}"], MEDIA: [b"\x00\x01", b"\x02"]}


def test_a_file_the_store_keeps_under_several_names_is_read_once() -> None:
    files = (
        FileEntry("draft_content.json", TIMELINE, 13, in_store=True),
        FileEntry("draft_info.json", TIMELINE, 13, in_store=True),
        FileEntry("draft_meta_info.json", META, 2, in_store=True),
        FileEntry("Timelines/x/draft_info.json", TIMELINE, 13, in_store=True),
        # Blobs are streamed from their files each time, never held.
        FileEntry("materials/one.mp4", MEDIA, 3),
        FileEntry("materials/two.mp4", MEDIA, 3),
    )
    record = VersionRecord("dft_zip", 1, 1, 0, None, files, 0, 0)
    reads: list[str] = []

    def read(_: VersionRecord, entry: FileEntry) -> Iterator[bytes]:
        reads.append(entry.path)
        return iter(DATA[entry.sha256])

    spool = io.BytesIO()
    _write_zip(spool, read, record)

    assert reads == [
        "draft_content.json",
        "draft_meta_info.json",
        "materials/one.mp4",
        "materials/two.mp4",
    ]
    with zipfile.ZipFile(spool) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    assert members == {f"dft_zip/{entry.path}": b"".join(DATA[entry.sha256]) for entry in files}
