"""Signed links to a version exported for another editor profile name that profile too."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from support.api import Api


def test_export_links_are_signed_for_their_profile(alice: Api) -> None:
    _, draft_id = alice.saved_draft()
    response = alice.get(alice.url("get_draft"), draft_id=draft_id, profile="capcut")
    assert response.status_code == 200, response.text
    data = response.json()
    nobody = alice.as_key(None)

    paths = [urlsplit(url).path.rsplit(f"/{draft_id}/", 1)[1] for url in data["files"]]
    assert "Timelines/project.json" in paths and "draft_content.json" not in paths
    for url in [*data["files"], data["download_url"]]:
        assert parse_qs(urlsplit(url).query)["profile"] == ["capcut"], url
        assert nobody.http.get(url).status_code == 200, url
        for other in ("all", "jianying-6"):
            swapped = url.replace("profile=capcut", f"profile={other}")
            assert nobody.http.get(swapped).status_code == 401, swapped
