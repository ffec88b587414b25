"""The MCP server: draftsmith's tools and resources on the official SDK's `MCPServer`.

Tools call the `Drafts` service directly, through the same request schemas and shared verb
steps as the HTTP routes. Failures are reported here, once: a draftsmith error becomes a tool
error whose text is the HTTP API's `detail` plus a hint, and arguments that do not fit a tool's
schema read like the HTTP API's 400s (the field, then the problem).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import (
    ResourceError,
    ResourceNotFoundError,
    ToolError,
    UnexpectedResourceError,
)
from mcp.types import CallToolResult, InputRequiredResult
from pydantic import AnyUrl, ValidationError

from draftsmith import __version__
from draftsmith.api.errors import describe_validation
from draftsmith.api.numbers import FromText, strict_numbers
from draftsmith.errors import DraftsmithError, InvalidInput, NotFound
from draftsmith.mcp_server import (
    compose_tools,
    edit_tools,
    import_tools,
    read_tools,
    render_tools,
    styling_tools,
    template_tools,
)
from draftsmith.mcp_server.errors import tool_error_text
from draftsmith.mcp_server.numeric_strings import read_numbers, strings_read, with_strings_read
from draftsmith.mcp_server.toolbox import Toolbox, ToolContext

log = logging.getLogger("draftsmith.mcp")

INSTRUCTIONS = """\
draftsmith builds CapCut/Jianying drafts. A typical session: create_draft; add_videos,
add_images, add_audios and add_captions (each adds one track; media comes from http(s) URLs);
add_effects, add_filters, add_masks, add_keyframes and add_sticker to style what is there
(names of effects, filters, masks, transitions and animations are the catalogue's); save_draft,
which publishes the next numbered version and returns a download_url for the draft folder;
then gen_video and gen_video_status to render that version to MP4. Every edit is kept at once;
save_draft only publishes. Times may be given in seconds (start_seconds/end_seconds) or in
microseconds (start/end). list_versions and restore_version go back to an earlier version.
The resources draftsmith://drafts/{draft_id}/timeline and .../versions show a draft.
fill_template makes a new draft from a template draft (any draft) with its caption texts and
media replaced in one call: the way to reuse a layout. Tools that change a draft take an
optional idempotency_key: give each change a new UUID and send the same one if you retry that
call, so it is applied once.
"""


def _explained(error: DraftsmithError) -> str:
    if error.status >= 500:
        log.error("tool failed: %s", error.detail, exc_info=error.__cause__ or error)
    return tool_error_text(error)


class DraftsmithMCP(MCPServer[Any]):
    """MCPServer whose failures read as draftsmith's errors do, and whose tools read numbers
    sent as strings as the HTTP verbs do (numeric_strings.py)."""

    def __init__(self, *args: Any, toolbox: Toolbox, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._toolbox = toolbox
        self._input_schemas: dict[str, dict[str, Any]] = {}

    async def _input_schema(self, name: str) -> dict[str, Any] | None:
        if name not in self._input_schemas:
            self._input_schemas = {t.name: t.input_schema for t in await self.list_tools()}
        return self._input_schemas.get(name)

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: ToolContext | None = None
    ) -> CallToolResult | InputRequiredResult:
        found: tuple[FromText, ...] = ()
        schema = await self._input_schema(name)
        try:
            strict = self._toolbox.is_strict(context)
            if schema is not None:
                arguments, found = read_numbers(schema, arguments, strict=strict)
        except DraftsmithError as exc:
            raise ToolError(tool_error_text(exc)) from exc
        # Schemas that take numeric strings themselves (compose_video's spec) refuse them
        # while strict, as the HTTP verb's body does.
        with strict_numbers(strict), strings_read(found) as read:
            result = await self._call_tool(name, arguments, context)
        if isinstance(result, CallToolResult):
            return with_strings_read(result, read)
        return result

    async def _call_tool(
        self, name: str, arguments: dict[str, Any], context: ToolContext | None
    ) -> CallToolResult | InputRequiredResult:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, DraftsmithError):
                raise ToolError(_explained(cause)) from cause
            if isinstance(cause, ValidationError):
                error = InvalidInput(describe_validation(cause.errors()))
                raise ToolError(tool_error_text(error)) from cause
            raise

    async def read_resource(
        self, uri: AnyUrl | str, context: ToolContext | None = None
    ) -> Iterable[ReadResourceContents] | InputRequiredResult:
        try:
            return await super().read_resource(uri, context)
        except UnexpectedResourceError as exc:
            cause = exc.__cause__
            if isinstance(cause, NotFound):
                raise ResourceNotFoundError(tool_error_text(cause)) from cause
            if isinstance(cause, DraftsmithError):
                raise ResourceError(_explained(cause)) from cause
            raise


def build_server(toolbox: Toolbox) -> DraftsmithMCP:
    """The server with every tool and resource, acting through `toolbox`."""
    server = DraftsmithMCP(
        "draftsmith",
        title="draftsmith",
        description="Durable, versioned CapCut/Jianying drafts: build, save and render them.",
        instructions=INSTRUCTIONS,
        version=__version__,
        toolbox=toolbox,
    )
    edit_tools.register(server, toolbox)
    styling_tools.register(server, toolbox)
    read_tools.register(server, toolbox)
    render_tools.register(server, toolbox)
    compose_tools.register(server, toolbox)
    template_tools.register(server, toolbox)
    import_tools.register(server, toolbox)
    return server
