"""Every request field capcut-mate documents is in this server's live OpenAPI document: optional
where capcut-mate has a default, with that default, and of a type no narrower than capcut-mate's.
The same holds inside the lists and objects (video_infos items, shadow_info...).

The documented fields are in tests/fixtures/capcut_mate (see parity/reference_docs.py).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from parity.reference_docs import DocumentedField, fields, item_fields, method, verbs
from support.server import API_PREFIX, ServerProcess

Schema = dict[str, Any]
# The JSON Schema types that take every value of a capcut-mate type.
TAKES: dict[str, tuple[str, ...]] = {
    "string": ("string",),
    "integer": ("integer", "number"),
    "number": ("number",),
    "boolean": ("boolean",),
    "object": ("object",),
    "array": ("array",),
}
ITEM_PATHS = [(verb, path) for verb in verbs() for path in item_fields(verb)]


@pytest.fixture(scope="module")
def document(shared_server: ServerProcess) -> Schema:
    with httpx.Client(timeout=30, trust_env=False) as http:
        response = http.get(f"{shared_server.base_url}/openapi.json")
    assert response.status_code == 200, response.text
    answer: Schema = response.json()
    return answer


def _resolve(document: Schema, schema: Schema) -> Schema:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def _branches(document: Schema, schema: Schema) -> list[Schema]:
    """The alternatives a value may take, with anyOf/oneOf flattened and references resolved."""
    schema = _resolve(document, schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [branch for sub in schema[key] for branch in _branches(document, sub)]
    if len(schema.get("allOf", ())) == 1:
        return _branches(document, schema["allOf"][0])
    return [schema]


def _types(branches: list[Schema]) -> set[str]:
    types: set[str] = set()
    for branch in branches:
        kind = branch.get("type", "object" if "properties" in branch else "any")
        types.update(kind if isinstance(kind, list) else [kind])
    return types


def _request_schema(document: Schema, verb: str) -> Schema:
    operation = document["paths"][f"{API_PREFIX}/{verb}"][method(verb).lower()]
    if "requestBody" in operation:
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        # A verb whose every field has a default takes no body at all, too (anyOf [body, null]).
        (schema,) = [b for b in _branches(document, body) if "object" in _types([b])]
        return schema
    query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
    return {
        "type": "object",
        "properties": {p["name"]: p["schema"] for p in query},
        "required": [p["name"] for p in query if p.get("required")],
    }


def _object_at(document: Schema, schema: Schema, path: str) -> Schema:
    """The object schema at `path`: `captions[]` is an item of captions, `shadow_info` the
    object in shadow_info, `captions[].keyword_shadow_info` the two in turn."""
    for part in path.split("."):
        name = part.removesuffix("[]")
        assert name in schema.get("properties", {}), f"{path}: no field {name}"
        branches = _branches(document, schema["properties"][name])
        if part.endswith("[]"):
            arrays = [b for b in branches if b.get("type") == "array"]
            assert arrays, f"{path}: {name} is not an array here"
            branches = _branches(document, arrays[0]["items"])
        objects = [b for b in branches if "object" in _types([b])]
        assert objects, f"{path}: {name} holds no object here"
        schema = objects[0]
    return schema


def _takes(kind: str, types: set[str]) -> bool:
    if "any" in types:
        return True
    if kind == "json_array_string":
        return {"array", "string"} <= types
    return bool(types.intersection(TAKES[kind]))


def _same(ours: Any, theirs: Any) -> bool:
    # True == 1 in Python, but not in JSON.
    return ours == theirs and isinstance(ours, bool) == isinstance(theirs, bool)


def _problems(document: Schema, schema: Schema, documented: list[DocumentedField]) -> list[str]:
    problems = []
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))
    for field in documented:
        if field.name not in properties:
            problems.append(f"{field.name}: not accepted")
            continue
        ours = properties[field.name]
        types = _types(_branches(document, ours))
        if not _takes(field.type, types):
            problems.append(f"{field.name}: capcut-mate takes {field.type}, here {sorted(types)}")
        if field.items in TAKES and field.items != "object":
            arrays = [b for b in _branches(document, ours) if b.get("type") == "array"]
            item_types = {t for a in arrays for t in _types(_branches(document, a["items"]))}
            if not _takes(field.items, item_types):
                problems.append(
                    f"{field.name}: capcut-mate takes {field.items} items, here "
                    f"{sorted(item_types)}"
                )
        optional = field.has_default or not field.required
        if optional and field.name in required:
            problems.append(f"{field.name}: required here, optional in capcut-mate")
        if field.has_default and not _same(ours.get("default"), field.default):
            problems.append(
                f"{field.name}: default {ours.get('default')!r} here, {field.default!r} "
                "in capcut-mate"
            )
    return problems


def test_every_documented_verb_is_served(document: Schema) -> None:
    missing = [
        verb
        for verb in verbs()
        if method(verb).lower() not in document["paths"].get(f"{API_PREFIX}/{verb}", {})
    ]
    assert missing == []


@pytest.mark.parametrize("verb", verbs())
def test_top_level_fields(document: Schema, verb: str) -> None:
    problems = _problems(document, _request_schema(document, verb), fields(verb))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("verb", "path"), ITEM_PATHS, ids=[f"{v}-{p}" for v, p in ITEM_PATHS])
def test_item_fields(document: Schema, verb: str, path: str) -> None:
    schema = _object_at(document, _request_schema(document, verb), path)
    problems = _problems(document, schema, item_fields(verb)[path])
    assert not problems, "\n".join(problems)


JSON_STRING_LISTS = [
    (verb, field.name)
    for verb in verbs()
    for field in fields(verb)
    if field.type == "json_array_string"
]


@pytest.mark.parametrize(("verb", "name"), JSON_STRING_LISTS)
def test_json_string_lists_are_described_as_both(document: Schema, verb: str, name: str) -> None:
    ours = _request_schema(document, verb)["properties"][name]
    branches = _branches(document, ours)
    (array,) = [b for b in branches if b.get("type") == "array"]
    (string,) = [b for b in branches if b.get("type") == "string"]
    assert "JSON string" in string.get("description", ""), string
    assert array["items"], array
