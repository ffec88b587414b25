"""Every method of `Client` against a real server: typed results and typed errors."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from client.conftest import MediaUrls
from draftsmith.client import (
    SECOND,
    Audio,
    Caption,
    CaptionStyle,
    Client,
    Conflict,
    CreatedDraft,
    DraftNotFound,
    EditResult,
    Image,
    InvalidDraftUrl,
    Placement,
    RetryNotice,
    Shadow,
    Video,
)
from draftsmith.errors import DraftUrlRequired, NotFound, VersionNotFound
from support.server import ServerProcess

UNKNOWN_ID = "20240101000000" + "0" * 16


@dataclass(frozen=True)
class Built:
    draft: CreatedDraft
    edits: tuple[EditResult, ...]


def build(client: Client, media_urls: MediaUrls, name: str) -> Built:
    """A draft with one track of each kind: video 0-2 s, audio 0-2 s, image 2-3 s, 2 captions."""
    created = client.create_draft(1280, 720, name=name)
    video = client.add_videos(
        created.draft_url, [Video(media_urls.video, 0, 2 * SECOND)], Placement(alpha=0.5)
    )
    # A bare draft id names the draft just as well as its draft_url.
    audio = client.add_audios(created.draft_id, [Audio(media_urls.audio, 0, 2 * SECOND, 0.5)])
    image = client.add_images(created.draft_url, [Image(media_urls.image, 2 * SECOND, 3 * SECOND)])
    style = CaptionStyle(text_color="#ffcc00", font_size=20, bold=True, shadow=Shadow())
    captions = [Caption("hello", 0, SECOND), Caption("world", SECOND, 2 * SECOND, 30)]
    text = client.add_captions(created.draft_url, captions, style)
    return Built(created, (video, audio, image, text))


def test_edits_return_typed_results_and_leave_the_draft_unsaved(
    client: Client, media_urls: MediaUrls
) -> None:
    built = build(client, media_urls, "client edits")
    created = built.draft
    assert created.draft_url.endswith(f"get_draft?draft_id={created.draft_id}")
    assert created.tip_url is not None
    video, _, _, text = built.edits
    assert all(edit.draft_url == created.draft_url for edit in built.edits)
    assert len(video.material_ids) == 1
    assert [(s.id, s.start, s.end) for s in video.segments] == [
        (video.segment_ids[0], 0, 2 * SECOND)
    ]
    assert len(text.segment_ids) == 2
    revisions = [edit.current_version for edit in built.edits]
    assert revisions == sorted(revisions) and len(set(revisions)) == 4

    info = client.get_draft_info(created.draft_id)
    assert (info.name, info.width, info.height) == ("client edits", 1280, 720)
    assert info.unsaved_changes and info.last_saved_version is None
    assert info.save_status == "never saved"
    assert info.current_version == text.current_version
    assert info.duration == 3 * SECOND and info.segment_count == 5
    kinds = sorted(s.media_kind or "text" for t in info.tracks for s in t.segments)
    assert kinds == ["audio", "image", "text", "text", "video"]
    assert [s.text for t in info.tracks for s in t.segments if s.text] == ["hello", "world"]


def test_save_publishes_a_version_to_list_and_download(
    client: Client, media_urls: MediaUrls, tmp_path: Path
) -> None:
    created = build(client, media_urls, "client save").draft
    saved = client.save(created.draft_url, label="first")
    assert (saved.version, saved.created) == (1, True)
    assert saved.draft_url == created.draft_url
    again = client.save(created.draft_url)
    assert (again.version, again.created) == (1, False)
    info = client.get_draft_info(created.draft_url)
    assert not info.unsaved_changes and info.save_status == "saved as version 1"
    assert info.last_saved_at is not None

    files = client.get_draft(created.draft_url)
    names = sorted(url.rsplit("/", 1)[-1] for url in files.files)
    assert files.version == 1
    assert {"draft_content.json", "draft_info.json", "draft_meta_info.json"} <= set(names)
    assert len(files.files) == 6

    archive = client.download_draft(created.draft_url, tmp_path / "out" / "draft.zip")
    assert archive.path == tmp_path / "out" / "draft.zip" and archive.size > 0
    with zipfile.ZipFile(archive.path) as bundle:
        assert sorted(bundle.namelist()) == sorted(archive.entries)
    assert all(name.startswith(f"{created.draft_id}/") for name in archive.entries)
    assert not list((tmp_path / "out").glob(".*")), "no partial download left behind"

    folder = client.download_draft(created.draft_id, tmp_path / "drafts", 1, extract=True)
    assert folder.path == tmp_path / "drafts" / created.draft_id
    assert (folder.path / "draft_content.json").is_file()
    assert sorted(p.name for p in (tmp_path / "drafts").iterdir()) == [created.draft_id]


def test_versions_restore_and_delete(client: Client, media_urls: MediaUrls) -> None:
    created = build(client, media_urls, "client versions").draft
    client.save(created.draft_url, label="first")
    client.add_captions(created.draft_url, [Caption("later", 3 * SECOND, 4 * SECOND)])
    assert client.save(created.draft_url).version == 2
    restored = client.restore_version(created.draft_url, 1)
    assert (restored.version, restored.restored_from) == (3, 1)
    versions = client.list_versions(created.draft_url)
    assert [v.version for v in versions] == [1, 2, 3]
    assert versions[0].label == "first" and versions[0].segment_count == 5
    assert versions[1].segment_count == 6 and versions[2].segment_count == 5
    assert versions[2].label == "restored from version 1"

    listed = client.list_drafts(query="client versions")
    assert [d.draft_id for d in listed] == [created.draft_id]
    assert listed[0].last_saved_version == 3

    assert client.delete_draft(created.draft_url) is True
    with pytest.raises(DraftNotFound):
        client.get_draft_info(created.draft_url)


def test_errors_are_typed_and_carry_status_and_detail(
    client: Client, notices: list[RetryNotice]
) -> None:
    with pytest.raises(DraftNotFound) as missing:
        client.save(UNKNOWN_ID)
    assert (missing.value.status, missing.value.code) == (404, "draft_not_found")
    assert missing.value.detail == "Draft does not exist"
    assert missing.value.exit_code == 3

    # The server's own check: the URL is well-formed enough to send, but not a draft_url.
    with pytest.raises(InvalidDraftUrl) as invalid:
        client.save("https://example.com/somewhere/else?draft_id=1")
    assert (invalid.value.status, invalid.value.detail) == (400, "Invalid draft_url format")
    # What is neither a URL nor a draft id never leaves the client.
    with pytest.raises(InvalidDraftUrl):
        client.get_draft_info("../../etc/passwd")
    with pytest.raises(DraftUrlRequired):
        client.save("  ")

    draft = client.create_draft().draft_url
    client.add_captions(draft, [Caption("x", 0, SECOND)])
    with pytest.raises(Conflict) as conflict:
        client.save(draft, expected_version=0)
    assert (conflict.value.status, conflict.value.code) == (409, "draft_modified")
    info = client.get_draft_info(draft)
    assert client.save(draft, expected_version=info.current_version).version == 1

    with pytest.raises(VersionNotFound) as no_version:
        client.restore_version(draft, 9)
    assert no_version.value.status == 404
    assert notices == [], "none of these is worth a retry"


def test_a_verb_the_server_lacks_is_a_not_found_with_the_real_status(
    shared_server: ServerProcess, tmp_path: Path
) -> None:
    with Client(shared_server.base_url, trust_env=False) as client:
        assert client.ready() is True
        with pytest.raises(NotFound) as missing:
            client.fetch(f"{shared_server.base_url}/no/such/thing", tmp_path / "thing")
    assert missing.value.status == 404
    assert list(tmp_path.iterdir()) == []
