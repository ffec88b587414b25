"""Talking to draftsmith's MCP server the way an agent's client does: through the SDK's own
client, over streamable HTTP or over stdio (a `draftsmith mcp` subprocess)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx2
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult, TextContent

ERRLOG_NAME = "mcp-stdio.log"


@asynccontextmanager
async def http_session(
    url: str, api_key: str | None = None, *, strict: bool | None = None
) -> AsyncIterator[ClientSession]:
    """An initialised session with the MCP endpoint at `url`, sending `api_key` as a bearer
    and `strict` as X-Draftsmith-Strict (None: the server's setting)."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    if strict is not None:
        headers["X-Draftsmith-Strict"] = "1" if strict else "0"
    timeout = httpx2.Timeout(30.0, read=120.0)
    async with (
        httpx2.AsyncClient(headers=headers, timeout=timeout, trust_env=False) as http,
        streamable_http_client(url, http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


@asynccontextmanager
async def stdio_session(
    data_dir: Path, args: tuple[str, ...] = (), env: Mapping[str, str] | None = None
) -> AsyncIterator[ClientSession]:
    """An initialised session with `draftsmith mcp --data-dir data_dir` run as a subprocess.

    Its stderr (logs) goes to `data_dir/mcp-stdio.log`; stdout is the protocol.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "draftsmith", "mcp", "--data-dir", str(data_dir), *args],
        # The SDK starts from a minimal environment (PATH, HOME...): only these are added.
        env={"PYTHONUNBUFFERED": "1", **(env or {})},
    )
    with (data_dir / ERRLOG_NAME).open("a", encoding="utf-8") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            yield session


def text_of(result: CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, TextContent))


async def call(session: ClientSession, tool: str, **arguments: Any) -> dict[str, Any]:
    """The structured result of a tool call that must succeed."""
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, (tool, text_of(result))
    assert isinstance(result.structured_content, dict), (tool, result)
    return result.structured_content


async def call_error(session: ClientSession, tool: str, **arguments: Any) -> str:
    """The text of a tool call that must fail as a tool error (not a protocol error)."""
    result = await session.call_tool(tool, arguments)
    assert result.is_error, (tool, result.structured_content)
    return text_of(result)
