"""Protection against web pages driving the server through the user's browser.

With keys off (the default) any page a user opens could otherwise POST to a draftsmith on their
machine (cross-site request forgery) or, by pointing a name of its own at 127.0.0.1, read the
answers too (DNS rebinding). Three checks, on every route, before anything else runs:

- the Host header must name a trusted host (Settings.trusted_host_names), else 421;
- an Origin header must be the server's own origin or one listed in `cors_origins`, else 403;
- a state-changing request with a body must declare it as JSON (a browser can send text/plain,
  form or multipart bodies to any site without asking), else 415. A missing Content-Type is read
  as JSON, as FastAPI (and so capcut-mate) does.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from draftsmith.api.errors import error_body
from draftsmith.errors import DraftsmithError, ForeignOrigin, NotJson, UntrustedHost

_STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_MAX_NAME_SHOWN = 100


def host_name(host: str) -> str:
    """The name in a Host header, without its port, lower case."""
    try:
        name = urlsplit(f"//{host}").hostname
    except ValueError:
        return ""
    return (name or "").lower()


ARCHIVE_TYPES = frozenset({"application/zip", "application/octet-stream"})
"""Bodies import_draft takes besides JSON. Like JSON, and unlike forms or text/plain, a page
can send them to another site only after a CORS preflight that site approves."""


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return (
        media_type == "application/json"
        or (media_type.startswith("application/") and media_type.endswith("+json"))
        or media_type in ARCHIVE_TYPES
    )


def _has_body(headers: Headers) -> bool:
    length = headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "transfer-encoding" in headers


class BrowserGuard:
    """ASGI middleware refusing untrusted hosts, foreign origins and non-JSON bodies."""

    def __init__(
        self, app: ASGIApp, *, hosts: frozenset[str] | None, cors_origins: frozenset[str]
    ) -> None:
        self.app = app
        self.hosts = hosts
        self.cors_origins = cors_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refusal(scope["method"], Headers(scope=scope))
        if refusal is None:
            await self.app(scope, receive, send)
            return
        body, headers = error_body(refusal)
        await JSONResponse(body, status_code=refusal.status, headers=headers)(scope, receive, send)

    def refusal(self, method: str, headers: Headers) -> DraftsmithError | None:
        host = headers.get("host", "")
        name = host_name(host)
        if self.hosts is not None and name not in self.hosts:
            shown = name[:_MAX_NAME_SHOWN] or "(none)"
            return UntrustedHost(
                f"This server does not answer for host {shown!r}; add it to "
                "DRAFTSMITH_TRUSTED_HOSTS or set DRAFTSMITH_PUBLIC_URL"
            )
        origin = headers.get("origin")
        if origin is not None and not self._allowed_origin(origin, host):
            return ForeignOrigin(
                f"Requests from origin {origin[:_MAX_NAME_SHOWN]!r} are not allowed; list it "
                "in DRAFTSMITH_CORS_ORIGINS to let its pages call this server"
            )
        if method in _STATE_CHANGING and _has_body(headers):
            content_type = headers.get("content-type")
            if content_type is not None and not _is_json(content_type):
                return NotJson(
                    f"Request bodies must be JSON: send Content-Type: application/json, "
                    f"not {content_type[:_MAX_NAME_SHOWN]!r}"
                )
        return None

    def _allowed_origin(self, origin: str, host: str) -> bool:
        if origin in self.cors_origins:
            return True
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        # The server's own pages (the web UI) send their own origin: same host and port.
        return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()
