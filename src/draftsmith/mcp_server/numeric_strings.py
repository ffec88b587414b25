"""Numbers a model sends as strings (`"640"`, `" 1.5 "`), read as the HTTP verbs read them.

The SDK validates tool arguments in pydantic's lax mode, which would read any string pydantic
can (`"1e3"`, `"nan"`) and `true` as numbers, and say nothing. So before it does, every string
where a tool's input schema wants a number (and no string) is read by the HTTP API's reading
(`api.numbers.number_in_text`) and remembered for the call: its edit notes it as
`number_from_string` with the argument's path, and so the result's `warnings` carry it (a tool
without warnings of its own gets them added); in strict mode the call is refused instead,
naming the argument. `true` or `false` there is refused in both modes, as on HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import pydantic_core
from mcp.types import CallToolResult, TextContent

from draftsmith.api.numbers import FromText, number_in_text
from draftsmith.api.verbs import note_from_string
from draftsmith.api.views import warning_views
from draftsmith.errors import InvalidInput
from draftsmith.timeline.adjustments import Adjustments

Schema = Mapping[str, Any]


@dataclass
class StringsRead:
    """The numeric strings one tool call's arguments held, and whether its edit noted them."""

    found: tuple[FromText, ...] = ()
    noted: bool = False


_call: ContextVar[StringsRead | None] = ContextVar("draftsmith_mcp_strings_read", default=None)


def _branches(schema: Schema, defs: Schema) -> list[Schema]:
    """The alternatives a schema allows, references followed and unions flattened."""
    while isinstance(schema.get("$ref"), str):
        schema = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(alternatives, list):
        return [branch for one in alternatives for branch in _branches(one, defs)]
    return [schema]


def _types(branches: list[Schema]) -> set[str]:
    types: set[str] = set()
    for branch in branches:
        kind = branch.get("type")
        if kind is None:
            types.add("any")
        elif isinstance(kind, list):
            types.update(str(k) for k in kind)
        else:
            types.add(str(kind))
    return types


def _numeric_kind(types: set[str]) -> str | None:
    """What a number there must be, where only numbers (or null) are taken; else None."""
    if types & {"string", "any"}:
        return None
    if "number" in types:
        return "a number"
    return "an integer" if "integer" in types else None


class _Reader:
    def __init__(self, defs: Schema, strict: bool) -> None:
        self.defs = defs
        self.strict = strict
        self.found: list[FromText] = []

    def read(self, value: Any, schema: Schema, path: str) -> Any:
        branches = _branches(schema, self.defs)
        types = _types(branches)
        kind = _numeric_kind(types)
        if kind is not None and isinstance(value, bool) and "boolean" not in types:
            raise InvalidInput(f"{path}: Value error, must be {kind}, not true or false")
        if kind is not None and isinstance(value, str):
            return self._number(value, kind, path)
        if isinstance(value, list):
            items = next((b["items"] for b in branches if isinstance(b.get("items"), dict)), None)
            if items is not None:
                return [self.read(one, items, f"{path}[{i}]") for i, one in enumerate(value)]
        if isinstance(value, dict):
            fields = next(
                (b["properties"] for b in branches if isinstance(b.get("properties"), dict)), None
            )
            if fields is not None:
                return {
                    name: self.read(one, fields[name], f"{path}.{name}" if path else name)
                    if name in fields
                    else one
                    for name, one in value.items()
                }
        return value

    def _number(self, text: str, kind: str, path: str) -> int | float:
        if self.strict:
            raise InvalidInput(f"{path}: Value error, must be {kind}, not a string")
        try:
            number = number_in_text(text, kind)
        except ValueError as exc:
            raise InvalidInput(f"{path}: Value error, {exc}") from exc
        self.found.append(FromText(path, text, number))
        return number


def _json_text(value: Any, schema: Schema, defs: Schema) -> Any:
    """A list or object sent as JSON text, parsed (as the SDK parses it before validation)."""
    if not isinstance(value, str) or not _types(_branches(schema, defs)) & {"array", "object"}:
        return value
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        return value
    return parsed if isinstance(parsed, list | dict) else value


def read_numbers(
    schema: Schema, arguments: dict[str, Any], *, strict: bool
) -> tuple[dict[str, Any], tuple[FromText, ...]]:
    """`arguments` with each numeric string where `schema` (a tool's input schema) wants a
    number read as that number, and what was read. InvalidInput naming the argument for a
    string that holds no number, for any string when `strict`, and for a boolean there."""
    defs = schema.get("$defs", {})
    fields = schema.get("properties", {})
    reader = _Reader(defs, strict)
    read = {
        name: reader.read(_json_text(value, fields[name], defs), fields[name], name)
        if name in fields
        else value
        for name, value in arguments.items()
    }
    return read, tuple(reader.found)


@contextmanager
def strings_read(found: tuple[FromText, ...]) -> Iterator[StringsRead]:
    """While inside (one tool call), `note_strings_read` notes `found`."""
    read = StringsRead(found)
    token = _call.set(read)
    try:
        yield read
    finally:
        _call.reset(token)


def note_strings_read(notes: Adjustments) -> None:
    """Note the numeric strings of the current tool call in its edit's `notes`."""
    read = _call.get()
    if read is None:
        return
    read.noted = True
    for conversion in read.found:
        note_from_string(notes, conversion)


def with_strings_read(result: CallToolResult, read: StringsRead) -> CallToolResult:
    """`result` with the call's numeric strings in its `warnings`, when its edit did not note
    them (a tool whose result has no warnings of its own)."""
    structured = result.structured_content
    if read.noted or not read.found or result.is_error or not isinstance(structured, dict):
        return result
    notes = Adjustments()
    for conversion in read.found:
        note_from_string(notes, conversion)
    given = structured.get("warnings")
    earlier = given if isinstance(given, list) else []
    warned = {**structured, "warnings": [*earlier, *warning_views(notes.items)]}
    text = pydantic_core.to_json(warned, fallback=str, indent=2).decode()
    return result.model_copy(
        update={"structured_content": warned, "content": [TextContent(type="text", text=text)]}
    )
