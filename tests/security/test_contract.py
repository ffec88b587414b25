"""The OpenAPI document says what the server accepts, and the server holds to it: the cases a
schema-driven fuzzer found (draft_url: null and empty lists allowed by the document but
refused, `"offset": false` accepted where an integer is declared, OPTIONS answered 405 without
`Allow`, the UI's JSON views missing), each against a real server with keys on.

test_schemathesis.py fuzzes the whole document; these pin the individual findings."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from support.api import Api
from support.server import API_PREFIX, ServerProcess

from .conftest import KEY_A

UI_VIEWS = [
    "/ui/api/drafts",
    "/ui/api/drafts/{draft_id}/timeline",
    "/ui/api/drafts/{draft_id}/render",
    "/ui/api/drafts/{draft_id}/versions/{version}/diff",
]


@pytest.fixture(scope="module")
def document(keyed_server: ServerProcess) -> dict[str, Any]:
    response = httpx.get(f"{keyed_server.base_url}/openapi.json", timeout=30)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def body_schema(document: dict[str, Any], verb: str) -> dict[str, Any]:
    operation = document["paths"][f"{API_PREFIX}/{verb}"]["post"]
    assert operation["requestBody"]["required"] is True
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema: dict[str, Any] = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return schema


@pytest.mark.parametrize("verb", ["save_draft", "add_videos", "add_captions", "gen_video"])
def test_draft_url_is_documented_as_required(
    document: dict[str, Any], alice: Api, verb: str
) -> None:
    schema = body_schema(document, verb)
    assert "draft_url" in schema["required"]
    declared = schema["properties"]["draft_url"]
    assert declared["type"] == "string"
    draft_url = alice.create_draft()
    assert re.fullmatch(declared["pattern"], draft_url), (declared["pattern"], draft_url)


@pytest.mark.parametrize("verb", ["save_draft", "get_draft_info", "gen_video", "list_versions"])
def test_a_missing_or_null_draft_url_is_refused(alice: Api, verb: str) -> None:
    for body in ({"draft_url": None}, {}, None):
        response = alice.post(verb, body)
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "draft_url_required"


@pytest.mark.parametrize(
    ("verb", "field"),
    [("add_videos", "video_infos"), ("add_captions", "captions"), ("add_masks", "segment_ids")],
)
def test_lists_refused_empty_are_documented_with_min_items(
    document: dict[str, Any], alice: Api, verb: str, field: str
) -> None:
    array, encoded = body_schema(document, verb)["properties"][field]["anyOf"]
    assert array["type"] == "array" and array["minItems"] == 1
    assert encoded["type"] == "string"
    assert encoded["contentMediaType"] == "application/json"
    assert encoded["contentSchema"]["minItems"] == 1

    draft_url = alice.create_draft()
    empty: list[object] | str
    for empty in ([], "[]"):
        response = alice.post(verb, {"draft_url": draft_url, field: empty})
        assert response.status_code == 400, response.text
        assert field in response.json()["detail"]


@pytest.mark.parametrize(
    ("verb", "body", "strict"),
    [
        ("list_drafts", {"offset": False}, None),
        ("list_drafts", {"limit": True}, None),
        # A number as a string of decimals is read (capcut-mate's lax mode) but in strict mode.
        ("list_drafts", {"limit": "5"}, True),
        ("list_drafts", {"limit": "5 apples"}, None),
        ("create_draft", {"width": "640"}, True),
        ("create_draft", {"width": "1e3"}, None),
        ("get_effects", {"offset": False}, None),
        ("save_draft", {"expected_version": True}, None),
    ],
)
def test_integers_refuse_booleans_and_strings(
    alice: Api, verb: str, body: dict[str, Any], strict: bool | None
) -> None:
    if verb == "save_draft":
        body = {**body, "draft_url": alice.create_draft()}
    response = alice.post(verb, body, strict=strict)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "invalid_input"


def test_switches_refuse_anything_but_true_and_false(alice: Api) -> None:
    draft_url = alice.create_draft()
    caption = [{"text": "hi", "start": 0, "end": 1_000_000}]
    for bold in (1, "true", "yes"):
        response = alice.post(
            "add_captions", {"draft_url": draft_url, "captions": caption, "bold": bold}
        )
        assert response.status_code == 400, (bold, response.text)


def test_options_answers_allow_on_every_documented_path(
    document: dict[str, Any], keyed_server: ServerProcess
) -> None:
    with httpx.Client(base_url=keyed_server.base_url, timeout=30) as http:
        for path, item in document["paths"].items():
            concrete = path.format(draft_id="20260101000000" + "a" * 16, version=1, path="x")
            response = http.options(concrete)
            assert response.status_code == 204, (path, response.status_code, response.text)
            allowed = {method.strip() for method in response.headers["allow"].split(",")}
            documented = {method.upper() for method in item}
            assert documented <= allowed <= documented | {"HEAD", "OPTIONS"}, (path, allowed)
        # A method no route of the path takes: 405, with every method the path answers to.
        refused = http.put(f"{API_PREFIX}/download_draft")
        assert refused.status_code == 405
        assert refused.headers["allow"] == "GET, HEAD, OPTIONS, POST"


def test_an_operation_states_the_key_schemes_exactly_when_it_refuses_a_request_without_a_key(
    document: dict[str, Any], keyed_server: ServerProcess
) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key as a bearer token: `Authorization: Bearer ds_...`.",
    }
    assert schemes["HeaderKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "An API key in the X-API-Key header.",
    }
    draft_id = "20260101000000" + "a" * 16
    open_operations = set()
    with httpx.Client(base_url=keyed_server.base_url, timeout=30) as http:
        for path, item in document["paths"].items():
            concrete = path.format(draft_id=draft_id, version=1, path="x")
            for method, operation in item.items():
                # The routes that take signed links in place of a key read the draft first.
                query = {
                    parameter["name"]: draft_id if parameter["name"] == "draft_id" else "1"
                    for parameter in operation.get("parameters", [])
                    if parameter["in"] == "query" and parameter.get("required")
                }
                response = http.request(method.upper(), concrete, params=query)
                if "security" in operation:
                    assert operation["security"] == [{"BearerKey": []}, {"HeaderKey": []}]
                    assert response.status_code == 401, (method, path, response.text)
                else:
                    assert response.status_code != 401, (method, path, response.text)
                    open_operations.add(path)
    assert open_operations == {"/healthz", "/readyz", f"{API_PREFIX}/compose.schema.json"}


def test_the_ui_json_views_are_documented_with_their_answers(document: dict[str, Any]) -> None:
    for path in UI_VIEWS:
        operation = document["paths"][path]["get"]
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in answer, (path, answer)
        assert {"BearerKey"} <= {name for entry in operation["security"] for name in entry}
    assert not any(path.startswith("/ui/") and path not in UI_VIEWS for path in document["paths"])


@pytest.mark.parametrize("authorization", ["", "Bearer", "Basic YTpi", "garbage"])
def test_a_broken_authorization_header_is_not_passed_over_for_x_api_key(
    keyed_server: ServerProcess, authorization: str
) -> None:
    headers = {"X-API-Key": KEY_A, "Authorization": authorization}
    response = httpx.post(keyed_server.api("list_drafts"), json={}, headers=headers, timeout=30)
    assert response.status_code == 401, response.text
    alone = httpx.post(
        keyed_server.api("list_drafts"), json={}, headers={"X-API-Key": KEY_A}, timeout=30
    )
    assert alone.status_code == 200, alone.text
