"""fill_template: a new draft from a template draft, its texts and media replaced in one call."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from draftsmith.api.template_schemas import (
    FillTemplateBody,
    MediaFillInfo,
    TextFillInfo,
    template_request,
)
from draftsmith.api.views import warning_views
from draftsmith.mcp_server.inputs import DraftRef, draft_id_of, validated
from draftsmith.mcp_server.results import Result
from draftsmith.mcp_server.toolbox import IdempotencyKey, Toolbox, ToolContext
from draftsmith.service.templates import TemplateResult

Texts = Annotated[
    list[TextFillInfo] | None,
    Field(
        description='Captions to change, applied in order: {"placeholder": "{{title}}", "text": '
        '"Summer sale"} replaces that text inside every caption; {"segment_id": ..., "text": '
        '...} or {"material_id": ..., "text": ...} sets a caption\'s whole text.'
    ),
]
Media = Annotated[
    list[MediaFillInfo] | None,
    Field(
        description='Files to play instead: {"name": "placeholder.mp4", "url": "https://..."} '
        '(the file name the draft shows) or {"material_id": ..., "url": ...}.'
    ),
]


class TemplateTools:
    def __init__(self, toolbox: Toolbox) -> None:
        self.box = toolbox

    def fill_template(
        self,
        ctx: ToolContext,
        template: DraftRef,
        texts: Texts = None,
        media: Media = None,
        version: Annotated[
            int | None,
            Field(description="A saved version of the template; default: as it is now."),
        ] = None,
        name: Annotated[
            str | None, Field(description="The new draft's name; default: the template's.")
        ] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Make a NEW draft from a template draft with its caption texts and media replaced, in
        ONE call; the template itself is not changed. Use it when a draft was made once (by
        hand, imported, or built with these tools) and only its words and clips change.

        Find what to replace first: read the template's timeline resource
        (draftsmith://drafts/{id}/timeline) for its caption texts, segment ids and media file
        names. Then give `texts` (by placeholder such as {{title}}, which keeps the caption's
        styles around the new words, or by segment_id for a caption's whole text) and `media`
        (by the file `name`, with a URL). Each video or audio
        keeps its place and length: a longer file is trimmed, a shorter one shortens the
        segment (a clamped_to_media warning). An id, placeholder or name that matches
        nothing is a template_target_not_found warning and `count` 0. Nothing is written
        unless every fill works: an error lists every problem with its pointer (/texts/1,
        /media/0/url); fix them all and call again. Then save_draft the new draft."""
        caller = self.box.caller(ctx)
        template_id = draft_id_of(template)
        body = validated(
            FillTemplateBody,
            {
                "draft_url": self.box.draft_url(template_id),
                "texts": None if texts is None else [t.model_dump() for t in texts],
                "media": None if media is None else [m.model_dump() for m in media],
                "version": version,
                "name": name,
            },
        )
        notes = self.box.notes(ctx)
        return self.box.once(
            ctx,
            idempotency_key,
            "fill_template",
            body.model_dump(mode="json", exclude={"idempotency_key"}),
            lambda once: self.box.drafts.fill_template(
                caller, template_request(template_id, body), notes, once=once
            ),
            self._filled,
        )

    def _filled(self, made: TemplateResult) -> Result:
        result: Result = {
            "draft_id": made.header.id,
            "draft_url": self.box.draft_url(made.header.id),
            "current_version": made.header.revision,
            "template_id": made.template_id,
            "replacements": [
                {"pointer": r.pointer, "by": str(r.by), "target": r.key, "count": r.count}
                for r in made.replacements
            ],
            "warnings": warning_views(made.warnings),
            "next": "save_draft publishes the new draft; the template is unchanged.",
        }
        return result


def register(server: MCPServer[Any], toolbox: Toolbox) -> None:
    tools = TemplateTools(toolbox)
    server.add_tool(
        tools.fill_template,
        annotations=ToolAnnotations(
            read_only_hint=False, destructive_hint=False, idempotent_hint=False
        ),
    )
