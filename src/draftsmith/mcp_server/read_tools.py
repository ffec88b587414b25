"""The tools and resources that look at drafts: get_draft_info, list_drafts, list_versions,
validate_draft, and the timeline and versions resources."""

from __future__ import annotations

import json
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from draftsmith.api import schemas
from draftsmith.mcp_server.inputs import DraftRef, draft_id_of, validated
from draftsmith.mcp_server.results import (
    Result,
    draft_summary,
    save_status,
    timeline,
    track_summary,
    version_view,
)
from draftsmith.mcp_server.toolbox import Toolbox, ToolContext
from draftsmith.store.records import DraftHeader

Version = Annotated[int | None, Field(description="A saved version; default: the latest.")]


class ReadTools:
    def __init__(self, toolbox: Toolbox) -> None:
        self.box = toolbox

    def get_draft_info(self, ctx: ToolContext, draft_id: DraftRef) -> Result:
        """A draft's canvas, length, tracks (one line each) and save status: whether it has
        unsaved changes and which version save_draft would publish next."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        header, draft = self.box.drafts.load(caller, ref)
        info = {
            **draft_summary(self.box.draft_url(ref), header),
            "profile": header.profile,
            "tracks": [track_summary(track) for track in draft.tracks],
        }
        if header.saved_version:
            info["download_url"] = self.box.download_url(self.box.drafts.version(caller, ref))
        return {**info, "next": _info_next(header, bool(draft.tracks))}

    def list_drafts(
        self,
        ctx: ToolContext,
        query: Annotated[str | None, Field(description="Part of the name to look for.")] = None,
        limit: Annotated[
            int | None, Field(description="At most this many, 1-500; default 50.")
        ] = None,
        offset: Annotated[int | None, Field(description="Skip this many first; default 0.")] = None,
    ) -> Result:
        """The drafts you can use, most recently changed first, each with its save status."""
        caller = self.box.caller(ctx)
        body = validated(schemas.ListDraftsBody, {"query": query, "limit": limit, "offset": offset})
        headers = self.box.drafts.list_drafts(
            caller, limit=body.limit, offset=body.offset, query=body.query
        )
        return {
            "drafts": [draft_summary(self.box.draft_url(h.id), h) for h in headers],
            "next": "Pass a draft_id to get_draft_info, or call create_draft for a new one.",
        }

    def list_versions(self, ctx: ToolContext, draft_id: DraftRef) -> Result:
        """A draft's saved versions, oldest first, each with its time, label and length."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        versions = self.box.drafts.versions(caller, ref)
        return {
            "draft_id": ref,
            "versions": [version_view(v) for v in versions],
            "next": "restore_version makes one of them the current state again (as a new version)."
            if versions
            else "Nothing is saved yet: call save_draft.",
        }

    def validate_draft(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        version: Version = None,
        profile: Annotated[
            str | None, Field(description=schemas.PROFILE_HELP + " to check for; the default.")
        ] = None,
    ) -> Result:
        """Check a saved version's folder the way the editor will read it; each problem says
        where it is and how to fix it."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        body = validated(schemas.ValidateDraftBody, {"version": version, "profile": profile})
        record, report = self.box.drafts.validate_version(caller, ref, body.version, body.profile)
        return {
            "draft_id": ref,
            "version": record.version,
            **report.to_json(),
            "next": "The folder is ready for the editor."
            if report.valid
            else "Fix what the problems name, call save_draft, then validate again.",
        }

    def timeline(self, draft_id: str, ctx: ToolContext) -> str:
        """Every track of the draft, bottom first, with each segment's span (seconds) and
        media or text, and the save status."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        header, draft = self.box.drafts.load(caller, ref)
        return _json(timeline(self.box.draft_url(ref), header, draft))

    def versions(self, draft_id: str, ctx: ToolContext) -> str:
        """The draft's save status and its saved versions, oldest first."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        header = self.box.drafts.header(caller, ref)
        versions = self.box.drafts.versions(caller, ref)
        return _json(
            {
                "draft_id": ref,
                **save_status(header),
                "versions": [version_view(v) for v in versions],
            }
        )


def _info_next(header: DraftHeader, has_tracks: bool) -> str:
    if not has_tracks:
        return (
            "The draft is empty: add media with add_videos, add_images, add_audios or add_captions."
        )
    if header.unsaved_changes:
        return f"Call save_draft to publish version {header.saved_version + 1}."
    return (
        f"Everything is saved as version {header.saved_version}: gen_video renders it, and "
        "download_url holds the draft folder."
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_READS = ToolAnnotations(read_only_hint=True, open_world_hint=False)


def register(server: MCPServer[Any], toolbox: Toolbox) -> None:
    tools = ReadTools(toolbox)
    for tool in (
        tools.get_draft_info,
        tools.list_drafts,
        tools.list_versions,
        tools.validate_draft,
    ):
        server.add_tool(tool, annotations=_READS)
    server.resource(
        "draftsmith://drafts/{draft_id}/timeline",
        name="timeline",
        title="Draft timeline",
        mime_type="application/json",
    )(tools.timeline)
    server.resource(
        "draftsmith://drafts/{draft_id}/versions",
        name="versions",
        title="Draft versions",
        mime_type="application/json",
    )(tools.versions)
