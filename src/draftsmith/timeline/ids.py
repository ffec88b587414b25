"""Draft identifiers.

An id is 14 digits of UTC time followed by at least 16 lowercase hex digits of randomness.
Ids written by capcut-mate (20-32 characters of [0-9a-zA-Z]) are accepted too. Anything else
is rejected here, before it can reach a path or a query.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from datetime import UTC, datetime

from draftsmith.errors import InvalidDraftUrl

# [0-9], not \d: \d also matches other scripts' digits, which are not part of an id.
_OWN_ID = re.compile(r"[0-9]{14}[0-9a-f]{16,32}")
_IMPORTED_ID = re.compile(r"[0-9a-zA-Z]{20,32}")
DRAFT_ID_PATTERN = f"^(?:{_OWN_ID.pattern}|{_IMPORTED_ID.pattern})$"
"""What `is_valid_draft_id` accepts, as a regular expression for API documents."""


def new_draft_id(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    return stamp + secrets.token_hex(8)


def new_object_id() -> str:
    """An id for a track, segment or material, in the editor's 32-hex style."""
    ids = _drawn.ids
    if not ids:
        text = os.urandom(16 * _IDS_PER_DRAW).hex()
        ids.extend([text[i : i + 32] for i in range(0, len(text), 32)])
    return ids.pop()


_IDS_PER_DRAW = 128
"""Object ids drawn from the system's randomness at once: an edit makes hundreds, and a system
call for each was a measurable part of building its segments."""


class _Drawn(threading.local):
    """The ids drawn and not handed out yet, each thread its own."""

    def __init__(self) -> None:
        self.ids: list[str] = []


_drawn = _Drawn()


def _forget_drawn() -> None:
    # A forked child must not hand out the ids its parent (the thread that forked) holds too.
    _drawn.ids.clear()


os.register_at_fork(after_in_child=_forget_drawn)


def is_valid_draft_id(draft_id: str) -> bool:
    return bool(_OWN_ID.fullmatch(draft_id) or _IMPORTED_ID.fullmatch(draft_id))


def check_draft_id(draft_id: str) -> str:
    if not is_valid_draft_id(draft_id):
        raise InvalidDraftUrl()
    return draft_id
