"""Previews with API keys on: only the draft's owner makes one, and its video is served only
to the signed link the answer gives (a `<video>` element cannot send a key)."""

from __future__ import annotations

import httpx

from support.api import SECOND, Api
from support.downloads import draft_id_of
from support.server import ServerProcess


def test_a_preview_is_made_by_the_owner_and_played_by_its_signed_link(
    keyed_server: ServerProcess, alice: Api, bob: Api, http: httpx.Client
) -> None:
    url = alice.create_draft(320, 240)
    alice.add_caption(url, "private", 0, SECOND)
    endpoint = f"{keyed_server.base_url}/ui/api/drafts/{draft_id_of(url)}/preview"
    assert http.post(endpoint).status_code == 401
    refused = bob.http.post(endpoint, headers=bob.headers())
    assert refused.status_code == 404, refused.text
    made = alice.http.post(endpoint, headers=alice.headers(), timeout=60)
    assert made.status_code == 200, made.text
    video_url = made.json()["video_url"]
    assert "expires=" in video_url and "sig=" in video_url

    signed = http.get(f"{keyed_server.base_url}/{video_url}")
    assert signed.status_code == 200, signed.text
    assert signed.content[4:8] == b"ftyp"
    bare = f"{keyed_server.base_url}/{video_url.split('?', 1)[0]}"
    # Without the link, even the owner's key does not name a preview: the hash alone is no proof.
    assert alice.get(bare).status_code == 404
    assert http.get(bare).status_code == 404
    tampered = f"{keyed_server.base_url}/{video_url[:-4]}0000"
    assert http.get(tampered).status_code == 404
