"""docs/mcp.md covers every tool, resource and option of `draftsmith mcp` as they are."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from draftsmith.bootstrap import build_access, build_drafts, open_store
from draftsmith.cli import main
from draftsmith.config import Settings
from draftsmith.mcp_server.stdio import stdio_server
from support.event_loop import run_coroutine

DOC = (Path(__file__).parents[2] / "docs" / "mcp.md").read_text(encoding="utf-8")


def test_every_tool_and_resource_is_documented(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    store = open_store(settings)
    drafts = build_drafts(settings, store=store)
    try:
        ring, signer = build_access(settings, store)
        server = stdio_server(settings, drafts, ring, signer, None)
        tools = run_coroutine(server.list_tools())
        templates = run_coroutine(server.list_resource_templates())
    finally:
        drafts.close()
    for tool in tools:
        assert f"| `{tool.name}` |" in DOC, tool.name
    for template in templates:
        assert f"`{template.uri_template}`" in DOC, template.uri_template


def test_every_option_of_the_command_is_documented() -> None:
    help_text = CliRunner().invoke(main, ["mcp", "--help"]).output
    options = [word for word in help_text.split() if word.startswith("--") and word != "--help"]
    assert options, help_text
    for option in options:
        assert option in DOC, option
