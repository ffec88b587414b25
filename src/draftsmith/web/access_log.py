"""One structured (JSON) log line per request, tied together by a request id.

The line holds the method, the path without its query string (signed links carry their
signature there), the status, the duration, the client address and the id of the API key
that acted, never the key itself, any other header or any body. The request id comes from a
well-formed `X-Request-ID` header or is made here, and is sent back in `X-Request-ID`.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ACCESS_LOGGER = "draftsmith.access"
REQUEST_ID_HEADER = b"x-request-id"
_GOOD_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}")
MAX_LOGGED_PATH = 512

log = logging.getLogger(ACCESS_LOGGER)


def new_request_id() -> str:
    return secrets.token_hex(8)


class AccessLog:
    """ASGI middleware: outermost, so it also sees answers given by other middleware (413)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        # Starlette's request.state is this dict: routes record the acting key id in it.
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k != REQUEST_ID_HEADER]
                headers.append((REQUEST_ID_HEADER, request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            client = scope.get("client")
            log.info(
                json.dumps(
                    {
                        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                        "event": "request",
                        "request_id": request_id,
                        "method": scope["method"],
                        "path": scope["path"][:MAX_LOGGED_PATH],
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                        "client": client[0] if client else None,
                        "key_id": state.get("key_id"),
                    },
                    ensure_ascii=False,
                )
            )


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER and _GOOD_REQUEST_ID.fullmatch(value):
            return str(value.decode("ascii"))
    return new_request_id()


def configure_access_log() -> None:
    """Send access lines to stderr as they are: each one is a complete JSON document."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False
