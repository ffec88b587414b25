"""Turning HTTP answers into results or errors, the same way for the sync and async clients.

Errors are the server's own classes from `draftsmith.errors`: the response's `code` field names
the class (`draft_not_found` -> DraftNotFound, `service_unavailable` -> Unavailable, ...), so
one table maps every failure to its exit code on both sides of the wire. Unknown codes fall
back to a class chosen by HTTP status, and every raised error reports the real status.
"""

from __future__ import annotations

from typing import Any, TypeVar

import httpx

from draftsmith import errors
from draftsmith.api.strict import STRICT_HEADER
from draftsmith.client._calls import Call
from draftsmith.client._retry import ServerUnreachable, parse_retry_after
from draftsmith.errors import DraftsmithError, ErrorKind

T = TypeVar("T")

_BY_STATUS: dict[int, type[DraftsmithError]] = {
    400: errors.InvalidInput,
    401: errors.Unauthorized,
    403: errors.Unauthorized,
    404: errors.NotFound,
    409: errors.Conflict,
    413: errors.PayloadTooLarge,
    429: errors.RateLimited,
    503: errors.Unavailable,
}


def _error_classes() -> dict[str, type[DraftsmithError]]:
    """Every class of the server's error tree, by its `code`."""
    found: dict[str, type[DraftsmithError]] = {}
    pending: list[type[DraftsmithError]] = [DraftsmithError]
    while pending:
        cls = pending.pop()
        if cls.__module__ == errors.__name__:
            found.setdefault(cls.code, cls)
        pending.extend(cls.__subclasses__())
    return found


_BY_CODE = _error_classes()


def error_class(code: str | None, status: int) -> type[DraftsmithError]:
    """The class for a server error: by its `code` when known, else by HTTP status."""
    if code is not None and code in _BY_CODE:
        return _BY_CODE[code]
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return errors.InvalidInput if 400 <= status < 500 else DraftsmithError


def error_from_response(response: httpx.Response) -> DraftsmithError:
    """The typed error a non-2xx response stands for, with its detail, status and Retry-After."""
    detail: str | None = None
    code: str | None = None
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        detail = body.get("detail") if isinstance(body.get("detail"), str) else None
        code = body.get("code") if isinstance(body.get("code"), str) else None
    if detail is None:
        text = response.text.strip()
        detail = f"HTTP {response.status_code}" + (f": {text[:200]}" if text else "")
    cls = error_class(code, response.status_code)
    # Some classes take other constructor arguments (a quota's limit); the detail says it all.
    error = cls.__new__(cls)
    DraftsmithError.__init__(error, detail)
    error.retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if error.status != response.status_code:
        # The instance tells the truth about the wire; the exit code stays the class's.
        error.kind = ErrorKind(response.status_code, cls.kind.exit_code)
    if code is not None and code != error.code:
        error.code = code
    if isinstance(error, errors.InvalidSpec):
        listed = body.get("problems") if isinstance(body, dict) else None
        error.problems = tuple(
            (str(p.get("pointer", "")), str(p.get("message", "")))
            for p in (listed if isinstance(listed, list) else [])
            if isinstance(p, dict)
        )
    return error


def unreachable(base_url: str, exc: httpx.TransportError) -> ServerUnreachable:
    """The error for a request that got no HTTP answer; `raise ... from exc` keeps the cause."""
    reason = str(exc) or type(exc).__name__
    return ServerUnreachable(f"Cannot reach the server at {base_url}: {reason}")


def finish(call: Call[T], response: httpx.Response) -> T:
    """The call's result from a complete response, or its typed error raised."""
    if not response.is_success:
        raise error_from_response(response)
    return call.parse(response)


def request_args(
    call: Call[Any], api_key: str | None, strict: bool | None = None
) -> dict[str, Any]:
    """Keyword arguments of `build_request` (httpx, sync or async) for a call; `strict` (when
    not None) is sent as X-Draftsmith-Strict."""
    args: dict[str, Any] = {"method": call.method, "url": call.path}
    headers = {}
    if api_key is not None and call.send_key:
        headers["Authorization"] = f"Bearer {api_key}"
    if strict is not None and call.send_key:
        headers[STRICT_HEADER] = "1" if strict else "0"
    if call.idempotency_key is not None:
        headers["Idempotency-Key"] = call.idempotency_key
    if call.content is not None:
        headers["Content-Type"] = call.content_type
        args["content"] = call.content
    if headers:
        args["headers"] = headers
    if call.body is not None:
        args["json"] = call.body
    if call.params is not None:
        args["params"] = call.params
    return args
