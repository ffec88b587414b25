"""The `Timelines/` folder of current editors: a project file naming the main timeline, and
that timeline's own copy of `draft_info.json`.

CapCut 9.2.8 (macOS) reads `Timelines/<main_timeline_id>/draft_info.json` and ignores the root
file; CapCut 8.4 and 8.5 build the folder from the root file when it is missing, naming the
timeline after the draft's `id` and writing a byte-identical copy (renezander030/capcut-cli#50,
#60); a pristine CapCut 8.9.1 project has the same identical copy (minminthaw/capcut-mcp). The
project file's fields are the ones tools copy from app-made projects (`config`, `timelines`
entries with `is_marked_delete`, times in microseconds).
"""

from __future__ import annotations

from typing import Any

from draftsmith.capcut.ids import derived_uuid
from draftsmith.capcut.profiles import INFO_FILE

Json = dict[str, Any]


def nested_info_path(timeline_id: str) -> str:
    """Where the main timeline's copy of draft_info.json lives in the folder."""
    return f"Timelines/{timeline_id}/{INFO_FILE}"


def project_json(content: Json, *, created_at_us: int, saved_at_us: int) -> Json:
    """`Timelines/project.json` for a folder whose one timeline is `content`."""
    timeline_id = content["id"]
    return {
        "config": {
            "color_space": content["color_space"],
            "render_index_track_mode_on": content["render_index_track_mode_on"],
            "use_float_render": False,
        },
        "create_time": created_at_us,
        "id": derived_uuid("timelines-project", timeline_id),
        "main_timeline_id": timeline_id,
        "timelines": [
            {
                "create_time": created_at_us,
                "id": timeline_id,
                "is_marked_delete": False,
                "name": "",
                "update_time": saved_at_us,
            }
        ],
        "update_time": saved_at_us,
        "version": 0,
    }
