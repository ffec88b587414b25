"""The retry rules on their own: which errors are retried, how long the waits are.

No server here: these pin the arithmetic that the server tests cannot see exactly (jitter).
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from draftsmith.client import RetryNotice, RetryPolicy, ServerUnreachable, is_retryable
from draftsmith.client._retry import parse_retry_after
from draftsmith.client._transport import error_from_response
from draftsmith.errors import (
    Conflict,
    DraftNotFound,
    DraftQuotaExceeded,
    DraftsmithError,
    InvalidDraftUrl,
    InvalidInput,
    NotFound,
    RateLimited,
    RenderQuotaExceeded,
    RequestInProgress,
    SaveFailed,
    Unauthorized,
    Unavailable,
)


def response(status: int, body: object = None, **headers: str) -> httpx.Response:
    if body is None:
        return httpx.Response(status, text="<html>proxy error</html>", headers=headers)
    return httpx.Response(status, json=body, headers=headers)


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (404, "draft_not_found", DraftNotFound),
        (400, "invalid_draft_url", InvalidDraftUrl),
        (500, "save_failed", SaveFailed),
        (503, "service_unavailable", Unavailable),
        (429, "rate_limited", RateLimited),
        (409, "draft_modified", Conflict),
        (400, "invalid_input", InvalidInput),
    ],
)
def test_the_code_field_names_the_error_class(
    status: int, code: str, cls: type[DraftsmithError]
) -> None:
    error = error_from_response(response(status, {"detail": "the detail", "code": code}))
    assert type(error) is cls
    assert (error.status, error.code, error.detail) == (status, code, "the detail")


def test_unknown_codes_fall_back_to_the_status_and_keep_the_real_status() -> None:
    gone = error_from_response(response(405, {"detail": "Method Not Allowed", "code": "x"}))
    assert isinstance(gone, InvalidInput)
    assert (gone.status, gone.code, gone.exit_code) == (405, "x", InvalidInput.kind.exit_code)
    missing = error_from_response(response(404, {"detail": "Not Found", "code": "http_error"}))
    assert type(missing) is NotFound and missing.status == 404
    bad_gateway = error_from_response(response(502))
    assert type(bad_gateway) is DraftsmithError
    assert bad_gateway.status == 502 and "proxy error" in bad_gateway.detail


def test_classes_with_their_own_constructor_keep_the_server_detail() -> None:
    body = {"detail": "This API key already holds 5 drafts", "code": "draft_quota_exceeded"}
    quota = error_from_response(response(429, body))
    assert type(quota) is DraftQuotaExceeded
    assert (quota.status, quota.detail, quota.retry_after) == (429, body["detail"], None)
    assert not is_retryable(quota), "waiting does not free a draft quota"
    renders = error_from_response(
        response(429, {"detail": "busy", "code": "render_quota_exceeded"}, **{"Retry-After": "10"})
    )
    assert type(renders) is RenderQuotaExceeded and is_retryable(renders)
    denied = error_from_response(response(401, {"detail": "API key required", "code": "?"}))
    assert isinstance(denied, Unauthorized) and denied.exit_code == Unauthorized.kind.exit_code


def test_retry_after_is_read_from_the_header_only() -> None:
    limited = error_from_response(
        response(
            429, {"detail": "Too many requests", "code": "rate_limited"}, **{"Retry-After": "7"}
        )
    )
    assert limited.retry_after == 7
    # Without the header the wait is backoff's business, not a class default.
    plain = error_from_response(response(503, {"detail": "down", "code": "service_unavailable"}))
    assert plain.retry_after is None


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("30") == 30
    assert parse_retry_after("Wed, 01 Jan 2025 12:00:05 GMT", now) == 5
    assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now) == 0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (SaveFailed(), True),
        (Unavailable(), True),
        (RateLimited(), True),
        (ServerUnreachable("refused"), True),
        (DraftNotFound(), False),
        (InvalidDraftUrl(), False),
        (Conflict(), False),
        (InvalidInput(), False),
    ],
)
def test_only_500_503_429_and_no_answer_are_retried(
    error: DraftsmithError, retryable: bool
) -> None:
    assert is_retryable(error) is retryable


def test_backoff_doubles_up_to_the_cap_with_full_jitter() -> None:
    top = RetryPolicy(base=0.5, cap=8.0, jitter=lambda: 1.0)
    assert [top.delay(n, None) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    bottom = RetryPolicy(jitter=lambda: 0.0)
    assert bottom.delay(3, None) == 0.0


def test_retry_after_is_a_floor_and_max_wait_a_ceiling() -> None:
    policy = RetryPolicy(base=0.5, cap=8.0, max_wait=10.0, jitter=lambda: 0.0)
    assert policy.delay(0, 3) == 3.0
    assert policy.delay(0, 30) == 10.0
    assert RetryPolicy(jitter=lambda: 1.0).delay(4, 1) == 8.0


def test_attempts_stop_after_the_retries_and_at_the_first_fatal_error() -> None:
    heard: list[RetryNotice] = []
    attempts = RetryPolicy(jitter=lambda: 1.0).attempts("save_draft", 2, heard.append)
    assert attempts.next_delay(Unavailable()) == 5.0  # the class's default Retry-After
    assert attempts.next_delay(SaveFailed()) == 1.0
    assert attempts.next_delay(SaveFailed()) is None
    assert [(n.verb, n.attempt, n.delay) for n in heard] == [
        ("save_draft", 1, 5.0),
        ("save_draft", 2, 1.0),
    ]
    fatal = RetryPolicy().attempts("save_draft", 5)
    assert fatal.next_delay(DraftNotFound()) is None


def test_a_key_still_being_applied_is_retried_but_a_modified_draft_is_not() -> None:
    busy = {"detail": "still being applied", "code": "request_in_progress"}
    in_progress = error_from_response(response(409, busy, **{"Retry-After": "1"}))
    assert type(in_progress) is RequestInProgress and in_progress.retry_after == 1
    assert is_retryable(in_progress)
    modified = error_from_response(response(409, {"detail": "moved on", "code": "draft_modified"}))
    assert not is_retryable(modified)
