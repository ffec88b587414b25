"""`OPTIONS` on any route, and `Allow` on every 405, as RFC 9110 asks.

An `OPTIONS` request to a path some route serves is answered here, 204 with `Allow` naming
every method the path answers to. A 405 (a method no route of the path takes) gets the same
`Allow`: the router would name only the methods of the first route it matched, and a path
such as download_draft has a GET route and a POST route.

Paths no route serves (mounts such as the UI's static files and /mcp, and unknown paths) are
left to the application. CORS preflights of listed origins never get here: CORSMiddleware,
outside, answers them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fastapi.routing import iter_route_contexts
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_NOT_ALLOWED = 405


def methods_by_path(routes: Sequence[BaseRoute]) -> list[tuple[re.Pattern[str], str]]:
    """Each routed path's pattern and its `Allow` value, OPTIONS included."""
    methods: dict[str, set[str]] = {}
    for context in iter_route_contexts(routes):
        if context.methods and context.path:
            methods.setdefault(context.path, set()).update(context.methods)
    table = []
    for path, named in methods.items():
        pattern = compile_path(path)[0]
        table.append((pattern, ", ".join(sorted(named | {"OPTIONS"}))))
    return table


class AllowedMethods:
    """ASGI middleware: answers OPTIONS and completes the `Allow` header of 405 answers.

    `routes` is the application's live route list; it is read on the first request, once
    every route has been added.
    """

    def __init__(self, app: ASGIApp, *, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes
        self._table: list[tuple[re.Pattern[str], str]] | None = None

    def allowed(self, path: str) -> str | None:
        """The `Allow` value for `path`, or None when no route serves it."""
        if self._table is None:
            self._table = methods_by_path(self.routes)
        for pattern, allow in self._table:
            if pattern.match(path):
                return allow
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            allow = self.allowed(scope["path"])
            if allow is not None:
                await Response(status_code=204, headers={"Allow": allow})(scope, receive, send)
                return

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == _NOT_ALLOWED:
                allow = self.allowed(scope["path"])
                if allow is not None:
                    MutableHeaders(scope=message)["Allow"] = allow
            await send(message)

        await self.app(scope, receive, send_with_allow)
