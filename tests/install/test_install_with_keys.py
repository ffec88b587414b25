"""`draftsmith install` of a draft by its id from a real server with API keys on: the key
given with --api-key (or DRAFTSMITH_API_KEY) is sent, and a wrong one is a clear error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from draft_oracle import load_summary
from draftsmith.cli import main
from draftsmith.client import SECOND, Caption, Client
from support.server import ServerProcess

KEY = "ds_install-key-0123456789abcdef"
OTHER_KEY = "ds_install-other-0123456789abcd"
KEYED_ENV = {"DRAFTSMITH_API_KEYS": f"{KEY},{OTHER_KEY}"}


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("install-keyed"), env=KEYED_ENV) as server:
        yield server


@pytest.fixture(scope="module")
def draft_id(keyed_server: ServerProcess) -> str:
    """A draft of KEY's with one caption, saved once."""
    with Client(keyed_server.base_url, KEY, trust_env=False) as client:
        created = client.create_draft(640, 360, name="Keyed draft")
        client.add_captions(created.draft_id, [Caption("hello", 0, 2 * SECOND)])
        client.save(created.draft_id)
        return created.draft_id


def install(server: ServerProcess, draft_id: str, root: Path, *args: str, **env: str) -> Result:
    argv = ["install", draft_id, "--drafts-root", str(root), "--server", server.base_url, *args]
    return CliRunner().invoke(main, argv, env={"DRAFTSMITH_API_KEY": None, **env})


def test_install_by_id_sends_the_api_key(
    keyed_server: ServerProcess, draft_id: str, tmp_path: Path
) -> None:
    result = install(keyed_server, draft_id, tmp_path, "--api-key", KEY)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "Keyed draft"
    assert f"Installed 'Keyed draft' at {folder}" in result.stdout
    listed = json.loads((tmp_path / "root_meta_info.json").read_text(encoding="utf-8"))
    assert [e["draft_fold_path"] for e in listed["all_draft_store"]] == [folder.as_posix()]
    assert load_summary(folder).captions == ["hello"]


def test_the_key_may_come_from_the_environment(
    keyed_server: ServerProcess, draft_id: str, tmp_path: Path
) -> None:
    result = install(keyed_server, draft_id, tmp_path, DRAFTSMITH_API_KEY=KEY)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "Keyed draft" / "draft_content.json").is_file()


@pytest.mark.parametrize(
    ("args", "exit_code", "detail"),
    [
        (("--api-key", "ds_wrong-key-0123456789abcdef00"), 8, "API key"),
        ((), 8, "API key"),
        # Another live key does not see the draft: it is not found, as on the HTTP API.
        (("--api-key", OTHER_KEY), 3, "Draft does not exist"),
    ],
)
def test_a_wrong_or_missing_key_is_a_clear_error(
    keyed_server: ServerProcess,
    draft_id: str,
    tmp_path: Path,
    args: tuple[str, ...],
    exit_code: int,
    detail: str,
) -> None:
    result = install(keyed_server, draft_id, tmp_path, *args)
    assert result.exit_code == exit_code, result.output
    assert result.stderr.startswith("error: ") and detail in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []
