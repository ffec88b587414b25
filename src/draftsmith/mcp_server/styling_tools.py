"""The tools that style what is on the timeline: add_effects, add_filters, add_masks,
add_keyframes, add_sticker, and add_text_style (which touches no draft).

As in edit_tools.py, each one validates its input through the HTTP API's request schema and
makes the same service call as the HTTP route (web/verbs.py).
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import Field

from draftsmith.api import schemas, verbs
from draftsmith.api import utility_schemas as helpers
from draftsmith.mcp_server.inputs import (
    TIMES_HELP,
    DraftRef,
    EffectItem,
    FilterItem,
    KeyframeItem,
    Seconds,
    api_items,
    draft_id_of,
    span,
    validated,
)
from draftsmith.mcp_server.results import Result, edit_result, keyframe_result, mask_result
from draftsmith.mcp_server.toolbox import IdempotencyKey, Toolbox, ToolContext
from draftsmith.service import EditResult

Fraction = Annotated[float, Field(description="A fraction of the video, 0-1.")]


class StylingTools:
    def __init__(self, toolbox: Toolbox) -> None:
        self.box = toolbox

    def add_effects(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        effect_infos: Annotated[list[EffectItem], Field(description="The effects, in order.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Add scene or character effects (by name) over spans of the timeline; effects that
        overlap go on separate effect tracks."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        items = api_items("effect_infos", effect_infos)
        body = validated(schemas.AddEffectsBody, {"effect_infos": items})
        return self.box.apply_verb(
            ctx, caller, idempotency_key, verbs.add_effects, ref, body, edit_result
        )

    def add_filters(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        filter_infos: Annotated[list[FilterItem], Field(description="The filters, in order.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Add colour filters (by name, at an intensity) over spans of the timeline."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        items = api_items("filter_infos", filter_infos)
        body = validated(schemas.AddFiltersBody, {"filter_infos": items})
        return self.box.apply_verb(
            ctx, caller, idempotency_key, verbs.add_filters, ref, body, edit_result
        )

    def add_masks(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        segment_ids: Annotated[
            list[str],
            Field(description="Video or image segments to mask (segment_ids of add_videos)."),
        ],
        name: Annotated[str, Field(description="The shape: circle, rectangle, heart, 圆形...")],
        X: Annotated[float, Field(description="Centre, across the video: 0 left, 1 right.")],  # noqa: N803 - the API's name
        Y: Annotated[float, Field(description="Centre, down the video: 0 top, 1 bottom.")],  # noqa: N803 - the API's name
        width: Fraction,
        height: Fraction,
        feather: Annotated[float | None, Field(description="Soft edge, 0-1; default 0.")] = None,
        rotation: Annotated[float | None, Field(description="Degrees; default 0.")] = None,
        invert: Annotated[bool | None, Field(description="Show outside the shape.")] = None,
        roundCorner: Annotated[  # noqa: N803 - the API's name
            float | None, Field(description="Corner rounding of a rectangle, 0-1; default 0.")
        ] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Mask video or image segments with one shape each, placed in fractions of the video."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        fields = {
            "segment_ids": segment_ids,
            "name": name,
            "X": X,
            "Y": Y,
            "width": width,
            "height": height,
            "feather": feather,
            "rotation": rotation,
            "invert": invert,
            "roundCorner": roundCorner,
        }
        body = validated(schemas.AddMasksBody, fields)
        return self.box.apply_verb(
            ctx, caller, idempotency_key, verbs.add_masks, ref, body, mask_result
        )

    def add_keyframes(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        keyframes: Annotated[list[KeyframeItem], Field(description="The keyframes to set.")],
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Animate video or image segments: each keyframe sets a property (opacity, scale,
        position, rotation, volume) at a time from the segment's start; the editor
        interpolates between them. Time: time_seconds, or time in microseconds."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        items = api_items("keyframes", keyframes)
        body = validated(schemas.AddKeyframesBody, {"keyframes": items})
        return self.box.apply_verb(
            ctx, caller, idempotency_key, verbs.add_keyframes, ref, body, keyframe_result
        )

    def add_sticker(
        self,
        ctx: ToolContext,
        draft_id: DraftRef,
        sticker_id: Annotated[str, Field(description="The editor's sticker id (digits).")],
        start_seconds: Annotated[
            Seconds | None, Field(description="Where it starts on the timeline, in seconds.")
        ] = None,
        end_seconds: Annotated[
            Seconds | None, Field(description="Where it ends on the timeline, in seconds.")
        ] = None,
        start: Annotated[
            int | None, Field(description="Where it starts, in microseconds; instead.")
        ] = None,
        end: Annotated[int | None, Field(description="Where it ends, in microseconds.")] = None,
        scale: Annotated[float | None, Field(description="1 (the default) = its own size.")] = None,
        transform_x: Annotated[
            float | None, Field(description="Pixels right of the canvas centre; default 0.")
        ] = None,
        transform_y: Annotated[
            float | None, Field(description="Pixels below the canvas centre; default 0.")
        ] = None,
        image_url: Annotated[
            str | None,
            Field(
                description="A picture of the sticker (PNG, WebP, GIF, JPEG) for gen_video to "
                "draw; fetched now. Without it (or if it cannot be fetched) renders leave the "
                "sticker out."
            ),
        ] = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Result:
        """Put a sticker of the editor's library on a new sticker track. The editor fetches it
        by sticker_id when it opens the draft; a render with gen_video draws the picture at
        image_url if one is given, and otherwise leaves the sticker out."""
        caller = self.box.caller(ctx)
        ref = draft_id_of(draft_id)
        fields = {
            "sticker_id": sticker_id,
            **span("sticker", start_seconds, end_seconds, start, end),
            "scale": scale,
            "transform_x": transform_x,
            "transform_y": transform_y,
            "image_url": image_url,
        }
        body = validated(schemas.AddStickerBody, fields)

        def stuck(draft_url: str, result: EditResult) -> Result:
            return {"sticker_id": body.sticker_id, **edit_result(draft_url, result)}

        return self.box.apply_verb(
            ctx, caller, idempotency_key, verbs.add_sticker, ref, body, stuck
        )

    def add_text_style(
        self,
        text: Annotated[str, Field(description="The whole text.")],
        keyword: Annotated[str, Field(description='Words to highlight: "hello|world".')],
        font_size: Annotated[float | None, Field(description="Size of the text; 12.")] = None,
        keyword_color: Annotated[
            str | None, Field(description="Colour of the keywords, #rrggbb; #ff7100.")
        ] = None,
        keyword_font_size: Annotated[
            float | None, Field(description="Size of the keywords; 15.")
        ] = None,
    ) -> Result:
        """The rich-text style (capcut-mate's text_style JSON) of a text with its keywords
        highlighted. Touches no draft; add_captions highlights keywords by itself."""
        fields = {
            "text": text,
            "keyword": keyword,
            "font_size": font_size,
            "keyword_color": keyword_color,
            "keyword_font_size": keyword_font_size,
        }
        styled = verbs.add_text_style(validated(helpers.AddTextStyleBody, fields))
        return {"text_style": styled.text_style, "keywords": list(styled.keywords)}


_CHANGES = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
_PURE = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)


def register(server: MCPServer[Any], toolbox: Toolbox) -> None:
    tools = StylingTools(toolbox)
    for timed in (tools.add_effects, tools.add_filters):
        description = f"{inspect.getdoc(timed)} {TIMES_HELP}"
        server.add_tool(timed, description=description, annotations=_CHANGES)
    server.add_tool(tools.add_masks, annotations=_CHANGES)
    server.add_tool(tools.add_keyframes, annotations=_CHANGES)
    server.add_tool(
        tools.add_sticker,
        description=f"{inspect.getdoc(tools.add_sticker)} {TIMES_HELP}",
        annotations=_CHANGES,
    )
    server.add_tool(tools.add_text_style, annotations=_PURE)
