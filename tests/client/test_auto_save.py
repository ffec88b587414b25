"""`Client.auto_save` against a real server: it saves after changes, and only then."""

from __future__ import annotations

import time

import pytest

from draftsmith.client import SECOND, Caption, Client, DraftNotFound
from support.waiting import wait_for

EVERY = 0.2


def caption(client: Client, draft: str, text: str) -> None:
    client.add_captions(draft, [Caption(text, 0, SECOND)])


def test_auto_save_saves_only_after_changes(client: Client) -> None:
    draft = client.create_draft().draft_url
    caption(client, draft, "first")
    client.save(draft)

    def version_count() -> int:
        return len(client.list_versions(draft))

    with client.auto_save(draft, every=EVERY) as saver:
        time.sleep(EVERY * 4)
        assert version_count() == 1, "nothing changed, nothing saved"
        assert saver.last_result is None and saver.last_error is None
        assert saver.status == "saved as version 1"

        caption(client, draft, "second")
        wait_for(lambda: version_count() == 2)
        time.sleep(EVERY * 4)
        assert version_count() == 2, "one edit, one new version"
        result = saver.last_result
        assert result is not None and (result.version, result.created) == (2, True)
        assert saver.saves == 1 and saver.running
        assert saver.status.startswith("saved as version 2 at ")

        caption(client, draft, "third")
    # Leaving the block saves what is left, once.
    assert not saver.running
    assert version_count() == 3 and saver.saves == 2
    assert not client.get_draft_info(draft).unsaved_changes


def test_stop_without_flush_leaves_changes_unsaved(client: Client) -> None:
    draft = client.create_draft().draft_url
    saver = client.auto_save(draft, every=60)
    caption(client, draft, "pending")
    assert saver.stop(flush=False) is None
    assert client.get_draft_info(draft).unsaved_changes
    assert client.list_versions(draft) == []


def test_auto_save_stops_when_the_draft_is_gone(client: Client) -> None:
    draft = client.create_draft().draft_url
    saver = client.auto_save(draft, every=EVERY)
    client.delete_draft(draft)
    wait_for(lambda: not saver.running)
    assert isinstance(saver.last_error, DraftNotFound)
    assert saver.status == "auto-save failed: Draft does not exist"
    saver.stop(flush=False)


def test_every_must_be_positive(client: Client) -> None:
    draft = client.create_draft().draft_url
    with pytest.raises(ValueError, match="positive"):
        client.auto_save(draft, every=0)
