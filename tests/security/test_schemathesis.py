"""Fuzzing the live OpenAPI document with schemathesis, on SQLite and on PostgreSQL.

Every operation of /openapi.json gets schema-valid and schema-invalid input, half of it aimed
at a real saved draft with a real key so that requests reach past the lookup; at least 1,000
requests per store. No answer may be a 5xx or stray from the document: status code, content
type, headers and body schema are all checked. Generation is derandomized, so a run repeats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok

from support.postgres import throwaway_database
from support.server import ServerProcess

from .conftest import KEY_A, KeyedApi

MIN_REQUESTS = 1000
EXAMPLES = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 20}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ_ENV = {
    "DRAFTSMITH_API_KEYS": KEY_A,
    "DRAFTSMITH_MAX_DRAFTS_PER_KEY": "300",
    "DRAFTSMITH_MEDIA_TIMEOUT_SECONDS": "2",
    "DRAFTSMITH_MEDIA_CONNECT_TIMEOUT_SECONDS": "1",
}
# Verbs that name no draft, or that would delete the one the other cases aim at.
NOT_AIMED = ("/create_draft", "/list_drafts", "/delete_draft", "/healthz", "/readyz")
AUTH_HEADERS = {"authorization", "x-api-key"}


@pytest.fixture(params=["sqlite", "postgres"])
def fuzzed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    directory = tmp_path_factory.mktemp(f"fuzzed-{request.param}")
    if request.param == "sqlite":
        with ServerProcess(directory, env=FUZZ_ENV) as server:
            yield server
        return
    with (
        throwaway_database("draftsmith_fuzz") as url,
        ServerProcess(directory, env={**FUZZ_ENV, "DRAFTSMITH_DATABASE_URL": url}) as server,
    ):
        yield server


FuzzCase = Case[Any]


def aim_at(draft_url: str, draft_id: str) -> Callable[[tuple[FuzzCase, bool]], FuzzCase]:
    """Point half of the cases at the real draft, with the real key; the other half keeps
    whatever schemathesis made (made-up keys and ids included)."""

    def aim(drawn: tuple[FuzzCase, bool]) -> FuzzCase:
        case, use_real = drawn
        if not use_real:
            return case
        for name in [k for k in case.headers or {} if k.lower() in AUTH_HEADERS]:
            del case.headers[name]
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
    with httpx.Client(timeout=30, trust_env=False) as http:
        draft_url, draft_id = KeyedApi(http, fuzzed.base_url, KEY_A).saved_draft()
    sent = 0
    failures: list[str] = []

    def run(case: FuzzCase) -> None:
        nonlocal sent
        chose_key = AUTH_HEADERS & {k.lower() for k in (case.headers or {})}
        headers = {} if chose_key else {"X-API-Key": KEY_A}
        response = case.call(base_url=fuzzed.base_url, headers=headers, timeout=30)
        sent += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, FailureGroup) as exc:
            # Collected rather than raised: one run reports every kind of failure at once.
            failures.append(f"{case.method} {case.formatted_path}: {exc}"[:3000])

    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.append(result.ok())
    for operation in operations:
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

    assert failures == [], f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:15])
    assert len(operations) >= 15
    assert sent >= MIN_REQUESTS, sent
