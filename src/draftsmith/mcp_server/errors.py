"""The MCP side of the error table: a failure becomes a tool error a model can act on.

The text starts with the HTTP API's `detail` (the same words, from `draftsmith.errors`), then
its stable `code`, then one hint saying what to do about it.
"""

from __future__ import annotations

from draftsmith import errors

_HINTS: tuple[tuple[type[errors.DraftsmithError], str], ...] = (
    (errors.DraftUrlRequired, "Pass the draft_id that create_draft returned."),
    (
        errors.InvalidDraftUrl,
        "Pass the draft_id exactly as create_draft or list_drafts returned it.",
    ),
    (errors.MediaRejected, "Use an http(s) URL that serves a real file of the expected kind."),
    (
        errors.RenderLimitExceeded,
        "This server cannot render it; the saved draft still opens in the editor.",
    ),
    (errors.LimitExceeded, "Split the work over several calls or drafts."),
    (errors.UnknownName, "Use one of the names the catalogue lists."),
    (errors.InvalidInput, "Fix the named field and call the tool again."),
    (
        errors.Unauthorized,
        "Configure the MCP client to send a valid API key: 'Authorization: Bearer <key>'.",
    ),
    (errors.DraftQuotaExceeded, "Delete drafts you no longer need, or use another API key."),
    (errors.RenderQuotaExceeded, "Poll gen_video_status until a render finishes, then retry."),
    (
        errors.DraftNotFound,
        "Check draft_id: list_drafts shows the drafts you can use; create_draft makes one.",
    ),
    (errors.NoSavedVersion, "Call save_draft first."),
    (errors.VersionNotFound, "list_versions shows the saved versions."),
    (errors.RenderJobNotFound, "Call gen_video first."),
    (errors.NotFound, "Check the ids you passed."),
    (
        errors.Conflict,
        "Someone else changed the draft: call get_draft_info, then retry with its current_version.",
    ),
    (errors.SaveFailed, "Nothing saved before was lost; retry in a moment."),
    (errors.RenderFailed, "Check the draft's media with validate_draft, then call gen_video."),
)


def hint_for(error: errors.DraftsmithError) -> str:
    for kind, hint in _HINTS:
        if isinstance(error, kind):
            return hint
    return "Retry in a moment."


def tool_error_text(error: errors.DraftsmithError) -> str:
    """`detail (code). hint`, with when to retry for rate limits and unavailability."""
    text = f"{error.detail} ({error.code}). "
    if error.retry_after is not None and not isinstance(error, errors.RenderQuotaExceeded):
        return text + f"Retry after {error.retry_after} s."
    return text + hint_for(error)
