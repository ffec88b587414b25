"""Fuzzing the live OpenAPI document with schemathesis: every operation, valid and invalid
input, at least 1,000 requests in all; no answer may be a 5xx or stray from the document
(status code, content type, body schema, headers)."""

from __future__ import annotations

import os

from collections.abc import Callable, Iterator

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from support.server import ServerProcess

from .conftest import KEY_A, KeyedApi

STATUS: list[tuple[str, str, int]] = []
MIN_REQUESTS = 1000
EXAMPLES = {GenerationMode.POSITIVE: int(os.environ.get("XPOS", 50)), GenerationMode.NEGATIVE: int(os.environ.get("XNEG", 30))}
import os
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
CHECKS = [
    *( [negative_data_rejection, positive_data_acceptance] if os.environ.get("XCHECKS") else []),
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
FUZZ_ENV = {
    **({"DRAFTSMITH_DATABASE_URL": os.environ["XDB"]} if os.environ.get("XDB") else {}),
    "DRAFTSMITH_API_KEYS": KEY_A,
    "DRAFTSMITH_MAX_DRAFTS_PER_KEY": "200",
    "DRAFTSMITH_MEDIA_TIMEOUT_SECONDS": "2",
    "DRAFTSMITH_MEDIA_CONNECT_TIMEOUT_SECONDS": "1",
}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("fuzzed"), env=FUZZ_ENV) as server:
        yield server


def real_draft(server: ServerProcess) -> tuple[str, str]:
    """A saved draft of key A, so that fuzzed requests also reach past the lookup."""
    with httpx.Client(timeout=30, trust_env=False) as http:
        return KeyedApi(http, server.base_url, KEY_A).saved_draft()


NOT_AIMED = ("/create_draft", "/list_drafts", "/delete_draft", "/healthz", "/readyz")
AUTH_HEADERS = {"authorization", "x-api-key"}


def aim_at(draft_url: str, draft_id: str) -> Callable[[tuple[Case, bool]], Case]:
    """Point half of the cases at the real draft, with the real key, instead of made-up ones;
    the other half keeps whatever schemathesis made (wrong keys and ids included)."""

    def aim(drawn: tuple[Case, bool]) -> Case:
        case, use_real = drawn
        if not use_real:
            return case
        case.headers = {
            k: v for k, v in (case.headers or {}).items() if k.lower() not in AUTH_HEADERS
        }
        if case.path.endswith(NOT_AIMED):
            return case
        if case.method == "POST":
            body = case.body if isinstance(case.body, dict) else {}
            case.body = {**body, "draft_url": draft_url}
        if isinstance(case.query, dict) and "draft_id" in case.query:
            case.query = {**case.query, "draft_id": draft_id}
        if isinstance(case.path_parameters, dict) and "draft_id" in case.path_parameters:
            case.path_parameters = {**case.path_parameters, "draft_id": draft_id}
        return case

    return aim


def test_the_live_api_matches_its_document(fuzzed: ServerProcess) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzzed.base_url}/openapi.json")
    draft_url, draft_id = real_draft(fuzzed)
    auth = {"X-API-Key": KEY_A}
    sent = 0
    failures: list[str] = []

    def run(case: Case) -> None:
        nonlocal sent
        headers = case.headers or {}
        extra = {} if AUTH_HEADERS & {k.lower() for k in headers} else auth
        response = case.call(base_url=fuzzed.base_url, headers=extra, timeout=30)
        sent += 1
        STATUS.append((case.method, case.path, response.status_code))
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, FailureGroup) as exc:
            failures.append(f"{case.method} {case.formatted_path}: {exc}"[:2000])

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, examples in EXAMPLES.items():
            strategy = st.tuples(operation.as_strategy(generation_mode=mode), st.booleans())
            fuzz = hypothesis.settings(
                max_examples=examples,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )(given(strategy.map(aim_at(draft_url, draft_id)))(run))
            try:
                fuzz()
            except hypothesis.errors.Unsatisfiable:
                # Nothing invalid can be made for an operation that takes no input.
                assert mode is GenerationMode.NEGATIVE, operation.label

    assert failures == [], "\n\n".join(failures[:20])
    assert sent >= MIN_REQUESTS, sent
