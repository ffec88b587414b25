"""Typed reading of a JSON response body.

The server's answers are plain JSON objects; `Fields` reads them with the type each result
field needs and turns a missing or mistyped field into one clear error instead of a
`KeyError` deep inside a caller's code.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from draftsmith.errors import DraftsmithError


class UnexpectedResponse(DraftsmithError):
    """The server answered 2xx with a body this client cannot read (wrong server or version)."""

    code = "unexpected_response"
    default_detail = "Unexpected response from the server"


class Fields:
    """Typed accessors over one JSON object; `where` names it in error messages."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise UnexpectedResponse(
                f"Unexpected response from the server: {where} is not an object"
            )
        self._data: Mapping[str, Any] = data
        self._where = where

    def _bad(self, name: str, expected: str) -> UnexpectedResponse:
        return UnexpectedResponse(
            f"Unexpected response from the server: {self._where}.{name} is not {expected}"
        )

    def text(self, name: str) -> str:
        value = self._data.get(name)
        if not isinstance(value, str):
            raise self._bad(name, "a string")
        return value

    def opt_text(self, name: str) -> str | None:
        """A string, or None when absent, null or empty (capcut-mate sends "" for none)."""
        value = self._data.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise self._bad(name, "a string")
        return value

    def integer(self, name: str, default: int | None = None) -> int:
        value = self._data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._bad(name, "an integer")
        return value

    def opt_integer(self, name: str) -> int | None:
        value = self._data.get(name)
        return None if value is None else self.integer(name)

    def number(self, name: str, default: float | None = None) -> float:
        value = self._data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._bad(name, "a number")
        return float(value)

    def flag(self, name: str, default: bool | None = None) -> bool:
        value = self._data.get(name, default)
        if not isinstance(value, bool):
            raise self._bad(name, "a boolean")
        return value

    def time(self, name: str) -> datetime | None:
        """An ISO 8601 timestamp (a trailing Z is accepted), or None when absent."""
        text = self.opt_text(name)
        if text is None:
            return None
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise self._bad(name, "an ISO 8601 time") from exc

    def texts(self, name: str) -> tuple[str, ...]:
        values = self.items(name)
        if not all(isinstance(v, str) for v in values):
            raise self._bad(name, "a list of strings")
        return tuple(values)

    def items(self, name: str) -> list[Any]:
        value = self._data.get(name)
        if not isinstance(value, list):
            raise self._bad(name, "a list")
        return value

    def objects(self, name: str) -> list[Fields]:
        return [
            Fields(item, f"{self._where}.{name}[{i}]") for i, item in enumerate(self.items(name))
        ]

    def opt_object(self, name: str) -> Fields | None:
        """A nested object, or None when it is absent or null."""
        value = self._data.get(name)
        return None if value is None else Fields(value, f"{self._where}.{name}")

    def opt_objects(self, name: str) -> list[Fields]:
        """The objects of a list, or none when it is absent or null (an older server)."""
        return [] if self._data.get(name) is None else self.objects(name)
