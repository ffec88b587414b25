"""Where media files live inside a draft folder, and how the timeline refers to them."""

from __future__ import annotations

from draftsmith.timeline.model import Media, MediaKind

DRAFT_PATH_PLACEHOLDER = "##_draftpath_placeholder_0E685133-18CE-45ED-8CB8-2904A212EC80_##"
"""The editor's own stand-in for "this draft's folder": paths using it survive moving the folder."""

_FOLDERS = {MediaKind.VIDEO: "videos", MediaKind.IMAGE: "images", MediaKind.AUDIO: "audios"}


def media_relpath(media: Media) -> str:
    """The path of `media` inside the draft folder, e.g. "assets/videos/<sha256>.mp4"."""
    return f"assets/{_FOLDERS[media.kind]}/{media.file_name}"


def material_path(media: Media) -> str:
    """The path of `media` as written into the draft files (draft-relative, placeholder form).

    Media an imported draft named but did not bring keep the path it named: the editor shows
    them as missing, ready to relink, and finds them on the machine that has them."""
    if media.missing_path is not None:
        return media.missing_path
    return f"{DRAFT_PATH_PLACEHOLDER}/{media_relpath(media)}"
