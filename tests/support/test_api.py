"""The tests' API helper: both layers reach the same server with the same key, `ok` fails the
test on anything but a capcut-mate success, and closing closes only what the helper opened."""

from __future__ import annotations

import httpx
import pytest

from draftsmith.errors import DraftNotFound
from support.api import Api
from support.server import ServerProcess

MISSING_ID = "20200101000000" + "0" * 16


def test_typed_and_raw_layers_see_the_same_draft(shared_server: ServerProcess) -> None:
    with Api(shared_server.base_url) as api:
        draft_url = api.create_draft(320, 240, "helper")
        edit = api.add_caption(draft_url, "one")
        info = api.info(draft_url)
        assert (info["current_version"], info["track_count"]) == (edit.current_version, 1)
        assert api.save(draft_url)["version"] == 1
        missing = draft_url.replace(draft_url.rsplit("=", 1)[1], MISSING_ID)
        with pytest.raises(DraftNotFound):
            api.add_caption(missing, "nowhere")
        with pytest.raises(AssertionError, match="draft_not_found"):
            api.info(missing)


def test_a_key_goes_with_both_layers_and_to_derived_apis(shared_server: ServerProcess) -> None:
    with Api(shared_server.base_url, key="k1") as api:
        assert api.headers() == {"Authorization": "Bearer k1"}
        other = api.as_key(None)
        assert (other.headers(), other.http, other.base_url) == ({}, api.http, api.base_url)
        elsewhere = api.at("http://127.0.0.1:9")
        assert (elsewhere.key, elsewhere.url("x")) == (
            "k1",
            "http://127.0.0.1:9/openapi/capcut-mate/v1/x",
        )


def test_closing_closes_what_it_opened_and_leaves_a_borrowed_client(
    shared_server: ServerProcess,
) -> None:
    with Api(shared_server.base_url) as own:
        own.create_draft()
        derived = own.as_key("k2")
    assert own.http.is_closed
    assert derived.http.is_closed
    with httpx.Client(trust_env=False) as http:
        with Api(shared_server.base_url, http=http) as borrowing:
            borrowing.create_draft()
        assert not http.is_closed
        assert http.get(f"{shared_server.base_url}/healthz").status_code == 200
