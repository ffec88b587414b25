"""The identity a use case runs for, and the one ownership rule every draft access obeys."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Caller:
    """Who is asking.

    `key_id` is the id of the API key the request authenticated with. None means no access
    control applies: API keys are off, the request carries a valid signed download link, or the
    call comes from the local command line, which can read the database anyway.
    """

    key_id: str | None = None

    def may_access(self, owner: str | None) -> bool:
        """Whether a draft owned by `owner` (a key id, or None for drafts made with keys off)
        is visible to this caller. A draft of another key is simply not there for it."""
        return self.key_id is None or owner == self.key_id


UNRESTRICTED = Caller()
"""The caller when keys are off, for signed links and for local administration."""
