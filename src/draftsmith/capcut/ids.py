"""Ids the editor needs but the domain does not store, derived from ids the domain does store.

Deriving instead of drawing random ids keeps encoding deterministic: the same draft always gives
the same bytes.
"""

from __future__ import annotations

import uuid

_NAMESPACE = uuid.UUID("dc592c8d-5145-4d27-a608-2e23afe49497")


def derived_id(role: str, owner_id: str) -> str:
    """The 32-hex id of the `role` object that belongs to `owner_id` (a segment's speed...)."""
    return uuid.uuid5(_NAMESPACE, f"{role}/{owner_id}").hex


def derived_uuid(role: str, owner_id: str) -> str:
    """Like `derived_id`, in the editor's uppercase UUID form (timeline and project ids)."""
    return str(uuid.uuid5(_NAMESPACE, f"{role}/{owner_id}")).upper()


def draft_uuid(draft_id: str) -> str:
    """The editor-style id (uppercase UUID) of the draft whose domain id is `draft_id`."""
    return str(uuid.uuid5(_NAMESPACE, f"draft/{draft_id}")).upper()
