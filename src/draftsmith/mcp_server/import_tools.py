"""import_draft (a draft folder's zip, by URL) and relink_media."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from draftsmith.api.views import warning_views
from draftsmith.mcp_server.inputs import DraftRef, draft_id_of
from draftsmith.mcp_server.results import Result
from draftsmith.mcp_server.toolbox import IdempotencyKey, Toolbox, ToolContext
from draftsmith.service.importing import ImportResult, RelinkResult


class ImportTools:
    def __init__(self, toolbox: Toolbox) -> None:
        self.box = toolbox

    def import_draft(
        self,
        ctx: ToolContext,
        zip_url: Annotated[
            str, Field(description="http(s) URL of a zip of a CapCut/Jianying draft folder.")
        ],
        profile: Annotated[
            str | None,
            Field(description="Editor profile to write it for; default: the folder's own kind."),
        ] = None,
        name: Annotated[str | None, Field(description="Default: the draft's own name.")] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Import a draft folder made by CapCut, Jianying 5.9 or older, capcut-mate,
        pyJianYingDraft or draftsmith (zipped, at `zip_url`) as a NEW draft that every tool
        can then edit, save and export. Nothing of it is lost: what draftsmith does not model
        is kept and written back. Drafts encrypted by Jianying 6+ are refused (422). Media
        the draft names but did not bring are listed in `missing_media`: attach each with
        relink_media."""
        caller = self.box.caller(ctx)

        def imported(made: ImportResult) -> Result:
            return {
                "draft_id": made.header.id,
                "draft_url": self.box.draft_url(made.header.id),
                "profile": made.header.profile,
                "track_count": made.track_count,
                "segment_count": made.header.segment_count,
                "missing_media": list(made.missing),
                "warnings": list(made.warnings),
                "next": "get the timeline resource to see its segments; save_draft publishes it.",
            }

        return self.box.once(
            ctx,
            idempotency_key,
            "import_draft",
            {"zip_url": zip_url, "profile": profile, "name": name},
            lambda once: self.box.drafts.import_draft_url(
                caller, zip_url, profile=profile, name=name, once=once
            ),
            imported,
        )

    def relink_media(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        material: Annotated[
            str, Field(description="The material id, or the file name the draft gave it.")
        ],
        url: Annotated[str, Field(description="http(s) URL of the file to attach.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Attach a file to an imported draft's material whose file did not come with it
        (import_draft's `missing_media`); its segments keep their place and timing."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)

        def relinked(made: RelinkResult) -> Result:
            return {
                "draft_url": self.box.draft_url(ref),
                "segment_ids": list(made.segment_ids),
                "current_version": made.header.revision,
                "warnings": warning_views(made.warnings),
            }

        return self.box.once(
            ctx,
            idempotency_key,
            "relink_media",
            {"draft_id": ref, "material": material, "url": url},
            lambda once: self.box.drafts.relink_media(caller, ref, material, url, once),
            relinked,
        )


def register(server: MCPServer[Any], toolbox: Toolbox) -> None:
    tools = ImportTools(toolbox)
    writes = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False)
    server.add_tool(tools.import_draft, annotations=writes)
    server.add_tool(tools.relink_media, annotations=writes)
