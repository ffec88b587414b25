"""Getting a draft to install: a local folder or zip, or a saved version from a server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from draftsmith.client import DEFAULT_SERVER
from draftsmith.editor.sources import UnreadableDraft
from draftsmith.errors import DraftNotFound, Unavailable
from draftsmith.timeline.ids import API_PREFIX, is_valid_draft_id, parse_draft_url

DOWNLOAD_TIMEOUT = httpx.Timeout(30.0, read=300.0)


@dataclass(frozen=True)
class RemoteDraft:
    server: str
    draft_id: str


def resolve(reference: str, server: str | None) -> Path | RemoteDraft:
    """What `reference` names: a local path, or a draft on a server.

    A draft_url carries its server (everything before the API prefix, so a proxy's path
    prefix is kept); a bare draft id needs `server` (default: a local draftsmith).
    """
    path = Path(reference).expanduser()
    if path.exists():
        return path
    if reference.startswith(("http://", "https://")):
        draft_id = parse_draft_url(reference)
        if server is None:
            parts = urlsplit(reference)
            prefix = parts.path.split(API_PREFIX, 1)[0]
            server = f"{parts.scheme}://{parts.netloc}{prefix}"
        return RemoteDraft(server.rstrip("/"), draft_id)
    if is_valid_draft_id(reference):
        return RemoteDraft((server or DEFAULT_SERVER).rstrip("/"), reference)
    raise UnreadableDraft(f"{reference} is not a draft folder, zip, draft_url or draft id")


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    return str(body.get("detail", body)) if isinstance(body, dict) else str(body)[:200]


def download(remote: RemoteDraft, target: Path, http: httpx.Client | None = None) -> Path:
    """Save the draft's latest saved version as a zip at `target` (entries `<draft_id>/...`)."""
    url = f"{remote.server}{API_PREFIX}/download_draft"
    client = http or httpx.Client(timeout=DOWNLOAD_TIMEOUT, follow_redirects=True)
    try:
        with client.stream("GET", url, params={"draft_id": remote.draft_id}) as response:
            if response.status_code != 200:
                response.read()
                detail = _detail(response)
                if response.status_code == 404:
                    raise DraftNotFound(f"{remote.server}: {detail}")
                raise Unavailable(f"{url} answered {response.status_code}: {detail}")
            with target.open("wb") as sink:
                for chunk in response.iter_bytes():
                    sink.write(chunk)
    except httpx.HTTPError as exc:
        raise Unavailable(f"cannot download the draft from {remote.server}: {exc}") from exc
    finally:
        if http is None:
            client.close()
    return target
