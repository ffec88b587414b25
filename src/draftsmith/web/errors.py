"""The HTTP side of the error table: every failure becomes `{"detail", "code"}` and a status.

Statuses come from the error classes themselves (`draftsmith.errors`); this module only
renders them, turns request validation failures into 400s that name the field, and makes sure
nothing else ever leaks a stack trace.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from draftsmith.api.compose_schemas import validation_problems
from draftsmith.api.errors import describe_validation, error_body
from draftsmith.errors import DraftsmithError, InvalidSpec, PayloadTooLarge

log = logging.getLogger("draftsmith.web")
_LISTING_PROBLEMS = ("/compose", "/fill_template")


def error_response(error: DraftsmithError) -> JSONResponse:
    body, headers = error_body(error)
    return JSONResponse(body, status_code=error.status, headers=headers)


async def _on_draftsmith_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DraftsmithError)
    if exc.status >= 500:
        log.error("request failed: %s", exc.detail, exc_info=exc.__cause__ or exc)
    return error_response(exc)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    # A compose spec (or a template fill) is long: every problem is listed, each with its
    # JSON pointer.
    if request.url.path.endswith(_LISTING_PROBLEMS) and all(
        e.get("type") != "json_invalid" for e in errors
    ):
        return error_response(InvalidSpec(validation_problems(errors)))
    detail = describe_validation(errors)
    return JSONResponse({"detail": detail, "code": "invalid_input"}, status_code=400)


async def _on_http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return JSONResponse(
        {"detail": str(exc.detail), "code": "http_error"},
        status_code=exc.status_code,
        headers=exc.headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DraftsmithError, _on_draftsmith_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)


class JsonBodies:
    """Read a POST body under the API prefix that declares no Content-Type as JSON.

    Scripts and workflow tools often leave the header out (`curl -d` with no `-H`, some
    no-code HTTP nodes); a body declared as anything else than JSON never gets here
    (web/browser_guard.py answers 415), so a page cannot smuggle one in as a form.
    """

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].startswith(self.prefix)
            and not any(name == b"content-type" for name, _ in scope["headers"])
        ):
            headers = [*scope["headers"], (b"content-type", b"application/json")]
            scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)


class LastResort:
    """ASGI middleware, innermost: an exception no handler knows becomes 500 `internal_error`
    naming the request id, with the traceback in the log.

    Starlette's own last handler re-raises after answering, and the server then drops the
    keep-alive connection; here the answer is sent and the connection stays usable.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
        except Exception:
            request_id = scope.get("state", {}).get("request_id", "")
            log.exception("unexpected error (request %s)", request_id)
            if started:
                # Part of an answer is out: only closing the connection can say it failed.
                raise
            body = {
                "detail": f"Internal error; the server log has it under request id {request_id}",
                "code": "internal_error",
                "request_id": request_id,
            }
            await JSONResponse(body, status_code=500)(scope, receive, send)


class BodySizeLimit:
    """Answer 413 as soon as a request body grows past `limit` bytes, before it is parsed."""

    def __init__(self, app: ASGIApp, limit: int, streamed: frozenset[str] = frozenset()) -> None:
        """`streamed`: paths whose routes read (and bound) their bodies themselves, as
        import_draft does with a zip upload; they are passed through unread."""
        self.app = app
        self.limit = limit
        self.streamed = streamed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.streamed:
            await self.app(scope, receive, send)
            return

        async def too_large(scope: Scope, receive: Receive, send: Send) -> None:
            answer = PayloadTooLarge(f"Request body is larger than the {self.limit} byte limit")
            await error_response(answer)(scope, receive, send)

        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                await too_large(scope, receive, send)
                return
        # Read the body here rather than fail inside the app's receive(): FastAPI turns any
        # error raised while it reads the body into a generic 400, which would hide the 413.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            received += len(chunks[-1])
            if received > self.limit:
                await too_large(scope, receive, send)
                return
            if not message.get("more_body", False):
                message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
                break
        replayed = False

        async def replay_receive() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return message

        await self.app(scope, replay_receive, send)
