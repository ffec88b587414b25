"""Numbers as workflows send them: capcut-mate reads its JSON-string lists with `json.loads`
and its fields as floats (pydantic's lax mode), so a time of `1000000.4`, an offset of `0.5`
or a width of `"640"` reaches it intact.

`Whole` fields (microseconds, durations, pixels) take any JSON number and round a fraction to
the nearest whole number; `Real` fields take any number; `Integer` fields (counts, versions,
offsets) whole numbers. Each also takes a number written as a string in decimals (`"640"`,
`" 1.5 "`): the string is read, then the field's bounds apply as to a number. None of them
takes `true`, `false`, or any other string ("", "abc", "nan", "1e3").

The request body remembers what it read differently from what was sent (`number_conversions`):
a rounding (`number_rounded`) or a string read as a number (`number_from_string`), so that the
verb can report it or, in strict mode, refuse it as before. On HTTP, strict mode refuses a
numeric string while the body is read (`strict_numbers`), with the 400 it got before such
strings were taken, on every verb, including those whose answer has no `warnings`.
"""

from __future__ import annotations

import functools
import json
import math
import re
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated, Any, ForwardRef, Literal, TypeVar, get_args, get_origin

from pydantic import (
    BaseModel,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

_BLANK = r"[ \t\n\r]*"
NUMERIC_TEXT = rf"^{_BLANK}[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+){_BLANK}$"
"""A number in decimals, as a string, with JSON's blanks around it."""
MAX_NUMERIC_TEXT = 40
"""The longest such string read: enough for any number a field takes, and no digit string long
enough to cost time to read."""
NUMERIC_TEXT_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": NUMERIC_TEXT,
    "maxLength": MAX_NUMERIC_TEXT,
    "description": "The number written in decimals, as a string; the bounds stated for the "
    "number apply to it too.",
}
_WHOLE_TEXT = re.compile(rf"{_BLANK}[+-]?[0-9]+{_BLANK}")

_strict: ContextVar[bool] = ContextVar("draftsmith_strict_numbers", default=False)


@contextmanager
def strict_numbers(strict: bool) -> Iterator[None]:
    """While inside, a number sent as a string is refused (strict mode), not read."""
    token = _strict.set(strict)
    try:
        yield
    finally:
        _strict.reset(token)


def _number_from_text(text: str, kind: str) -> int | float:
    if _strict.get():
        raise ValueError(f"must be {kind}, not a string")
    return number_in_text(text, kind)


def number_in_text(text: str, kind: str) -> int | float:
    """The number `text` writes in decimals (an int if whole); ValueError saying that `kind`
    is wanted for any other string, a longer one included."""
    if len(text) > MAX_NUMERIC_TEXT or re.fullmatch(NUMERIC_TEXT, text) is None:
        shown = text if len(text) <= MAX_NUMERIC_TEXT else text[:MAX_NUMERIC_TEXT] + "..."
        raise ValueError(
            f'must be {kind}, or a string holding one in decimals (like "12"; at most '
            f"{MAX_NUMERIC_TEXT} characters), got {shown!r}"
        )
    if _WHOLE_TEXT.fullmatch(text):
        return int(text)
    return float(text)


def _number(value: Any, kind: str) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    if isinstance(value, str):
        return _number_from_text(value, kind)
    return value


def _nearest_whole(value: Any) -> Any:
    value = _number(value, "an integer")
    if isinstance(value, float) and math.isfinite(value) and not value.is_integer():
        return math.floor(value + 0.5)
    return value


@dataclass(frozen=True)
class _NumberOrText:
    """A number field's reading of its input (no booleans; a numeric string read as its
    number; a whole number's fraction rounded when `rounds`), and its JSON schema: the number,
    or that number written as a string. A rounding field says `number` (a float is taken)."""

    kind: str
    rounds: bool = False

    def _read(self, value: Any) -> Any:
        return _nearest_whole(value) if self.rounds else _number(value, self.kind)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self._read, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        number = handler(schema)
        if self.rounds and number.get("type") == "integer":
            number["type"] = "number"
        return {"anyOf": [number, dict(NUMERIC_TEXT_SCHEMA)]}


NOT_BOOLEAN = _NumberOrText("a number")
"""Metadata of a float field: `Annotated[float, Field(ge=0), NOT_BOOLEAN]`."""
WHOLE_NOT_BOOLEAN = _NumberOrText("an integer")
"""NOT_BOOLEAN for an integer field: 5 or 5.0 (or "5"); 5.5 is refused, not rounded."""
ROUNDED = _NumberOrText("an integer", rounds=True)
"""Metadata of a whole-number field that takes a fraction and rounds it (and remembers)."""
Whole = Annotated[int, ROUNDED]
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


@dataclass(frozen=True)
class FromText:
    """One number a request gave as a string: the field's path, the string, the number used."""

    field: str
    given: str
    used: int | float

    @property
    def kind(self) -> str:
        return "an integer" if type(self.used) is int else "a number"


Conversion = Rounded | FromText


_READ_DIFFERENTLY = (str, float, list)
"""What a value sent must be for a field to have read it as something else (`_conversions`)."""


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)


def _conversions(path: str, given: Any, used: Any) -> Iterator[Conversion]:
    """What reading `given` into `used` changed: strings read, fractions rounded, in lists of
    numbers too (a JSON string holding such a list included)."""
    if isinstance(given, str) and _is_number(used):
        yield FromText(path, given, used)
        number = float(given)
        if type(used) is int and not number.is_integer():
            yield Rounded(path, number, used)
    elif isinstance(given, float) and type(used) is int:
        if math.isfinite(given) and not given.is_integer():
            yield Rounded(path, given, used)
    elif isinstance(used, list) and any(_is_number(item) for item in used):
        if isinstance(given, str):
            try:
                given = json.loads(given)
            except ValueError:
                return
        if isinstance(given, list) and len(given) == len(used):
            for index, (one, read) in enumerate(zip(given, used, strict=True)):
                yield from _conversions(f"{path}[{index}]", one, read)


class RememberRounding(BaseModel):
    """A request body that remembers which of its own numbers it read differently from how
    they were sent (rounded, or read from a string): `conversions_of`."""

    @model_validator(mode="wrap")
    @classmethod
    def _remember_conversions(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        body = handler(data)
        if isinstance(data, dict) and isinstance(body, RememberRounding):
            # The body's __dict__ holds exactly its fields' values. Most values were read as
            # sent; only a string, a float or a list read into something else is looked at.
            values = vars(body)
            changed = [
                name
                for name, given in data.items()
                if isinstance(given, _READ_DIFFERENTLY)
                and name in values
                and (type(given) is not type(values[name]) or given != values[name])
            ]
            converted = tuple(
                conversion
                for name in changed
                for conversion in _conversions(name, data[name], values[name])
            )
            if converted:
                remember_conversions(body, converted)
        return body


# Few bodies convert anything: their conversions are kept aside, by the body's identity, for as
# long as it lives, rather than in a private attribute that every body (a few hundred items in
# one request) would pay pydantic to set up.
_CONVERTED: dict[int, tuple[Conversion, ...]] = {}


def remember_conversions(body: RememberRounding, converted: tuple[Conversion, ...]) -> None:
    """Let `body` remember `converted` as what it read differently (replacing what it did)."""
    key = id(body)
    if key not in _CONVERTED:
        weakref.finalize(body, _CONVERTED.pop, key, None)
    _CONVERTED[key] = converted


def conversions_of(body: BaseModel) -> tuple[Conversion, ...]:
    """What `body` itself (not the bodies it holds) read differently from how it was sent."""
    return _CONVERTED.get(id(body), ())


def number_conversions(body: BaseModel, prefix: str = "") -> Iterator[Conversion]:
    """Every conversion in `body` and the bodies it holds, with paths like `captions[0].start`
    (each string read before its rounding)."""
    found: list[Conversion] = []
    # No body alive converted anything (the usual case): none of these did.
    if _CONVERTED:
        _collect_conversions(body, prefix, found)
    yield from found


def _collect_conversions(body: BaseModel, prefix: str, found: list[Conversion]) -> None:
    # A plain walk appending to one list, into the fields that can hold bodies only: a body of
    # a few hundred items is walked on every request that carries it.
    for conversion in _CONVERTED.get(id(body), ()):
        if isinstance(conversion, Rounded):
            found.append(Rounded(f"{prefix}{conversion.field}", conversion.given, conversion.used))
        else:
            found.append(FromText(f"{prefix}{conversion.field}", conversion.given, conversion.used))
    for name in _fields_holding_models(type(body)):
        value = getattr(body, name)
        if isinstance(value, BaseModel):
            _collect_conversions(value, f"{prefix}{name}.", found)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _collect_conversions(item, f"{prefix}{name}[{index}].", found)


@functools.cache
def _fields_holding_models(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` whose values may be or hold models, in the order of its fields."""
    return tuple(name for name, info in model.model_fields.items() if _may_hold(info.annotation))


def _may_hold(annotation: Any) -> bool:
    """Whether a value of the type `annotation` may be or hold a model (when in doubt, yes)."""
    if annotation is Any or isinstance(annotation, str | ForwardRef | TypeVar):
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    if get_origin(annotation) is Literal:
        return False
    return any(_may_hold(argument) for argument in get_args(annotation) if argument is not ...)
