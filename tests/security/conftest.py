"""Servers with API keys on, and clients that present a key the way a workflow would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.api import Api, ApiOpener
from support.server import ServerProcess

KEY_A = "ds_test-key-alice-0123456789abcdef"
KEY_B = "ds_test-key-bob-0123456789abcdef00"
KEYED_ENV = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1", "DRAFTSMITH_API_KEYS": f"{KEY_A},{KEY_B}"}


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server with two configured keys, A and B, shared by a module's tests."""
    with ServerProcess(tmp_path_factory.mktemp("keyed"), env=KEYED_ENV) as server:
        yield server


@pytest.fixture
def alice(keyed_server: ServerProcess, apis: ApiOpener) -> Api:
    return apis(keyed_server.base_url, KEY_A)


@pytest.fixture
def bob(keyed_server: ServerProcess, apis: ApiOpener) -> Api:
    return apis(keyed_server.base_url, KEY_B)


def data_dir_args(server: ServerProcess) -> list[str]:
    return ["--data-dir", str(server.data_dir)]
