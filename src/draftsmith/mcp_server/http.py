"""The MCP server over streamable HTTP, at `/mcp` on the API server, sharing its `Drafts`.

Stateless: each request stands alone (no session lives in one process's memory), so any number
of server processes behind one address serve MCP as they serve the API. Every request is
checked against the API keys before the MCP layer sees it (401 with the API's error body), and
each tool call acts as the key of the request that carried it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import anyio.to_thread
from fastapi import FastAPI
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from draftsmith.api.errors import error_body
from draftsmith.api.urls import LinkSigner
from draftsmith.config import Settings
from draftsmith.errors import Unauthorized
from draftsmith.mcp_server.access import HttpAccess, presented_key
from draftsmith.mcp_server.server import build_server
from draftsmith.mcp_server.toolbox import Toolbox
from draftsmith.security.keys import KeyRing
from draftsmith.security.signing import UrlSigner
from draftsmith.service import Drafts

MCP_PATH = "/mcp"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def transport_security(settings: Settings) -> TransportSecuritySettings | None:
    """DNS rebinding protection while the server listens on loopback only.

    A web page could otherwise point a name of its own at 127.0.0.1 and drive the tools from
    the browser. Host (and Origin, when sent) must then name loopback or the public URL's host.
    A server listening on other interfaces cannot know every name it is reached by: none then.
    """
    if settings.host not in _LOOPBACK:
        return None
    hosts = ["127.0.0.1:*", "localhost:*", "[::1]:*", "127.0.0.1", "localhost", "[::1]"]
    origins = ["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"]
    if settings.public_url:
        public = urlsplit(settings.public_url)
        hosts.append(public.netloc)
        origins.append(f"{public.scheme}://{public.netloc}")
    return TransportSecuritySettings(allowed_hosts=hosts, allowed_origins=origins)


class McpEndpoint:
    """ASGI app for `/mcp`: refuses requests without a live key (while keys are on), then
    hands them to the MCP session manager."""

    def __init__(self, manager: StreamableHTTPSessionManager, keys: KeyRing) -> None:
        self._manager = manager
        self._keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = presented_key(Headers(scope=scope))
        try:
            # The key ring may ask the store (a blocking call): not on the event loop.
            caller = await anyio.to_thread.run_sync(self._keys.authenticate, key)
        except Unauthorized as exc:
            body, headers = error_body(exc)
            response = JSONResponse(body, status_code=exc.status, headers=headers)
            await response(scope, receive, send)
            return
        # The access log reports which key acted, as it does for the API's routes.
        scope.setdefault("state", {})["key_id"] = caller.key_id
        await self._manager.handle_request(scope, receive, send)


def mount_mcp(
    app: FastAPI, settings: Settings, drafts: Drafts, keys: KeyRing, signer: UrlSigner
) -> StreamableHTTPSessionManager:
    """Serve MCP at `/mcp` (and `/mcp/`); the caller runs the returned manager's `run()` in the
    app's lifespan (a mounted app's own lifespan would never run)."""
    links = LinkSigner(keys, signer)
    toolbox = Toolbox(drafts, settings.base_url(), HttpAccess(keys), links, strict=settings.strict)
    server = build_server(toolbox)
    # Called for the session manager it sets up; the Starlette app it returns is not used.
    server.streamable_http_app(
        stateless_http=True,
        json_response=True,
        max_request_body_size=settings.max_body_bytes,
        transport_security=transport_security(settings),
        host=settings.host,
    )
    endpoint = McpEndpoint(server.session_manager, keys)
    for path in (MCP_PATH, MCP_PATH + "/"):
        app.router.routes.append(Route(path, endpoint=endpoint, include_in_schema=False))
    return server.session_manager
