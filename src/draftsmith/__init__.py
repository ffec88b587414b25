"""draftsmith: durable, versioned CapCut/Jianying drafts over HTTP.

`draftsmith.Client` and `draftsmith.AsyncClient` are the Python client of the HTTP API; they
are imported on first use so that `import draftsmith` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from draftsmith.client import AsyncClient, Client

__version__ = "0.1.0"
__all__ = ["AsyncClient", "Client", "__version__"]
_CLIENT_NAMES = frozenset({"AsyncClient", "Client"})


def __getattr__(name: str) -> Any:
    if name in _CLIENT_NAMES:
        # Imported here, not above: the client pulls in httpx, which most imports never need.
        return getattr(importlib.import_module("draftsmith.client"), name)
    raise AttributeError(f"module 'draftsmith' has no attribute {name!r}")
