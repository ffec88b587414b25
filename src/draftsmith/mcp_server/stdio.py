"""`draftsmith mcp`: the MCP server over stdio, for clients that start it as a subprocess.

It opens the store the settings name, as `serve` does, and works on it directly; a
`draftsmith serve` sharing that store (same data directory or database) serves the download
links the tools hand out, at the public URL the settings give.
"""

from __future__ import annotations

import logging
import sys
from contextlib import AbstractContextManager, nullcontext

import anyio

from draftsmith.api.urls import LinkSigner
from draftsmith.config import Settings
from draftsmith.mcp_server.access import LocalAccess
from draftsmith.mcp_server.server import DraftsmithMCP, build_server
from draftsmith.mcp_server.toolbox import Toolbox
from draftsmith.security.keys import KeyRing
from draftsmith.security.signing import UrlSigner
from draftsmith.service import Drafts


def configure_logging() -> None:
    """Log to stderr: stdout carries the protocol, and nothing else may be written there."""
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # The SDK logs every request it handles at INFO; its warnings are what matter.
    logging.getLogger("mcp").setLevel(logging.WARNING)


def stdio_server(
    settings: Settings, drafts: Drafts, keys: KeyRing, signer: UrlSigner, api_key: str | None
) -> DraftsmithMCP:
    """The server acting as the local user, or as `api_key` (Unauthorized if it is not live
    while keys are on)."""
    access = LocalAccess(keys, api_key)
    # A key that is not live stops the server now, not at the agent's first call.
    access.caller(None)
    links = LinkSigner(keys, signer)
    toolbox = Toolbox(drafts, settings.base_url(), access, links, strict=settings.strict)
    return build_server(toolbox)


def serve_stdio(
    settings: Settings,
    drafts: Drafts,
    keys: KeyRing,
    signer: UrlSigner,
    api_key: str | None,
    *,
    beside: AbstractContextManager[None] | None = None,
) -> None:
    """Serve MCP on stdin/stdout until the client closes them; `beside` is entered while the
    server runs (the render workers the composition root starts)."""
    try:
        server = stdio_server(settings, drafts, keys, signer, api_key)
        with beside or nullcontext():
            anyio.run(server.run_stdio_async)
    finally:
        drafts.begin_shutdown()
        drafts.close()
