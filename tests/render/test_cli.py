"""`draftsmith render DRAFT_ID -o out.mp4` renders a saved version from the local store."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from draftsmith.bootstrap import build_drafts, open_blobs, open_store
from draftsmith.cli import main
from draftsmith.config import Settings
from draftsmith.security.caller import UNRESTRICTED
from draftsmith.timeline.model import Media, MediaKind, TrackKind
from render.drafts import media_segment, span, track
from render.probe import probe
from support.media import make_video


@pytest.fixture
def saved_draft(tmp_path: Path) -> tuple[Path, str]:
    """A data directory holding one draft, saved twice: 1 s of red, then 2 s of it."""
    data_dir = tmp_path / "data"
    settings = Settings(data_dir=data_dir)
    store, blobs = open_store(settings), open_blobs(settings)
    drafts = build_drafts(settings, store=store, blobs=blobs)
    try:
        header = drafts.create(UNRESTRICTED, 320, 240)
        clip = make_video(tmp_path / "red.mp4", 2.0, color="red")
        data = clip.read_bytes()
        sha = blobs.put_bytes(data)
        media = Media(sha, MediaKind.VIDEO, "mp4", len(data), 2_000_000, 320, 240, True)
        for end_ms in (1000, 2000):
            segment = media_segment(f"red-{end_ms}", media, span(end_ms - 1000, end_ms))
            store.append_track(header.id, track(f"v{end_ms}", TrackKind.VIDEO, segment), 1)
            drafts.save(UNRESTRICTED, header.id, client="test")
    finally:
        drafts.close()
    return data_dir, header.id


def test_render_writes_the_latest_saved_version(
    tmp_path: Path, saved_draft: tuple[Path, str]
) -> None:
    data_dir, draft_id = saved_draft
    output = tmp_path / "out.mp4"
    args = ["render", draft_id, "-o", str(output), "--data-dir", str(data_dir)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"{draft_id} v2" in result.output
    assert probe(output).duration_s == pytest.approx(2.0, abs=1 / 30)


def test_render_of_an_older_version(tmp_path: Path, saved_draft: tuple[Path, str]) -> None:
    data_dir, draft_id = saved_draft
    output = tmp_path / "v1.mp4"
    args = ["render", draft_id, "-o", str(output), "--data-dir", str(data_dir), "--version", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert probe(output).duration_s == pytest.approx(1.0, abs=1 / 30)


def test_render_of_an_unknown_draft_fails_with_its_exit_code(
    tmp_path: Path, saved_draft: tuple[Path, str]
) -> None:
    data_dir, _ = saved_draft
    unknown = "20250101000000" + "0" * 16
    args = ["render", unknown, "-o", str(tmp_path / "x.mp4"), "--data-dir", str(data_dir)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 3
    assert "Draft does not exist" in result.output
    assert not (tmp_path / "x.mp4").exists()
