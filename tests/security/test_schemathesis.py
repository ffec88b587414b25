"""Fuzzing the live OpenAPI document with schemathesis, every check on, on SQLite and PostgreSQL.

schemathesis's own runner (its command line) drives all of its phases against a real server:
the coverage phase (boundary and invalid values of every field, missing headers, methods the
document does not list), fuzzing (schema-valid and schema-invalid input) and stateful
sequences. Every check it has is on, and any finding fails the test: no 5xx; statuses, content
types, headers and bodies as documented; every schema-valid request accepted and every
schema-invalid one refused; 405 with `Allow`; OPTIONS answered as `Allow` says; keys enforced
wherever the document asks for one; what key A reads, key B cannot.

Half of the cases that name a draft name a real saved one (a dictionary of the run's config),
so that they get past the lookup; the others name made-up drafts. fuzz_hooks.py gives the JSON
strings of list fields valid content and lists the refusals JSON Schema cannot state (an end
before its start, names the catalogue does not know, URLs that serve no media...). Generation
is deterministic, so a run repeats.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.api import Api
from support.postgres import throwaway_database
from support.server import ServerProcess

from .conftest import KEY_A, KEY_B

MIN_REQUESTS = 2000
EXAMPLES_PER_OPERATION = 6
RUN_TIMEOUT_SECONDS = 900
HOOKS = Path(__file__).with_name("fuzz_hooks.py")
FUZZ_ENV = {
    "DRAFTSMITH_API_KEYS": f"{KEY_A},{KEY_B}",
    "DRAFTSMITH_MAX_DRAFTS_PER_KEY": "1000",
    "DRAFTSMITH_MEDIA_TIMEOUT_SECONDS": "2",
    "DRAFTSMITH_MEDIA_CONNECT_TIMEOUT_SECONDS": "1",
}


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


def config(base_url: str, identities: Path, draft_url: str, draft_id: str) -> str:
    """The run's schemathesis.toml: every case sends key A; half of those that name a draft
    name the saved one; reads are replayed with key B, which must not see A's drafts."""
    return f"""
base-url = "{base_url}"
hooks = "{HOOKS.stem}"
continue-on-failure = true
request-timeout = 30

[output.sanitization]
enabled = false

[auth.wfc]
path = "{identities}"
user = "a"
peers = ["a", "b"]

[generation]
max-examples = {EXAMPLES_PER_OPERATION}
deterministic = true
database = "none"
with-security-parameters = false

[parameters]
"body.draft_url" = {{ dictionary = "draft_urls", probability = 0.5 }}
"draft_id" = {{ dictionary = "draft_ids", probability = 0.5 }}

[dictionaries.draft_urls]
values = [{json.dumps(draft_url)}]

[dictionaries.draft_ids]
values = [{json.dumps(draft_id)}]
"""


def identities(path: Path) -> Path:
    """The two keys, as a Web Fuzzing Commons auth file (schemathesis's way to name users)."""
    users = [
        {"name": name, "fixedHeaders": [{"name": "X-API-Key", "value": key}]}
        for name, key in (("a", KEY_A), ("b", KEY_B))
    ]
    path.write_text(json.dumps({"auth": users}))
    return path


def requests_answered(server: ServerProcess) -> int:
    """Requests the server answered, as its access log counts them."""
    lines = server.log_text().splitlines()
    return sum(1 for line in lines if line.startswith("{") and '"event": "request"' in line)


def operations_documented(api: Api) -> int:
    document = api.http.get("/openapi.json").json()
    return sum(
        1
        for item in document["paths"].values()
        for method in item
        if method in ("get", "post", "put", "patch", "delete", "head", "options")
    )


def test_the_live_api_matches_its_document(fuzzed: ServerProcess, tmp_path: Path) -> None:
    with Api(fuzzed.base_url, key=KEY_A) as api:
        draft_url, draft_id = api.saved_draft()
        operations = operations_documented(api)
    settings = tmp_path / "schemathesis.toml"
    users = identities(tmp_path / "identities.json")
    settings.write_text(config(fuzzed.base_url, users, draft_url, draft_id))
    before = requests_answered(fuzzed)

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(settings),
            "run",
            f"{fuzzed.base_url}/openapi.json",
            "--checks",
            "all",
            "--no-color",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(HOOKS.parent)},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
    )

    report = run.stdout + run.stderr
    assert run.returncode == 0, report[-20000:]
    tested = re.search(r"Tested: (\d+)", report)
    assert tested is not None and int(tested.group(1)) == operations, report[-3000:]
    sent = requests_answered(fuzzed) - before
    assert sent >= MIN_REQUESTS, (sent, report[-3000:])
