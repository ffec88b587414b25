"""Use cases: one short method per thing a caller can do with drafts.

`Drafts` is the one object the HTTP API, the CLI and the tests drive. It holds no draft state
of its own: every call reads and writes through the DraftStore, so any number of server
processes can serve the same drafts.

drafts.py holds `Drafts` and the core use cases (create, read, edit), saving.py saving,
versions (their files, diffs and validation), export and restore, rendering.py render jobs,
media_files.py thumbnails and local media for rendering, templates.py fill_template (a new
draft from a template, texts and media replaced), policy.py the settings knobs and the checks
every use case makes, requests.py what the edges pass in.
"""

from draftsmith.service.drafts import Drafts
from draftsmith.service.policy import MAINTENANCE_RETRY_AFTER, Policy, editor_profile, now_us
from draftsmith.service.requests import (
    AnimationRequest,
    CaptionRequest,
    EditResult,
    EffectRequest,
    KeyframeRequest,
    KeyframeResult,
    MaskRequest,
    MaskResult,
    MediaRequest,
    StickerRequest,
)

__all__ = [
    "MAINTENANCE_RETRY_AFTER",
    "AnimationRequest",
    "CaptionRequest",
    "Drafts",
    "EditResult",
    "EffectRequest",
    "KeyframeRequest",
    "KeyframeResult",
    "MaskRequest",
    "MaskResult",
    "MediaRequest",
    "Policy",
    "StickerRequest",
    "editor_profile",
    "now_us",
]
