"""Draft identifiers and the draft_url that names a draft.

An id is 14 digits of UTC time followed by at least 16 lowercase hex digits of randomness.
Ids written by capcut-mate (20-32 characters of [0-9a-zA-Z]) are accepted too. Anything else
is rejected here, before it can reach a path or a query.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from draftsmith.errors import DraftUrlRequired, InvalidDraftUrl

API_PREFIX = "/openapi/capcut-mate/v1"
# [0-9], not \d: \d also matches other scripts' digits, which are not part of an id.
_OWN_ID = re.compile(r"[0-9]{14}[0-9a-f]{16,32}")
_IMPORTED_ID = re.compile(r"[0-9a-zA-Z]{20,32}")
MAX_DRAFT_URL_LENGTH = 2048


def new_draft_id(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    return stamp + secrets.token_hex(8)


def new_object_id() -> str:
    """An id for a track, segment or material, in the editor's 32-hex style."""
    return secrets.token_hex(16)


def is_valid_draft_id(draft_id: str) -> bool:
    return bool(_OWN_ID.fullmatch(draft_id) or _IMPORTED_ID.fullmatch(draft_id))


def check_draft_id(draft_id: str) -> str:
    if not is_valid_draft_id(draft_id):
        raise InvalidDraftUrl()
    return draft_id


def draft_url(base_url: str, draft_id: str) -> str:
    return f"{base_url.rstrip('/')}{API_PREFIX}/get_draft?draft_id={draft_id}"


def parse_draft_url(value: object) -> str:
    """Return the draft id a draft_url names, or raise the error the save_draft table gives."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DraftUrlRequired()
    if not isinstance(value, str) or len(value) > MAX_DRAFT_URL_LENGTH:
        raise InvalidDraftUrl()
    try:
        parts = urlsplit(value.strip())
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError as exc:
        raise InvalidDraftUrl() from exc
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidDraftUrl()
    if not parts.path.endswith("/get_draft"):
        raise InvalidDraftUrl()
    ids = query.get("draft_id", [])
    if len(ids) != 1:
        raise InvalidDraftUrl()
    return check_draft_id(ids[0])
