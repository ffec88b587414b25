"""compose_video: a whole video described once, for agents that would rather not chain a
dozen edit calls."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from draftsmith.api.compose import Composed, compose, resume
from draftsmith.api.compose_schemas import ComposeSpec
from draftsmith.api.views import warning_views
from draftsmith.mcp_server.inputs import draft_id_of
from draftsmith.mcp_server.results import Result
from draftsmith.mcp_server.toolbox import IdempotencyKey, Toolbox, ToolContext

Spec = Annotated[
    ComposeSpec,
    Field(
        description="The whole draft: canvas or draft_url, tracks of items as the add_* tools "
        "take them, and save/render."
    ),
]


class ComposeTools:
    def __init__(self, toolbox: Toolbox) -> None:
        self.box = toolbox

    def compose_video(
        self, ctx: ToolContext, spec: Spec, idempotency_key: IdempotencyKey = None
    ) -> Result:
        """Build a whole video draft in ONE call: prefer this to create_draft plus add_* calls.

        `spec`: `width`/`height`/`name` for a new draft (or `draft_url`: an existing draft's
        id or URL, to append to), and `tracks`, bottom first. Each track is
        `{"type": "video"|"audio"|"image"|"caption"|"effect"|"filter"|"sticker", "items":
        [...]}` plus that type's per-track fields; the items are exactly the list items of the
        matching add_* tool (video: video_url, start, end in microseconds, volume,
        transition, mask; image: image_url, start, end, in_animation...; caption: text,
        start, end, keyword...; effect: effect_title; filter: filter_title, intensity;
        sticker: sticker_id, start, end, scale, image_url). Per-track fields: alpha, scale_x,
        scale_y, transform_x, transform_y for video/image/caption; text_color, font_size, font,
        alignment... for caption. Look names up first (search_effects and friends).

        Nothing is written unless the whole spec is valid: an error lists every problem
        with a JSON pointer (`/tracks/2/items/7/video_url`); fix them all and call again.
        `save: true` saves a version; `render: true` also queues the MP4 render (then poll
        gen_video_status). `warnings` list what was adjusted (e.g. a segment clamped to its
        media), each with its pointer. Items of video, image, audio, caption and sticker
        tracks may carry `keyframes` (add_keyframes' items without segment_id). Give an
        `idempotency_key` (a UUID) and send the same one if you retry: the draft is then made
        once, and a retry of a call cut short finishes its save and render."""
        caller = self.box.caller(ctx)
        ref = None if spec.draft_url is None else draft_id_of(spec.draft_url)
        notes, client = self.box.notes(ctx), self.box.client(ctx)

        def result(made: Composed) -> Result:
            answer: Result = {
                "draft_id": made.draft_id,
                "draft_url": self.box.draft_url(made.draft_id),
                "current_version": made.revision,
                "track_ids": list(made.track_ids),
                "warnings": warning_views(made.warnings),
            }
            if made.version is not None:
                answer["version"] = made.version
            if made.job is not None:
                answer["job_id"] = made.job.id
                answer["next"] = "Rendering: call gen_video_status until status is completed."
            return answer

        return self.box.once(
            ctx,
            idempotency_key or spec.idempotency_key,
            "compose_video",
            spec.model_dump(mode="json", exclude={"idempotency_key"}),
            lambda once: compose(
                self.box.drafts, caller, ref, spec, notes, client=client, once=once
            ),
            result,
            lambda stored, once: resume(self.box.drafts, caller, spec, stored, once, client=client),
        )


def register(server: MCPServer[Any], toolbox: Toolbox) -> None:
    tools = ComposeTools(toolbox)
    server.add_tool(
        tools.compose_video,
        annotations=ToolAnnotations(
            read_only_hint=False, destructive_hint=False, idempotent_hint=False
        ),
    )
