"""Getting a draft to install: a local folder or zip, or a saved version from a server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from draftsmith.api.urls import API_PREFIX, parse_draft_url
from draftsmith.client import DEFAULT_SERVER, Client, RetryNotice
from draftsmith.editor.sources import UnreadableDraft
from draftsmith.timeline.ids import is_valid_draft_id


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


def download(
    remote: RemoteDraft,
    target: Path,
    api_key: str | None = None,
    on_retry: Callable[[RetryNotice], None] | None = None,
) -> Path:
    """Save the draft's latest saved version as a zip at `target` (entries `<draft_id>/...`).

    The client sends `api_key`, retries what may pass by itself, and raises the server's own
    errors (DraftNotFound, Unauthorized, ServerUnreachable...).
    """
    with Client(remote.server, api_key, on_retry=on_retry) as client:
        return client.download_draft(remote.draft_id, target).path
