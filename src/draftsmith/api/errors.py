"""Errors as the contract states them: the `{"detail", "code"}` body and headers of a
DraftsmithError, and how a request validation failure becomes one readable `detail`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from draftsmith.errors import DraftsmithError, InvalidSpec, RangeNotSatisfiable

# pydantic names the member of a union (or a validator wrapping a type) that failed as a part
# of the location: `offsets.list[constrained-float][0]`. People know the field as `offsets[0]`.
_TYPE_TAG = re.compile(
    r"(list|set|tuple|dict|str|int|float|bool|none|nullable|chain|default|json-or-python"
    r"|lax-or-strict|function-[a-z-]+|constrained-[a-z]+)(\[.*\])?"
)


def _field_name(location: Sequence[Any]) -> str:
    # The first part says where the field was (body, query, path, header); a field may itself
    # be called "query" (list_drafts), so only that first part is dropped.
    if location and location[0] in ("body", "query", "path", "header"):
        location = location[1:]
    name = ""
    for part in location:
        if isinstance(part, str) and name and _TYPE_TAG.fullmatch(part):
            continue
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name


def describe_validation(errors: Sequence[Any]) -> str:
    """One readable sentence for pydantic errors: which fields, and what is wrong with them."""
    parts = []
    for error in errors:
        if error.get("type") == "json_invalid":
            return "Request body is not valid JSON"
        field = _field_name(error.get("loc", ()))
        message = str(error.get("msg", "is invalid"))
        if not field and error.get("type") in ("model_attributes_type", "dict_type"):
            return "Request body must be a JSON object"
        parts.append(f"{field}: {message}" if field else message)
        if len(parts) == 3:
            break
    return "; ".join(parts) or "Invalid request"


def error_body(error: DraftsmithError) -> tuple[dict[str, Any], dict[str, str]]:
    """The JSON body and the headers every front end that speaks HTTP answers `error` with."""
    headers = {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="draftsmith"'
    if isinstance(error, RangeNotSatisfiable):
        headers["Content-Range"] = f"bytes */{error.size}"
    body: dict[str, Any] = {"detail": error.detail, "code": error.code}
    if isinstance(error, InvalidSpec):
        body["problems"] = [{"pointer": p, "message": m} for p, m in error.problems]
    return body, headers
