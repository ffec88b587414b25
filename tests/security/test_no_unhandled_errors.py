"""No unhandled exception reaches a client: what used to be a 500 (and a dropped keep-alive
connection) is a 4xx naming the problem, and whatever still fails unexpectedly is a 500
`internal_error` naming the request id, on a connection that stays usable."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from draftsmith.bootstrap import http_app
from draftsmith.config import Settings
from support.server import API_PREFIX, ServerProcess, free_port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("unhandled")) as running:
        yield running


def post(
    connection: http.client.HTTPConnection, verb: str, body: object
) -> tuple[int, dict[str, Any]]:
    payload = json.dumps(body).encode()
    connection.request(
        "POST", f"{API_PREFIX}/{verb}", payload, {"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("verb", "field"),
    [
        ("add_videos", "video_infos"),
        ("add_audios", "audio_infos"),
        ("add_images", "image_infos"),
        ("add_captions", "captions"),
        ("add_effects", "effect_infos"),
        ("add_filters", "filter_infos"),
        ("add_keyframes", "keyframes"),
    ],
)
def test_deeply_nested_json_string_list_is_400_on_a_kept_connection(
    server: ServerProcess, verb: str, field: str
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        status, created = post(connection, "create_draft", {"width": 640, "height": 360})
        assert status == 200
        status, body = post(
            connection, verb, {"draft_url": created["draft_url"], field: nested(5000)}
        )
        assert status == 400, body
        assert body["code"] == "invalid_input"
        assert field in body["detail"]
        # The same connection answers the next request: nothing dropped it.
        status, _ = post(connection, "list_drafts", {})
        assert status == 200
    finally:
        connection.close()


def test_deeply_nested_request_body_is_400(server: ServerProcess) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(
            "POST",
            f"{API_PREFIX}/create_draft",
            ('{"width": ' + nested(100_000) + "}").encode(),
            {"Content-Type": "application/json"},
        )
        response = connection.getresponse()
        assert response.status == 400, response.read()
        response.read()
        status, _ = post(connection, "list_drafts", {})
        assert status == 200
    finally:
        connection.close()


def test_version_number_past_every_integer_is_4xx_on_ui_routes(server: ServerProcess) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        status, created = post(connection, "create_draft", {"width": 640, "height": 360})
        assert status == 200
        for version in ("9223372036854775808", "99999999999999999999999", "-1", "0"):
            connection.request(
                "GET", f"/ui/api/drafts/{created['draft_id']}/versions/{version}/diff"
            )
            response = connection.getresponse()
            text = response.read()
            assert response.status in (400, 404), (version, response.status, text)
    finally:
        connection.close()


def _boom() -> None:
    raise RuntimeError("a defect no handler knows about")


def test_an_unexpected_exception_is_500_with_a_request_id_and_keeps_the_connection(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The real application, served by uvicorn as `draftsmith serve` does, with one route added
    # that fails the way a defect would.
    port = free_port()
    app: FastAPI = http_app(Settings(data_dir=tmp_path, port=port))
    app.add_api_route("/boom", _boom)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            thread.join(0.05)
            assert thread.is_alive(), "uvicorn stopped during start-up"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/boom", headers={"X-Request-Id": "trace-42"})
        response = connection.getresponse()
        body = json.loads(response.read())
        assert response.status == 500
        assert body["code"] == "internal_error"
        assert body["request_id"] == "trace-42"
        assert "trace-42" in body["detail"]
        assert "RuntimeError" not in json.dumps(body)
        connection.request("GET", "/healthz")
        again = connection.getresponse()
        assert again.status == 200, again.read()
        again.read()
        connection.close()
        assert any("trace-42" in record.getMessage() for record in caplog.records)
        assert any(record.exc_info for record in caplog.records)
    finally:
        server.should_exit = True
        thread.join(10)
