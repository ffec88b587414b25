"""What every MCP tool works with: the service, the public base URL and the caller's access."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import Context

from draftsmith.api.strict import STRICT_HEADER, strict_mode
from draftsmith.api.urls import LinkSigner, draft_url, zip_url
from draftsmith.mcp_server.access import Access
from draftsmith.security.caller import Caller
from draftsmith.service import Drafts
from draftsmith.store.records import VersionRecord
from draftsmith.timeline.adjustments import Adjustments

ToolContext = Context[Any, Any]
"""The SDK's per-call context: the HTTP request's headers and client address, if any."""


@dataclass(frozen=True)
class Toolbox:
    drafts: Drafts
    base_url: str
    """Where the HTTP API is reached: draft_urls and download links point there."""
    access: Access
    links: LinkSigner
    """Signs download links while API keys are on, exactly as get_draft does."""
    strict: bool = False
    """Refuse what would be adjusted (DRAFTSMITH_STRICT); over HTTP the X-Draftsmith-Strict
    header of a call overrides it, as it does for the API's verbs."""

    def caller(self, ctx: ToolContext) -> Caller:
        return self.access.caller(ctx.headers)

    def notes(self, ctx: ToolContext) -> Adjustments:
        """What one tool call's edit adjusts, strict as the server is set or the call's
        header says."""
        headers = ctx.headers or {}
        return Adjustments(strict=strict_mode(headers.get(STRICT_HEADER.lower()), self.strict))

    def client(self, ctx: ToolContext) -> str:
        request = ctx.request_context.request
        address = getattr(request, "client", None)
        return self.access.client(getattr(address, "host", None))

    def draft_url(self, draft_id: str) -> str:
        return draft_url(self.base_url, draft_id)

    def download_url(self, record: VersionRecord) -> str:
        """The zip of a saved version's folder (download_draft), signed while keys are on."""
        return zip_url(self.base_url, record, self.links.query)
