"""easy_create_material: an audio file and, optionally, a video, an image and a text in one call.

Each material goes on a new track of its own through the same service calls as add_audios,
add_videos, add_images and add_captions, so the draft ends up exactly as after those calls
(one revision per material). Every file is fetched and checked before the first edit, so a bad
URL leaves the draft untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

from draftsmith.errors import InvalidInput
from draftsmith.security.caller import Caller
from draftsmith.service import CaptionRequest, Drafts, EditResult, MediaRequest
from draftsmith.store.records import DraftHeader
from draftsmith.timeline.model import Clip, Media, MediaKind, TextStyle

VIDEO_US = 5_000_000
"""capcut-mate shows the video for 5 s (less if the video is shorter)."""
IMAGE_US = 3_000_000
TEXT_US = 5_000_000


@dataclass(frozen=True)
class EasyMaterial:
    audio_url: str
    text: str | None = None
    img_url: str | None = None
    video_url: str | None = None
    text_color: str = "#ffffff"
    font_size: int = 15
    text_transform_y: float = 0.0


def given(value: str | None) -> str | None:
    """`value` unless it is missing, blank or the string "null" (what Coze sends for none)."""
    if value is None or not value.strip() or value.strip().lower() == "null":
        return None
    return value.strip()


def _duration(field: str, media: Media) -> int:
    if not media.duration_us:
        raise InvalidInput(f"{field}: the file's duration cannot be read")
    return media.duration_us


def easy_create_material(
    drafts: Drafts, caller: Caller, draft_id: str, material: EasyMaterial
) -> DraftHeader:
    """Add the materials, audio first; the header after the last edit."""
    drafts.header(caller, draft_id)
    audio_url = given(material.audio_url)
    if audio_url is None:
        raise InvalidInput("audio_url is required")
    video_url, image_url, text = given(material.video_url), given(material.img_url), material.text
    audio = drafts.fetch_media("audio_url", audio_url, MediaKind.AUDIO)
    video = drafts.fetch_media("video_url", video_url, MediaKind.VIDEO) if video_url else None
    if image_url:
        drafts.fetch_media("img_url", image_url, MediaKind.IMAGE)

    def place(field: str, url: str, kind: MediaKind, end: int, clip: Clip | None) -> EditResult:
        item = MediaRequest(field, url, 0, end)
        return drafts.add_media(caller, draft_id, field, kind, [item], clip)

    result = place("audio_url", audio_url, MediaKind.AUDIO, _duration("audio_url", audio), None)
    if video_url and video:
        end = min(VIDEO_US, _duration("video_url", video))
        result = place("video_url", video_url, MediaKind.VIDEO, end, Clip())
    if image_url:
        result = place("img_url", image_url, MediaKind.IMAGE, IMAGE_US, Clip())
    if text and text.strip():
        style = TextStyle(font_size=float(material.font_size), color=material.text_color)
        caption = CaptionRequest(text, 0, TEXT_US, style)
        clip = Clip(transform_y=material.text_transform_y)
        result = drafts.add_captions(caller, draft_id, "text", [caption], clip)
    return result.header
