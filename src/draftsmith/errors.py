"""The error tree of draftsmith.

Every failure a caller can act on is one of these classes. Each carries a stable machine
readable `code`, a human `detail`, and the HTTP status and CLI exit code it maps to; the web
layer and the CLI read them from here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorKind:
    """How one family of errors is reported: HTTP status and process exit code."""

    status: int
    exit_code: int


BAD_REQUEST = ErrorKind(400, 2)
NOT_FOUND = ErrorKind(404, 3)
CONFLICT = ErrorKind(409, 4)
TOO_LARGE = ErrorKind(413, 2)
TOO_MANY = ErrorKind(429, 5)
INTERNAL = ErrorKind(500, 6)
UNAVAILABLE = ErrorKind(503, 7)
UNAUTHORIZED = ErrorKind(401, 8)
FORBIDDEN = ErrorKind(403, 8)
MISDIRECTED = ErrorKind(421, 8)
UNSUPPORTED_MEDIA_TYPE = ErrorKind(415, 2)
RANGE_NOT_SATISFIABLE = ErrorKind(416, 2)
MISCONFIGURED = ErrorKind(500, 9)
UNPROCESSABLE = ErrorKind(422, 2)


class DraftsmithError(Exception):
    """Base of every error the product reports to a caller."""

    kind: ErrorKind = INTERNAL
    code: str = "internal_error"
    default_detail: str = "Internal error"
    default_retry_after: int | None = None

    def __init__(self, detail: str | None = None, *, retry_after: int | None = None) -> None:
        self.detail = detail or self.default_detail
        self.retry_after = retry_after if retry_after is not None else self.default_retry_after
        super().__init__(self.detail)

    @property
    def status(self) -> int:
        return self.kind.status

    @property
    def exit_code(self) -> int:
        return self.kind.exit_code


class InvalidInput(DraftsmithError):
    """The request is malformed; the detail names the field and the problem."""

    kind = BAD_REQUEST
    code = "invalid_input"
    default_detail = "Invalid request"


class DraftUrlRequired(InvalidInput):
    code = "draft_url_required"
    default_detail = "draft_url is required"


class InvalidDraftUrl(InvalidInput):
    code = "invalid_draft_url"
    default_detail = "Invalid draft_url format"


class MediaRejected(InvalidInput):
    """A media URL could not be fetched, or what it served is not the expected media."""

    code = "media_rejected"
    default_detail = "Media could not be used"


class LimitExceeded(InvalidInput):
    """The request is well formed but goes past a configured limit (segments, caption length)."""

    code = "limit_exceeded"
    default_detail = "A limit was exceeded"


class RenderLimitExceeded(LimitExceeded):
    """A draft too long, or a canvas too large, to render on this server."""

    code = "render_limit_exceeded"
    default_detail = "The draft is too large to render"


class UnsavedChanges(InvalidInput):
    """Strict mode: gen_video of a draft whose latest changes are not saved (by default they
    are saved first)."""

    code = "unsaved_changes"


class UnknownName(InvalidInput):
    """A name (effect, filter, animation...) that the catalogue does not know; `suggestions`
    holds the closest names it does know."""

    code = "unknown_name"
    default_detail = "Unknown name"

    def __init__(self, detail: str, suggestions: tuple[str, ...] = ()) -> None:
        self.suggestions = suggestions
        super().__init__(detail)


class InvalidSpec(InvalidInput):
    """A compose spec with problems: `problems` holds each as (JSON pointer, message), every
    one found, so that a caller fixes them all at once."""

    code = "invalid_spec"

    def __init__(self, problems: tuple[tuple[str, str], ...]) -> None:
        self.problems = problems
        shown = "; ".join(f"{pointer}: {message}" for pointer, message in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        super().__init__(f"The spec has {len(problems)} problem(s): {shown}{more}")


class ArchiveRejected(InvalidInput):
    """A draft archive (import_draft) that is not a safe, readable zip of a draft folder."""

    code = "archive_rejected"
    default_detail = "The archive cannot be imported"


class ArchiveTooLarge(DraftsmithError):
    """A draft archive past the import limits: too many files, too many bytes unpacked, or
    packed tighter than real drafts are (a zip bomb)."""

    kind = TOO_LARGE
    code = "archive_too_large"
    default_detail = "The archive is larger than imports allow"


class NotADraft(InvalidInput):
    """An archive whose timeline file is JSON but not a draft's timeline."""

    code = "not_a_draft"
    default_detail = "The file is not a draft"


class DraftEncrypted(DraftsmithError):
    """A draft whose timeline file the editor encrypted (Jianying 6 and newer); it is never
    decrypted here."""

    kind = UNPROCESSABLE
    code = "draft_encrypted"
    default_detail = "The draft's timeline is encrypted"


class Unauthorized(DraftsmithError):
    """No API key, or one that is unknown or revoked, while API keys are on."""

    kind = UNAUTHORIZED
    code = "unauthorized"
    default_detail = "API key required"


class LinkExpired(DraftsmithError):
    """A signed download link whose time is up; get_draft hands out fresh ones."""

    kind = FORBIDDEN
    code = "link_expired"
    default_detail = "Download link expired; call get_draft for a fresh one"


class QuotaExceeded(DraftsmithError):
    """The caller holds as many drafts (or runs as many renders) as one API key may."""

    kind = TOO_MANY
    code = "quota_exceeded"
    default_detail = "Quota exceeded"


class DraftQuotaExceeded(QuotaExceeded):
    code = "draft_quota_exceeded"

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"This API key already holds {limit} drafts, the most one key may hold; "
            "delete some with delete_draft first"
        )


class RenderQuotaExceeded(QuotaExceeded):
    code = "render_quota_exceeded"
    default_retry_after = 10

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"This API key already has {limit} renders queued or running, the most one key "
            "may have at once; wait for one to finish"
        )


class RenderBudgetExceeded(QuotaExceeded):
    """The caller's renders queued in the last hour already add up to its render budget."""

    code = "render_budget_exceeded"

    def __init__(
        self, limit_seconds: int, queued_seconds: float, retry_after: int, *, keyed: bool
    ) -> None:
        self.limit = limit_seconds
        who = "with this API key" if keyed else "on this server (keys are off: one budget for all)"
        super().__init__(
            f"Render budget spent: {queued_seconds:g} s of video were queued in the last hour "
            f"{who}, and the most is {limit_seconds} s per hour; this render fits again in "
            f"{retry_after} s",
            retry_after=retry_after,
        )


class PreviewInProgress(DraftsmithError):
    """A preview of the draft is being made already; one at a time per draft."""

    kind = TOO_MANY
    code = "preview_in_progress"
    default_detail = "A preview of this draft is being made already; wait for it to finish"
    default_retry_after = 2


class UntrustedHost(DraftsmithError):
    """The Host header names a host this server does not answer for (DNS rebinding)."""

    kind = MISDIRECTED
    code = "untrusted_host"
    default_detail = "This server does not answer for that host"


class ForeignOrigin(DraftsmithError):
    """A browser page of another origin sent the request (cross-site request forgery)."""

    kind = FORBIDDEN
    code = "foreign_origin"
    default_detail = "Requests from that origin are not allowed"


class NotJson(DraftsmithError):
    """A state-changing request whose body is not declared as JSON."""

    kind = UNSUPPORTED_MEDIA_TYPE
    code = "unsupported_media_type"
    default_detail = "Request bodies must be JSON (Content-Type: application/json)"


class PayloadTooLarge(DraftsmithError):
    kind = TOO_LARGE
    code = "payload_too_large"
    default_detail = "Request body too large"


class NotFound(DraftsmithError):
    kind = NOT_FOUND
    code = "not_found"
    default_detail = "Not found"


class DraftNotFound(NotFound):
    code = "draft_not_found"
    default_detail = "Draft does not exist"


class SegmentNotFound(NotFound):
    code = "segment_not_found"
    default_detail = "Segment not found"


class MaterialNotFound(NotFound):
    code = "material_not_found"


class VersionNotFound(NotFound):
    code = "version_not_found"
    default_detail = "Version does not exist"


class NoSavedVersion(NotFound):
    code = "no_saved_version"
    default_detail = "Draft has no saved version yet; call save_draft first"


class RenderJobNotFound(NotFound):
    code = "render_job_not_found"
    default_detail = "Video generation task not found"


class RangeNotSatisfiable(DraftsmithError):
    """No byte range a Range header asks for lies within the file; `size` is its length."""

    kind = RANGE_NOT_SATISFIABLE
    code = "range_not_satisfiable"

    def __init__(self, size: int) -> None:
        self.size = size
        super().__init__(f"The range asked for lies outside the file of {size} bytes")


class Conflict(DraftsmithError):
    kind = CONFLICT
    code = "draft_modified"
    default_detail = "Draft was modified"


class IdempotencyKeyReused(DraftsmithError):
    """An idempotency key came back with a request other than the one it was first sent with."""

    kind = UNPROCESSABLE
    code = "idempotency_key_reused"
    default_detail = (
        "This Idempotency-Key was already used with a different request; use a new key for a "
        "new request"
    )


class RequestInProgress(DraftsmithError):
    """Another request with the same idempotency key is still being applied."""

    kind = CONFLICT
    code = "request_in_progress"
    default_detail = (
        "A request with this Idempotency-Key is still being applied; retry it with the same key"
    )
    default_retry_after = 1


class RateLimited(DraftsmithError):
    kind = TOO_MANY
    code = "rate_limited"
    default_detail = "Too many requests"
    default_retry_after = 1


class SaveFailed(DraftsmithError):
    """Writing failed; whatever was stored before stays intact."""

    kind = INTERNAL
    code = "save_failed"
    default_detail = "Save failed"


class RenderFailed(DraftsmithError):
    """Rendering a draft to video failed; the detail carries ffmpeg's last words."""

    kind = INTERNAL
    code = "render_failed"
    default_detail = "Video rendering failed"


class RenderCancelled(RenderFailed):
    code = "render_cancelled"
    default_detail = "Video rendering was cancelled"


class RenderTimedOut(RenderFailed):
    """ffmpeg ran past the job's wall-clock limit, which grows with the draft's length."""

    code = "render_timed_out"

    def __init__(self, limit_seconds: float) -> None:
        self.limit = limit_seconds
        super().__init__(
            f"Render stopped: it ran past its time limit of {limit_seconds:g} s "
            "(a multiple of the draft's length)"
        )


class InvalidSettings(DraftsmithError):
    """A setting the server cannot start with (an operator catalogue file missing or
    malformed); the detail names the setting, the file and the problem."""

    kind = MISCONFIGURED
    code = "invalid_settings"
    default_detail = "Invalid settings"


class Unavailable(DraftsmithError):
    kind = UNAVAILABLE
    code = "service_unavailable"
    default_detail = "Service unavailable"
    default_retry_after = 5
