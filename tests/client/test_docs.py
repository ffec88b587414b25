"""docs/client.md covers the client and the commands as they are."""

from __future__ import annotations

import inspect
from pathlib import Path

from draftsmith.cli.client_commands import COMMANDS
from draftsmith.client import AsyncClient, Client

DOC = (Path(__file__).parents[2] / "docs" / "client.md").read_text(encoding="utf-8")


def public_methods(cls: type) -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(cls, callable)
        if not name.startswith("_") and name not in {"close", "aclose"}
    }


def test_sync_and_async_clients_offer_the_same_methods() -> None:
    assert public_methods(Client) == public_methods(AsyncClient)
    for name in public_methods(Client) - {"auto_save"}:
        assert inspect.iscoroutinefunction(getattr(AsyncClient, name)), name


def test_every_method_and_command_is_documented() -> None:
    for name in public_methods(Client) - {"save_draft"}:
        assert f"`{name}(" in DOC, name
    for command in COMMANDS:
        assert f"draftsmith {command.name} " in DOC, command.name
