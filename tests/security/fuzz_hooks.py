"""Schemathesis hooks for the fuzz run of test_schemathesis.py (its CLI loads this module).

List fields take an array or the same array encoded as a JSON string, and the document says
so: `anyOf: [array, {type: string, contentMediaType: application/json, contentSchema: array}]`.
JSON Schema cannot make a string hold JSON of a given shape (contentSchema is an annotation),
so schemathesis fills that string with any text, and a positive case would then be a request
the document does not allow after all. Here:

- a case whose JSON-string field does not hold what its contentSchema says is dropped;
- about half of the valid arrays of such fields are sent as their JSON string, so the
  server's decoding of that form is fuzzed too.

And `filter_failure` drops one kind of failure only: a schema-valid request refused for a
reason JSON Schema cannot state, each listed below with why (among them the bounds of a number
sent as a string of decimals, which the document allows but cannot bound). Set
FUZZ_FILTERED_LOG to a file name to have every dropped failure written there for review.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import jsonschema_rs
import schemathesis
from schemathesis import Case, Response
from schemathesis.core.failures import Failure
from schemathesis.hooks import HookContext
from schemathesis.openapi.checks import RejectedPositiveData

_JSON = "application/json"
STRICT_HEADER = "x-draftsmith-strict"
_cache: dict[str, dict[str, Any]] = {}


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/x-bundled/"):
        node = root["x-bundled"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _encoded_branch(node: Any, root: dict[str, Any]) -> dict[str, Any] | None:
    """The `contentSchema` of a string branch holding JSON in `node`'s anyOf, if any."""
    node = _resolve(node, root)
    if not isinstance(node, dict):
        return None
    if node.get("type") == "string" and node.get("contentMediaType") == _JSON:
        content: dict[str, Any] | None = node.get("contentSchema")
        return content
    for branch in node.get("anyOf", []):
        found = _encoded_branch(branch, root)
        if found is not None:
            return found
    return None


def _encoded_fields(context: HookContext) -> dict[str, Any]:
    """Field name -> validator of what its JSON string must hold, for the operation's body."""
    operation = context.operation
    if operation is None:
        return {}
    label = operation.label
    if label not in _cache:
        fields: dict[str, Any] = {}
        for body in operation.body:
            root = body.definition.get("schema", {})
            top = _resolve(root, root)
            for name, node in (top.get("properties") or {}).items():
                content = _encoded_branch(node, root)
                if content is not None:
                    bundled = {**content, "x-bundled": root.get("x-bundled", {})}
                    fields[name] = jsonschema_rs.validator_for(bundled)
        _cache[label] = fields
    return _cache[label]


def _holds(validator: Any, text: str) -> bool:
    try:
        decoded = json.loads(text)
    except ValueError:
        return False
    return bool(validator.is_valid(decoded))


@schemathesis.hook
def filter_case(context: HookContext, case: Case[Any]) -> bool:
    if not isinstance(case.body, dict):
        return True
    body: dict[str, Any] = case.body
    fields = _encoded_fields(context)
    return all(
        _holds(validator, body[name])
        for name, validator in fields.items()
        if isinstance(body.get(name), str)
    )


def _sent_encoded(validator: Any, value: Any) -> Any:
    """About half of the valid arrays (those whose JSON text has an odd length) as that text.
    An invalid one stays an array: as a string it would be valid in the document's eyes."""
    if not isinstance(value, list) or not validator.is_valid(value):
        return value
    text = json.dumps(value)
    return text if len(text) % 2 else value


@schemathesis.hook
def map_case(context: HookContext, case: Case[Any]) -> Case[Any]:
    if isinstance(case.body, dict):
        fields = _encoded_fields(context)
        case.body = {
            name: _sent_encoded(fields[name], value) if name in fields else value
            for name, value in case.body.items()
        }
    return case


# Refusals of requests the document allows, for what JSON Schema cannot say, each with why.
# Anything else a schema-valid request is refused for is a finding.
SEMANTIC_CODES = {
    "media_rejected": "what a URL serves is known only once it is fetched",
    "unknown_name": "catalogue names are data, thousands of them, not part of the document",
    "limit_exceeded": "a draft's limits count what the draft already holds",
    "render_limit_exceeded": "a render's length and canvas are the saved draft's",
    "idempotency_key_reused": "a key stands for the first request sent with it",
    "archive_rejected": "what a zip holds (import_draft) is known only once it is read",
    "archive_too_large": "a zip's entries and unpacked size are known only once it is read",
    "not_a_draft": "whether a zip holds a draft folder is known only once it is read",
    "draft_encrypted": "whether a draft's timeline is encrypted is known only once it is read",
    "invalid_spec": "compose lists together the refusals above of the add_* verbs it stands for; "
    "fill_template those of its items (one target each, a caption or file it cannot use)",
}
CROSS_FIELD = re.compile(
    "|".join(
        [
            r"end must be greater than start",  # two fields compared
            r"overlap on the timeline",  # items of one list compared
            r"has \d+ items but \w+ has \d+",  # two lists' lengths compared
            r"num must be at most duration",
            r"start \+ duration must be at most",
            r"\.value for \S+ must be between",  # the range depends on the property
            r"Draft content is empty",  # the draft's state
        ]
    )
)


# A number may come as a string of decimals (the document says so: anyOf number or a string
# with NUMERIC_TEXT's pattern), but JSON Schema cannot bound the number a string holds: a
# generated "99999" is schema-valid, and refused for the bounds the number branch states.
NUMERIC_TEXT = re.compile(r"[ \t\n\r]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)[ \t\n\r]*")
_FIELD_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\[[0-9]+\]")


def _at(body: Any, path: str) -> Any:
    """The value at a field path of an error detail (`video_infos[0].start`) in `body`,
    reading lists sent as JSON strings; None where there is none."""
    node = body
    for part in _FIELD_PATH.findall(path):
        if isinstance(node, str):
            try:
                node = json.loads(node)
            except ValueError:
                return None
        if part.startswith("["):
            index = int(part[1:-1])
            node = node[index] if isinstance(node, list) and index < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node


def _bounds_of_a_numeric_string(case: Case[Any], detail: str) -> bool:
    """Whether the refusal names a field the case sent as a numeric string."""
    for part in detail.split("; "):
        path = re.split(r"[: ]", part, maxsplit=1)[0]
        value = _at(case.body, path) if path else None
        if isinstance(value, str) and NUMERIC_TEXT.fullmatch(value):
            return True
    return False


def _strict(case: Case[Any]) -> bool:
    headers = {name.lower(): value for name, value in (case.headers or {}).items()}
    return str(headers.get(STRICT_HEADER, "")).strip() == "1"


@schemathesis.hook
def filter_failure(
    context: HookContext, failure: Failure, case: Case[Any], response: Response
) -> bool:
    """Keep every failure but a schema-valid request's 4xx for one of the reasons above, or
    for what strict mode refuses by design (X-Draftsmith-Strict: 1 turns each adjustment
    the document allows into a 400)."""
    if not isinstance(failure, RejectedPositiveData) or not 400 <= response.status_code < 500:
        return True
    try:
        body = json.loads(response.content)
    except ValueError:
        return True
    code, detail = body.get("code"), str(body.get("detail", ""))
    keep = not (
        code in SEMANTIC_CODES
        or _strict(case)
        or (code == "invalid_input" and CROSS_FIELD.search(detail))
        or (code == "invalid_input" and _bounds_of_a_numeric_string(case, detail))
    )
    if not keep and os.environ.get("FUZZ_FILTERED_LOG"):
        with open(os.environ["FUZZ_FILTERED_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{case.operation.label}\t{_strict(case)}\t{code}\t{detail[:200]}\n")
    return keep
