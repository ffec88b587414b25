"""easy_create_material: an audio file and, optionally, a video, an image and a text in one call.

Each material goes on a new track of its own, built by the same service calls as add_audios,
add_videos, add_images and add_captions build theirs, so the draft ends up exactly as after
those calls. The tracks are stacked in one write, all or nothing, which also stores the
request's idempotency key: every file is fetched and checked first, so a bad URL leaves the
draft untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

from draftsmith.errors import InvalidInput
from draftsmith.security.caller import Caller
from draftsmith.service import CaptionRequest, Drafts, MediaRequest
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.records import DraftHeader
from draftsmith.timeline.adjustments import Adjustments
from draftsmith.timeline.model import Clip, Media, MediaKind, TextStyle, Track

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
    drafts: Drafts,
    caller: Caller,
    draft_id: str,
    material: EasyMaterial,
    once: Idempotency[DraftHeader] | None = None,
) -> DraftHeader:
    """Add the materials, audio first, in one write; the header after it."""
    drafts.header(caller, draft_id)
    audio_url = given(material.audio_url)
    if audio_url is None:
        raise InvalidInput("audio_url is required")
    video_url, image_url, text = given(material.video_url), given(material.img_url), material.text
    audio = drafts.fetch_media("audio_url", audio_url, MediaKind.AUDIO)
    video = drafts.fetch_media("video_url", video_url, MediaKind.VIDEO) if video_url else None
    image = drafts.fetch_media("img_url", image_url, MediaKind.IMAGE) if image_url else None
    notes = Adjustments()

    def track(
        field: str, url: str, kind: MediaKind, media: Media, end: int, clip: Clip | None
    ) -> Track:
        item = MediaRequest(field, url, 0, end)
        return drafts.media_track(field, kind, [item], clip, notes, {url: media})

    tracks: list[Track] = [
        track("audio_url", audio_url, MediaKind.AUDIO, audio, _duration("audio_url", audio), None)
    ]
    if video_url and video:
        end = min(VIDEO_US, _duration("video_url", video))
        tracks.append(track("video_url", video_url, MediaKind.VIDEO, video, end, Clip()))
    if image_url and image:
        tracks.append(track("img_url", image_url, MediaKind.IMAGE, image, IMAGE_US, Clip()))
    if text and text.strip():
        style = TextStyle(font_size=float(material.font_size), color=material.text_color)
        caption = CaptionRequest(text, 0, TEXT_US, style)
        clip = Clip(transform_y=material.text_transform_y)
        tracks.append(drafts.caption_track("text", [caption], clip, notes))
    return drafts.stack_tracks(caller, draft_id, tracks, once=once)
