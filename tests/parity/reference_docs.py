"""The documented example of each verb, read from capcut-mate's reference docs.

The docs live in the shared folder beside the repository (`../shared/reference/
capcut-mate-docs`, or DRAFTSMITH_REFERENCE_DOCS); CI always has them, so there a missing doc
fails the test; elsewhere it is skipped.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

_DEFAULT = Path(__file__).resolve().parents[3] / "shared/reference/capcut-mate-docs"
_JSON_BLOCK = re.compile(r"```json\n(.*?)```", re.S)
_CURL_BODY = re.compile(r"-d '(\{.*?\})'", re.S)


def docs_dir() -> Path:
    return Path(os.environ.get("DRAFTSMITH_REFERENCE_DOCS", _DEFAULT))


@dataclass(frozen=True)
class Example:
    request: dict[str, Any]
    response: dict[str, Any]


def example(verb: str) -> Example:
    """The request under "Request Parameters" (else the first cURL body) and the success
    response of `<verb>.md`."""
    path = docs_dir() / f"{verb}.md"
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"reference doc {path} is missing; CI must run beside shared/")
        pytest.skip(f"reference doc {path} is not available")
    text = path.read_text(encoding="utf-8")
    section = text.split("## Request Parameters", 1)[1]
    block = _JSON_BLOCK.search(section)
    # A JSON block right under the heading is the example; some docs only have a table there.
    if block and block.start() < 200:
        request = json.loads(block.group(1))
    else:
        curl = _CURL_BODY.search(text)
        assert curl, f"{verb}.md has no example request"
        request = json.loads(curl.group(1))
    answer = _JSON_BLOCK.search(text.split("Success Response (200)", 1)[1])
    assert answer, f"{verb}.md has no example response"
    return Example(request, json.loads(answer.group(1)))
