"""The URLs the contract hands out: the draft_url that names a draft, download links of a
saved version's files and folder, and of a rendered video, signed while keys are on."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from draftsmith.errors import DraftUrlRequired, InvalidDraftUrl
from draftsmith.security.keys import KeyRing
from draftsmith.security.signing import UrlSigner, file_resource, video_resource, zip_resource
from draftsmith.store.records import RenderJob, VersionRecord, VersionRef
from draftsmith.timeline.ids import DRAFT_ID_PATTERN, check_draft_id

API_PREFIX = "/openapi/capcut-mate/v1"
MAX_DRAFT_URL_LENGTH = 2048
DRAFT_URL_PATTERN = (
    r"^https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~-]+)*/get_draft\?draft_id="
    + DRAFT_ID_PATTERN.removeprefix("^")
)
"""Draft URLs as create_draft hands them out, for API documents. `parse_draft_url` accepts a
little more (any path before /get_draft, other query parameters, spaces around it)."""


def draft_url(base_url: str, draft_id: str) -> str:
    return f"{base_url.rstrip('/')}{API_PREFIX}/get_draft?draft_id={draft_id}"


def parse_draft_url(value: object) -> str:
    """Return the draft id a draft_url names, or raise the error the save_draft table gives."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DraftUrlRequired()
    if not isinstance(value, str) or len(value) > MAX_DRAFT_URL_LENGTH:
        raise InvalidDraftUrl()
    try:
        parts = urlsplit(value.strip())
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError as exc:
        raise InvalidDraftUrl() from exc
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidDraftUrl()
    if not parts.path.endswith("/get_draft"):
        raise InvalidDraftUrl()
    ids = query.get("draft_id", [])
    if len(ids) != 1:
        raise InvalidDraftUrl()
    return check_draft_id(ids[0])


def _plain(resource: str) -> str:
    return ""


def _with_query(url: str, query: str) -> str:
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _profile_query(profile: str | None) -> str:
    return "" if profile is None else urlencode({"profile": profile})


def file_urls(
    base: str,
    record: VersionRecord,
    link_query: Callable[[str], str] = _plain,
    profile: str | None = None,
) -> list[str]:
    """Download URLs of a version's files; `link_query` gives each a signature (or nothing).

    With `profile`, `record` is the version exported for that profile and the URLs ask for it.
    """
    prefix = f"{base}{API_PREFIX}/draft_files/v{record.version}/{record.draft_id}"
    return [
        _with_query(
            _with_query(f"{prefix}/{quote(entry.path)}", _profile_query(profile)),
            link_query(file_resource(record.draft_id, record.version, entry.path, profile)),
        )
        for entry in record.files
    ]


def zip_url(
    base: str,
    record: VersionRef,
    link_query: Callable[[str], str] = _plain,
    profile: str | None = None,
) -> str:
    """The download_draft URL of a version's whole folder (for `profile`) as a zip."""
    url = f"{base}{API_PREFIX}/download_draft?draft_id={record.draft_id}&version={record.version}"
    url = _with_query(url, _profile_query(profile))
    return _with_query(url, link_query(zip_resource(record.draft_id, record.version, profile)))


def video_url(base: str, job: RenderJob, link_query: Callable[[str], str]) -> str:
    url = f"{base}{API_PREFIX}/{video_resource(job.draft_id, job.version)}"
    query = link_query(video_resource(job.draft_id, job.version))
    return f"{url}?{query}" if query else url


class LinkSigner:
    """Appends `?expires=...&sig=...` to download links while keys are on.

    While keys are off every file is served to anyone who can reach the server, so links stay
    plain (and stable: a restart or an hour passing does not change them).
    """

    def __init__(self, keys: KeyRing, signer: UrlSigner) -> None:
        self._keys = keys
        self._signer = signer

    def query(self, resource: str) -> str:
        """`expires=...&sig=...` for a link to `resource`, or "" while keys are off."""
        if not self._keys.enabled():
            return ""
        return self._signer.query(resource)
