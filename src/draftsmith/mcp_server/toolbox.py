"""What every MCP tool works with: the service, the public base URL and the caller's access."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from mcp.server.mcpserver import Context
from pydantic import Field

from draftsmith.api.schemas import DraftBody
from draftsmith.api.strict import STRICT_HEADER, strict_mode
from draftsmith.api.urls import LinkSigner, draft_url, zip_url
from draftsmith.mcp_server.access import Access
from draftsmith.mcp_server.numeric_strings import note_strings_read
from draftsmith.security.caller import Caller
from draftsmith.service import Drafts
from draftsmith.store.idempotency import Idempotency, body_hash
from draftsmith.store.records import VersionRef
from draftsmith.timeline.adjustments import Adjustments

ToolContext = Context[Any, Any]
"""The SDK's per-call context: the HTTP request's headers and client address, if any."""

IdempotencyKey = Annotated[
    str | None,
    Field(
        min_length=1,
        max_length=255,
        description="Optional: a unique string (a UUID) for this change. Send the same key "
        "when you retry the same call: it is then applied once, and the retry answers what "
        "the first call did (with replayed: true).",
    ),
]
"""The `idempotency_key` argument every tool that changes state takes."""
Made = TypeVar("Made")


@dataclass(frozen=True)
class Toolbox:
    drafts: Drafts
    base_url: str
    """Where the HTTP API is reached: draft_urls and download links point there."""
    access: Access
    links: LinkSigner
    """Signs download links while API keys are on, exactly as get_draft does."""
    strict: bool = False
    """Refuse what would be adjusted (DRAFTSMITH_STRICT); over HTTP the X-Draftsmith-Strict
    header of a call overrides it, as it does for the API's verbs."""

    def caller(self, ctx: ToolContext) -> Caller:
        return self.access.caller(ctx.headers)

    def is_strict(self, ctx: ToolContext | None) -> bool:
        """Whether a tool call is strict: as the server is set, or as the call's header says."""
        headers = (ctx.headers if ctx is not None else None) or {}
        return strict_mode(headers.get(STRICT_HEADER.lower()), self.strict)

    def notes(self, ctx: ToolContext) -> Adjustments:
        """What one tool call's edit adjusts, strict as `is_strict` says; the numbers the
        call's arguments gave as strings are its first notes."""
        notes = Adjustments(strict=self.is_strict(ctx))
        note_strings_read(notes)
        return notes

    def client(self, ctx: ToolContext) -> str:
        request = ctx.request_context.request
        address = getattr(request, "client", None)
        return self.access.client(getattr(address, "host", None))

    def draft_url(self, draft_id: str) -> str:
        return draft_url(self.base_url, draft_id)

    def download_url(self, record: VersionRef) -> str:
        """The zip of a saved version's folder (download_draft), signed while keys are on."""
        return zip_url(self.base_url, record, self.links.query)

    def apply_verb(
        self,
        ctx: ToolContext,
        caller: Caller,
        key: str | None,
        verb: Callable[..., Made],
        ref: str,
        body: DraftBody,
        result: Callable[[str, Made], dict[str, Any]],
    ) -> dict[str, Any]:
        """A verb of api/verbs.py on draft `ref`, applied once per idempotency key, answered
        with `result(draft_url, what it made)`."""
        notes = self.notes(ctx)
        return self.once(
            ctx,
            key,
            verb.__name__,
            {"draft_id": ref, **body.model_dump(mode="json")},
            lambda once: verb(self.drafts, caller, ref, body, notes, once=once),
            lambda made: result(self.draft_url(ref), made),
        )

    def once(
        self,
        ctx: ToolContext,
        key: str | None,
        tool: str,
        request: Mapping[str, Any],
        apply: Callable[[Idempotency[Made] | None], Made],
        result: Callable[[Made], dict[str, Any]],
        resume: Callable[[str, Idempotency[Made]], Made] | None = None,
    ) -> dict[str, Any]:
        """A tool call that changes state, applied once per `key` as the HTTP verbs apply
        theirs: `apply` makes the change (handing the key to the store write), `result` the
        tool's result, which is stored with the key; `request` is the call's arguments as
        validated (a retry must repeat them). A repeat answers the stored result."""
        if key is None:
            return result(apply(None))
        digest = body_hash(f"mcp:{tool}", request)

        def as_json(made: Made) -> str:
            return json.dumps(result(made), ensure_ascii=False)

        answer, replayed = self.drafts.answer_once(
            self.caller(ctx), key, digest, apply, as_json, resume
        )
        stored: dict[str, Any] = json.loads(answer)
        return {**stored, "replayed": True} if replayed else stored
