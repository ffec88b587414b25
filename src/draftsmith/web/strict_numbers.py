"""Strict mode while a request body is read: a number sent as a string is then refused by
validation itself, with the 400 it got before such strings were taken, on every verb (those
whose answer has no `warnings` too). The verbs' other adjustments are refused by the request's
`Adjustments` (web/deps.py)."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from draftsmith.api.numbers import strict_numbers
from draftsmith.api.strict import STRICT_HEADER, strict_mode
from draftsmith.errors import InvalidInput

_HEADER = STRICT_HEADER.lower().encode("latin-1")


class StrictNumbers:
    """ASGI middleware: strict reading of numbers for a request as its X-Draftsmith-Strict
    header says, else as the server is set (`app.state.strict`). A malformed header leaves the
    server's setting; the verbs that read the header answer it with a 400."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        default = bool(getattr(scope["app"].state, "strict", False))
        given = next((v for k, v in scope["headers"] if k == _HEADER), None)
        try:
            strict = strict_mode(None if given is None else given.decode("latin-1"), default)
        except InvalidInput:
            strict = default
        with strict_numbers(strict):
            await self.app(scope, receive, send)
