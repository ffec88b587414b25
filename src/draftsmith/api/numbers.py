"""Numbers as workflows send them: capcut-mate reads its JSON-string lists with `json.loads`
and its fields as floats, so a time of `1000000.4` or an offset of `0.5` reaches it intact.

`Whole` fields (microseconds, durations, pixels) take any JSON number and round a fraction to
the nearest whole number; the request body remembers each rounding (`rounded_fields`) so the
verb can report it (`number_rounded`) or, in strict mode, refuse it as before. `Real` fields
take any number; `Integer` fields (counts, versions, offsets) whole numbers. None of them
takes `true`, `false` or a string for a number, which pydantic otherwise would.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    GetJsonSchemaHandler,
    PrivateAttr,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


def _not_boolean(value: Any, kind: str = "a number") -> Any:
    # Nor a string: the document says number, and pydantic would otherwise read "5" as 5.
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    if isinstance(value, str):
        raise ValueError(f"must be {kind}, not a string")
    return value


def _whole_not_boolean(value: Any) -> Any:
    return _not_boolean(value, "an integer")


def _nearest_whole(value: Any) -> Any:
    value = _whole_not_boolean(value)
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        return math.floor(value + 0.5)
    return value


class _StatedAsNumber:
    """Say `number` in the JSON schema of a whole-number field: a float is taken too."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        if schema.get("type") == "integer":
            schema["type"] = "number"
        return schema


NOT_BOOLEAN = BeforeValidator(_not_boolean)
WHOLE_NOT_BOOLEAN = BeforeValidator(_whole_not_boolean)
"""NOT_BOOLEAN for an integer field: its message for a string says integer."""
ROUNDED = BeforeValidator(_nearest_whole)
AS_NUMBER = _StatedAsNumber
"""Metadata for constrained aliases, after their Field: `Annotated[int, Field(ge=0), ROUNDED,
AS_NUMBER]` (constraints given after a validator would not reach the JSON schema)."""
Whole = Annotated[int, ROUNDED, AS_NUMBER]
"""A whole number; a float is rounded to the nearest one (and remembered)."""
Real = Annotated[float, NOT_BOOLEAN]
"""Any number, but not a boolean."""
Integer = Annotated[int, WHOLE_NOT_BOOLEAN]
"""A whole number, sent as one (5 or 5.0; 5.5 is refused, not rounded); not a boolean."""


@dataclass(frozen=True)
class Rounded:
    """One number a request gave with a fraction: the field's path, what came, what is used."""

    field: str
    given: float
    used: int


class RememberRounding(BaseModel):
    """A request body that remembers which of its own fields were rounded."""

    _rounded: tuple[tuple[str, float, int], ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _remember_rounding(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        body = handler(data)
        if isinstance(data, dict) and isinstance(body, RememberRounding):
            rounded = []
            for name, given in data.items():
                if name not in cls.model_fields or not isinstance(given, float):
                    continue
                used = getattr(body, name)
                if type(used) is int and math.isfinite(given) and not given.is_integer():
                    rounded.append((name, given, used))
            body._rounded = tuple(rounded)
        return body


def rounded_fields(body: BaseModel, prefix: str = "") -> Iterator[Rounded]:
    """Every rounding in `body` and the bodies it holds, with paths like `captions[0].start`."""
    if isinstance(body, RememberRounding):
        for name, given, used in body._rounded:
            yield Rounded(f"{prefix}{name}", given, used)
    for name in type(body).model_fields:
        value = getattr(body, name)
        if isinstance(value, BaseModel):
            yield from rounded_fields(value, f"{prefix}{name}.")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from rounded_fields(item, f"{prefix}{name}[{index}].")
