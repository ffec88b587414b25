"""A local HTTP server that serves test media, plus routes that misbehave on purpose.

Routes besides the files of the served directory:

- ``/redirect?to=URL`` answers 302 to URL (a bare name is taken relative to the server);
  ``/redirect?location=TEXT`` answers 302 with TEXT as the Location, exactly as given.
- ``/slow`` sends its headers, then stalls until the server shuts down (at most an hour);
  ``/slow?seconds=S`` stalls S seconds and then sends the announced body.
- ``/big`` streams bytes with no Content-Length until the client hangs up;
  ``/big?bytes=N`` announces Content-Length N and sends N bytes.
- ``/status/CODE`` answers with that status code.
- ``/trickle/NAME?seconds=S`` serves the file NAME of the directory in small pieces spread
  over S seconds (default 2), so a download of it is still running while a test acts.
"""

from __future__ import annotations

import functools
import sys
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from support.closing import ClosedOnExit

_CHUNK = b"\0" * 65536
_SLOW_BODY_BYTES = 1024
_MAX_STALL_SECONDS = 3600.0
_TRICKLE_PIECES = 20


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, directory: Path) -> None:
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._paths: list[str] = []
        handler = functools.partial(_Handler, directory=str(directory))
        super().__init__(("127.0.0.1", 0), handler)

    def record(self, path: str) -> None:
        with self._lock:
            self._paths.append(path)

    def paths(self) -> list[str]:
        with self._lock:
            return list(self._paths)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-body is what /big and /slow are for; stay quiet about it.
        if isinstance(sys.exception(), ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(SimpleHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def _dispatch(self, *, head: bool) -> None:
        self.server.record(self.path)
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        if url.path == "/redirect" and "location" in query:
            self._send_redirect(query["location"])
        elif url.path == "/redirect":
            self._redirect(query.get("to", "/"))
        elif url.path == "/slow":
            self._slow(query.get("seconds"), head=head)
        elif url.path == "/big":
            self._big(query.get("bytes"), head=head)
        elif url.path.startswith("/status/"):
            self._status(int(url.path.removeprefix("/status/")), head=head)
        elif url.path.startswith("/trickle/"):
            self._trickle(url.path.removeprefix("/trickle"), query.get("seconds"), head=head)
        elif head:
            super().do_HEAD()
        else:
            super().do_GET()

    def _redirect(self, target: str) -> None:
        if "://" not in target:
            host, port = self.server.server_address[:2]
            target = f"http://{host!s}:{port}/{target.lstrip('/')}"
        self._send_redirect(target)

    def _send_redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _slow(self, seconds: str | None, *, head: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(_SLOW_BODY_BYTES))
        self.end_headers()
        self.wfile.flush()
        stall = _MAX_STALL_SECONDS if seconds is None else float(seconds)
        if self.server.stopping.wait(stall) or head:
            return
        self.wfile.write(_CHUNK[:_SLOW_BODY_BYTES])

    def _big(self, size: str | None, *, head: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "video/mp4")
        if size is not None:
            self.send_header("Content-Length", size)
        self.end_headers()
        if head:
            return
        remaining = int(size) if size is not None else None
        while not self.server.stopping.is_set() and (remaining is None or remaining > 0):
            chunk = _CHUNK if remaining is None else _CHUNK[:remaining]
            self.wfile.write(chunk)
            if remaining is not None:
                remaining -= len(chunk)

    def _trickle(self, path: str, seconds: str | None, *, head: bool) -> None:
        file = Path(self.translate_path(path))
        if not file.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        body = file.read_bytes()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if head:
            return
        piece = -(-len(body) // _TRICKLE_PIECES)
        pause = (2.0 if seconds is None else float(seconds)) / _TRICKLE_PIECES
        started = time.monotonic()
        for index in range(_TRICKLE_PIECES):
            # Pace against the start so the whole body takes S seconds, not S plus write time.
            due = started + index * pause - time.monotonic()
            if due > 0 and self.server.stopping.wait(due):
                return
            self.wfile.write(body[index * piece : (index + 1) * piece])
            self.wfile.flush()

    def _status(self, code: int, *, head: bool) -> None:
        body = f"status {code}\n".encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


class MediaServer(ClosedOnExit):
    """Serves `directory` on 127.0.0.1 at a free port, from daemon threads.

    `close()` releases every stalled or streaming request, so teardown never waits on them.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._httpd = _Server(directory)
        port = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="media-server",
            daemon=True,
        )
        self._thread.start()

    def url(self, name: str) -> str:
        """URL of `name`: a file of the directory or a route such as ``status/404``."""
        return f"{self.base}/{quote(name.lstrip('/'), safe='/?&=%')}"

    def redirect_url(self, to: str) -> str:
        """URL that redirects (302) to `to`, a full URL or a name on this server."""
        return f"{self.base}/redirect?{urlencode({'to': to})}"

    def raw_redirect_url(self, location: str) -> str:
        """URL that redirects (302) with `location` as its Location header, not made absolute."""
        return f"{self.base}/redirect?{urlencode({'location': location})}"

    def requested_paths(self) -> list[str]:
        """Request paths (with query) received so far, oldest first."""
        return self._httpd.paths()

    def wait_for_request(self, marker: str, timeout: float = 30.0) -> None:
        """Return once a request whose path holds `marker` has arrived; fail after `timeout`."""
        deadline = time.monotonic() + timeout
        while not any(marker in path for path in self.requested_paths()):
            assert time.monotonic() < deadline, f"the server never fetched {marker}"
            time.sleep(0.01)

    def close(self) -> None:
        self._httpd.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
