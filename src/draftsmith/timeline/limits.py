"""The bounds a draft's values keep, each written once: the edits check them, and the request
models of every front end (draftsmith.api, the MCP tools, the CLI) declare them."""

from __future__ import annotations

MAX_TIME_US = 24 * 3600 * 1_000_000
"""Nothing on a timeline may start or end later than a day."""

MAX_CANVAS_SIDE = 16384
"""The widest and tallest canvas, in pixels."""

MAX_VOLUME = 10.0
"""The loudest a segment plays (1.0 = as recorded): the editor's volume slider tops out here."""

MIN_SPEED = 0.1
MAX_SPEED = 100.0
"""The speeds the editor's speed panel offers."""

DEFAULT_TRANSITION_US = 500_000
MIN_TRANSITION_US = 100_000
MAX_TRANSITION_US = 2_500_000
"""capcut-mate's documented transition_duration default and bounds (add_videos, add_images)."""

MAX_FONT_SIZE = 500
"""The largest font size a caption may ask for."""

MAX_OFFSET_PX = 100_000
"""How far from the canvas centre anything may be placed, and how large a mask may be, in
canvas pixels: far beyond any canvas, small enough to keep the editor's arithmetic sane."""
