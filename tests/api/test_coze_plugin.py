"""GET /openapi/coze-plugin.yaml: capcut-mate's verbs as an OpenAPI 3.0 plugin description that
Coze imports as it is, made from the same models as /openapi.json, for the public URL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator

from draftsmith.api.coze_plugin import CAPCUT_MATE_VERBS
from support.server import ServerProcess

API_PREFIX = "/openapi/capcut-mate/v1"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "capcut_mate"
PUBLIC_URL = "https://drafts.example.test/base"
OPENAPI_31_ONLY = {"anyOf", "oneOf", "allOf", "$ref", "const", "prefixItems", "examples", "$defs"}


def plugin_of(http: httpx.Client, base_url: str) -> dict[str, Any]:
    response = http.get(f"{base_url}/openapi/coze-plugin.yaml")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/yaml")
    document: dict[str, Any] = yaml.safe_load(response.text)
    return document


def operations(plugin: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each operation by its operationId."""
    found: dict[str, dict[str, Any]] = {}
    for item in plugin["paths"].values():
        for operation in item.values():
            assert operation["operationId"] not in found, operation["operationId"]
            found[operation["operationId"]] = operation
    return found


def keys_in(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node).union(*(keys_in(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(keys_in(value) for value in node))
    return set()


def test_the_plugin_is_an_openapi_30_document_with_one_tool_per_capcut_mate_verb(
    shared_server: ServerProcess, http: httpx.Client
) -> None:
    plugin = plugin_of(http, shared_server.base_url)

    OpenAPIV30SpecValidator(plugin).validate()
    assert plugin["openapi"].startswith("3.0.")
    assert plugin["servers"] == [{"url": shared_server.base_url}]
    tools = operations(plugin)
    assert set(tools) == set(CAPCUT_MATE_VERBS)
    documented = {path.stem for path in FIXTURES.glob("*.json")}
    assert documented <= set(tools), "every verb capcut-mate documents is a tool"
    for verb, operation in tools.items():
        assert re.fullmatch(r"[a-z_]+", verb)
        assert operation["summary"] and operation["description"], verb
        assert set(operation["responses"]) == {"200"}, verb
    assert not OPENAPI_31_ONLY & keys_in(plugin)
    assert '"type": "null"' not in json.dumps(plugin)
    # No key needed while API keys are off.
    assert "security" not in plugin and "components" not in plugin


def test_request_schemas_carry_the_fields_of_the_api_models(
    shared_server: ServerProcess, http: httpx.Client
) -> None:
    plugin = plugin_of(http, shared_server.base_url)
    api = http.get(f"{shared_server.base_url}/openapi.json").json()
    schemas = api["components"]["schemas"]
    tools = operations(plugin)

    for verb, tool in tools.items():
        item = api["paths"][f"{API_PREFIX}/{verb}"]
        if "get" in item:
            names = {p["name"] for p in item["get"]["parameters"]}
            assert {p["name"] for p in tool["parameters"]} == names, verb
            continue
        body = item["post"]["requestBody"]["content"]["application/json"]["schema"]
        ref = next(option for option in body.get("anyOf", [body]) if "$ref" in option)["$ref"]
        model = schemas[ref.rsplit("/", 1)[-1]]
        schema = tool["requestBody"]["content"]["application/json"]["schema"]
        assert schema["type"] == "object", verb
        assert set(schema["properties"]) == set(model["properties"]), verb
        assert set(schema.get("required", [])) == set(model.get("required", [])), verb
        for name, field in schema["properties"].items():
            assert "type" in field or "enum" in field, (verb, name)

    videos = tools["add_videos"]["requestBody"]["content"]["application/json"]["schema"]
    video_infos = videos["properties"]["video_infos"]
    # What capcut-mate's own clients send: the list as a JSON string, its items named.
    assert video_infos["type"] == "string"
    assert "video_url" in video_infos["description"]
    assert "video_infos" in videos["required"]
    create = tools["create_draft"]["requestBody"]
    assert create["required"] is False
    width = create["content"]["application/json"]["schema"]["properties"]["width"]
    assert (width["type"], width["default"]) == ("integer", 1920)
    status = tools["gen_video_status"]["responses"]["200"]["content"]["application/json"]
    states = set(status["schema"]["properties"]["status"]["enum"])
    assert {"pending", "processing", "completed", "failed"} <= states


@pytest.fixture
def keyed_public_server(tmp_path: Path) -> Iterator[ServerProcess]:
    env = {"DRAFTSMITH_PUBLIC_URL": PUBLIC_URL, "DRAFTSMITH_API_KEYS": "coze-test-key-" + "0" * 20}
    with ServerProcess(tmp_path / "data", env=env) as server:
        yield server


def test_the_public_url_is_the_server_and_a_key_goes_in_a_header(
    keyed_public_server: ServerProcess, http: httpx.Client
) -> None:
    plugin = plugin_of(http, keyed_public_server.base_url)

    OpenAPIV30SpecValidator(plugin).validate()
    assert plugin["servers"][0]["url"] == PUBLIC_URL
    assert plugin["components"]["securitySchemes"] == {
        "api_key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    }
    assert plugin["security"] == [{"api_key": []}]
    # The description itself needs no key, as /openapi.json.
    assert http.get(f"{keyed_public_server.base_url}/openapi.json").status_code == 200
