"""Reading a test server's access log: one JSON line per request, written just after its
response, so a test that has the response may have to wait a moment for the line."""

from __future__ import annotations

import json
import time
from typing import Any

from support.server import ServerProcess


def access_lines(server: ServerProcess) -> list[dict[str, Any]]:
    """Every access line the server has written so far."""
    lines = []
    for line in server.log_text().splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("event") == "request":
                lines.append(record)
    return lines


def lines_until(
    server: ServerProcess, request_id: str, timeout: float = 10.0
) -> list[dict[str, Any]]:
    """The access lines, once the one for `request_id` is written."""
    deadline = time.monotonic() + timeout
    while True:
        lines = access_lines(server)
        if any(line["request_id"] == request_id for line in lines):
            return lines
        assert time.monotonic() < deadline, f"no access line for {request_id}:\n{server.log_tail()}"
        time.sleep(0.05)
