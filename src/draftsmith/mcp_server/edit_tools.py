"""The tools that change drafts: create_draft, the add_* verbs, save_draft, restore_version.

Each one validates its input through the HTTP API's request schema, makes the same service call
as the HTTP route and answers with a short result (see results.py).
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from draftsmith.api import schemas, verbs
from draftsmith.mcp_server.inputs import (
    TIMES_HELP,
    AudioItem,
    CaptionItem,
    DraftRef,
    ImageItem,
    SceneItem,
    VideoItem,
    api_items,
    draft_id_of,
    validated,
)
from draftsmith.mcp_server.results import Result, edit_result, save_result
from draftsmith.mcp_server.toolbox import IdempotencyKey, Toolbox, ToolContext
from draftsmith.store.records import SaveOutcome
from draftsmith.timeline.limits import MAX_CANVAS_SIDE

Alpha = Annotated[float | None, Field(description="Opacity of the new segments, 0-1; default 1.")]
ScaleX = Annotated[
    float | None, Field(description="Horizontal scale; 1 (the default) fits the canvas.")
]
ScaleY = Annotated[float | None, Field(description="Vertical scale; 1 (the default) fits it.")]
TransformX = Annotated[
    float | None,
    Field(description="Horizontal offset from the canvas centre, in pixels; default 0."),
]
TransformY = Annotated[
    float | None,
    Field(description="Vertical offset from the canvas centre, in pixels (down); default 0."),
]
TextColor = Annotated[str | None, Field(description="Text colour as #rrggbb; white.")]
BorderColor = Annotated[str | None, Field(description="Outline colour as #rrggbb; none.")]


def _placement(
    alpha: float | None,
    scale_x: float | None,
    scale_y: float | None,
    transform_x: float | None,
    transform_y: float | None,
) -> dict[str, float | None]:
    return {
        "alpha": alpha,
        "scale_x": scale_x,
        "scale_y": scale_y,
        "transform_x": transform_x,
        "transform_y": transform_y,
    }


class EditTools:
    def __init__(self, toolbox: Toolbox) -> None:
        self.box = toolbox

    def create_draft(
        self,
        ctx: ToolContext,
        width: Annotated[
            int | None,
            Field(description=f"Canvas width in pixels, 1-{MAX_CANVAS_SIDE}; default 1920."),
        ] = None,
        height: Annotated[
            int | None,
            Field(description=f"Canvas height in pixels, 1-{MAX_CANVAS_SIDE}; default 1080."),
        ] = None,
        name: Annotated[str | None, Field(description="A name to find it by later.")] = None,
        profile: Annotated[
            str | None, Field(description=schemas.PROFILE_HELP + " to write saves for.")
        ] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Create a new, empty draft (1920x1080 unless told otherwise) and return its
        draft_id, which every other tool takes."""
        caller = self.box.caller(ctx)
        body = validated(
            schemas.CreateDraftBody,
            {"width": width, "height": height, "name": name, "profile": profile},
        )
        return self.box.once(
            ctx,
            idempotency_key,
            "create_draft",
            body.model_dump(mode="json"),
            lambda once: self.box.drafts.create(
                caller, body.width, body.height, body.name, body.profile, once=once
            ),
            lambda header: {
                "draft_id": header.id,
                "draft_url": self.box.draft_url(header.id),
                "width": header.canvas.width,
                "height": header.canvas.height,
                "profile": header.profile,
                "next": "Add media with add_videos, add_images, add_audios and add_captions, "
                "then call save_draft.",
            },
        )

    def add_videos(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        video_infos: Annotated[list[VideoItem], Field(description="The videos, in order.")],
        scene_timelines: Annotated[
            list[SceneItem] | None,
            Field(
                description="Speed changes: one span per video, in the order of video_infos "
                "(the first N videos). Each video then sits on the timeline there instead, "
                "playing its start-end stretch sped up or slowed down to fit (speed = video "
                "length / scene length)."
            ),
        ] = None,
        alpha: Alpha = None,
        scale_x: ScaleX = None,
        scale_y: ScaleY = None,
        transform_x: TransformX = None,
        transform_y: TransformY = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Add videos to a draft, on one new video track above the existing ones. Each plays
        from its own beginning for as long as its span on the timeline lasts, unless
        scene_timelines gives it another span and speed."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        fields = _placement(alpha, scale_x, scale_y, transform_x, transform_y)
        items = api_items("video_infos", video_infos)
        scenes = None if scene_timelines is None else api_items("scene_timelines", scene_timelines)
        body = validated(
            schemas.AddVideosBody, {"video_infos": items, "scene_timelines": scenes, **fields}
        )
        return self.box.apply_verb(
            ctx, caller, idempotency_key, verbs.add_videos, ref, body, edit_result
        )

    def add_images(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        image_infos: Annotated[list[ImageItem], Field(description="The images, in order.")],
        alpha: Alpha = None,
        scale_x: ScaleX = None,
        scale_y: ScaleY = None,
        transform_x: TransformX = None,
        transform_y: TransformY = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Add still images to a draft, on one new video track above the existing ones; each
        shows for its span on the timeline."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        fields = _placement(alpha, scale_x, scale_y, transform_x, transform_y)
        items = api_items("image_infos", image_infos)
        body = validated(schemas.AddImagesBody, {"image_infos": items, **fields})
        return self.box.apply_verb(
            ctx, caller, idempotency_key, verbs.add_images, ref, body, edit_result
        )

    def add_audios(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        audio_infos: Annotated[list[AudioItem], Field(description="The audio clips, in order.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Add audio (music, voice-over) to a draft, on one new audio track."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        items = api_items("audio_infos", audio_infos)
        body = validated(schemas.AddAudiosBody, {"audio_infos": items})
        return self.box.apply_verb(
            ctx, caller, idempotency_key, verbs.add_audios, ref, body, edit_result
        )

    def add_captions(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        captions: Annotated[list[CaptionItem], Field(description="The captions, in order.")],
        font_size: Annotated[int | None, Field(description="Text size, 1-500; default 15.")] = None,
        text_color: TextColor = None,
        border_color: BorderColor = None,
        bold: Annotated[bool | None, Field(description="Bold text; default no.")] = None,
        italic: Annotated[bool | None, Field(description="Italic text; default no.")] = None,
        underline: Annotated[bool | None, Field(description="Underlined; default no.")] = None,
        alignment: Annotated[
            int | None, Field(description="0 left, 1 centre (the default), 2 right.")
        ] = None,
        has_shadow: Annotated[bool | None, Field(description="Draw a soft shadow.")] = None,
        font: Annotated[
            str | None,
            Field(description="A catalogue font name (得意黑, 思源中宋...); the editor's default."),
        ] = None,
        text_effect: Annotated[
            str | None,
            Field(
                description="A text effect (花字): its numeric effect id, or its title in the "
                "server's text effect catalogue. It brings its own look: text_color, "
                "border_color and has_shadow are then reset to white, none and no."
            ),
        ] = None,
        transform_x: TransformX = None,
        transform_y: TransformY = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Add captions (text on screen) to a draft, on one new text track, all in one style;
        white and centred unless told otherwise."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        style = {
            "font_size": font_size,
            "text_color": text_color,
            "border_color": border_color,
            "bold": bold,
            "italic": italic,
            "underline": underline,
            "alignment": alignment,
            "has_shadow": has_shadow,
            "font": font,
            "text_effect": text_effect,
            "transform_x": transform_x,
            "transform_y": transform_y,
        }
        items = api_items("captions", captions)
        body = validated(schemas.AddCaptionsBody, {"captions": items, **style})
        return self.box.apply_verb(
            ctx, caller, idempotency_key, verbs.add_captions, ref, body, edit_result
        )

    def save_draft(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        label: Annotated[str | None, Field(description="A note kept with the version.")] = None,
        expected_version: Annotated[
            int | None,
            Field(description="The current_version you last saw; refused if it moved on."),
        ] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Publish the draft's current state as its next numbered version and return a
        download_url for the draft folder. Saving an unchanged draft makes no new version."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        body = validated(
            schemas.SaveDraftBody, {"label": label, "expected_version": expected_version}
        )
        return self.box.once(
            ctx,
            idempotency_key,
            "save_draft",
            {"draft_id": ref, **body.model_dump(mode="json")},
            lambda once: self.box.drafts.save(
                caller,
                ref,
                client=self.box.client(ctx),
                expected_revision=body.expected_version,
                label=body.label,
                once=once,
            ),
            lambda outcome: save_result(
                self.box.draft_url(ref), outcome, self.box.download_url(outcome.version)
            ),
        )

    def restore_version(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        version: Annotated[int, Field(description="The saved version to go back to.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Make an earlier saved version the draft's current state, published as a new
        version (history is never rewritten)."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        body = validated(schemas.RestoreVersionBody, {"version": version})

        def restored(outcome: SaveOutcome) -> Result:
            new = outcome.version.version
            return {
                "draft_id": ref,
                "draft_url": self.box.draft_url(ref),
                "version": new,
                "restored_from": body.version,
                "download_url": self.box.download_url(outcome.version),
                "next": f"Version {new} now holds the state of version {body.version}; keep "
                "editing, or call gen_video to render it.",
            }

        return self.box.once(
            ctx,
            idempotency_key,
            "restore_version",
            {"draft_id": ref, **body.model_dump(mode="json")},
            lambda once: self.box.drafts.restore(
                caller, ref, body.version, client=self.box.client(ctx), once=once
            ),
            restored,
        )


_CHANGES = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
_FETCHES = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=True)
# Restoring keeps every saved version but replaces the current state, unsaved edits included.
_REPLACES = ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=False)


def register(server: MCPServer[Any], toolbox: Toolbox) -> None:
    tools = EditTools(toolbox)
    server.add_tool(tools.create_draft, annotations=_CHANGES)
    for tool in (tools.add_videos, tools.add_images, tools.add_audios, tools.add_captions):
        # Media and timing are what agents get wrong: say how, in every description.
        description = f"{inspect.getdoc(tool)} {TIMES_HELP}"
        server.add_tool(tool, description=description, annotations=_FETCHES)
    server.add_tool(tools.save_draft, annotations=_CHANGES)
    server.add_tool(tools.restore_version, annotations=_REPLACES)
