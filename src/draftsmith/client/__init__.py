"""Python client of the draftsmith HTTP API: `Client` (blocking) and `AsyncClient` (asyncio).

    from draftsmith.client import Client, Video, SECOND

    with Client("http://127.0.0.1:8000") as client:
        draft = client.create_draft(1920, 1080)
        client.add_videos(draft.draft_url, [Video(url, 0, 3 * SECOND)])
        saved = client.save(draft.draft_url, retries=3)

Errors are the classes of `draftsmith.errors` (DraftNotFound, InvalidDraftUrl, SaveFailed,
Unavailable, RateLimited, Conflict, ...), each with `detail`, `code`, `status`, `exit_code`.
See docs/client.md.
"""

from draftsmith.client._async import AsyncClient
from draftsmith.client._autosave import AsyncAutoSaver, AutoSaver
from draftsmith.client._fields import UnexpectedResponse
from draftsmith.client._imports import ImportedDraft, RelinkedMedia
from draftsmith.client._inputs import (
    SECOND,
    Animations,
    Audio,
    Caption,
    CaptionStyle,
    Effect,
    Filter,
    Image,
    Keyframe,
    Keywords,
    Mask,
    Placement,
    Scene,
    Shadow,
    Sticker,
    Video,
)
from draftsmith.client._models import (
    Composed,
    CreatedDraft,
    Download,
    DraftFiles,
    DraftInfo,
    DraftSummary,
    EditResult,
    KeyframeResult,
    MaskResult,
    RenderReportEntry,
    RenderStatus,
    RenderSubmitted,
    RestoreResult,
    SaveResult,
    Segment,
    SegmentAudioEffect,
    SegmentSpan,
    ServerWarning,
    StickerResult,
    Track,
    VersionInfo,
    draft_id_of,
)
from draftsmith.client._retry import RetryNotice, RetryPolicy, ServerUnreachable, is_retryable
from draftsmith.client._sync import DEFAULT_SERVER, Client
from draftsmith.client._templates import FilledTemplate, MediaFill, Replacement, TextFill
from draftsmith.errors import (
    Conflict,
    DraftNotFound,
    DraftsmithError,
    InvalidDraftUrl,
    RateLimited,
    SaveFailed,
    Unavailable,
)

__all__ = [
    "DEFAULT_SERVER",
    "SECOND",
    "Animations",
    "AsyncAutoSaver",
    "AsyncClient",
    "Audio",
    "AutoSaver",
    "Caption",
    "CaptionStyle",
    "Client",
    "Composed",
    "Conflict",
    "CreatedDraft",
    "Download",
    "DraftFiles",
    "DraftInfo",
    "DraftNotFound",
    "DraftSummary",
    "DraftsmithError",
    "EditResult",
    "Effect",
    "FilledTemplate",
    "Filter",
    "Image",
    "ImportedDraft",
    "InvalidDraftUrl",
    "Keyframe",
    "KeyframeResult",
    "Keywords",
    "Mask",
    "MaskResult",
    "MediaFill",
    "Placement",
    "RateLimited",
    "RelinkedMedia",
    "RenderReportEntry",
    "RenderStatus",
    "RenderSubmitted",
    "Replacement",
    "RestoreResult",
    "RetryNotice",
    "RetryPolicy",
    "SaveFailed",
    "SaveResult",
    "Scene",
    "Segment",
    "SegmentAudioEffect",
    "SegmentSpan",
    "ServerUnreachable",
    "ServerWarning",
    "Shadow",
    "Sticker",
    "StickerResult",
    "TextFill",
    "Track",
    "Unavailable",
    "UnexpectedResponse",
    "VersionInfo",
    "Video",
    "draft_id_of",
    "is_retryable",
]
