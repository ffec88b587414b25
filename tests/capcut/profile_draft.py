"""The draft the per-profile tests and golden folders are made from: every kind of segment, a
speed change, a styled caption and text whose UTF-16 length differs from its length."""

from __future__ import annotations

from pathlib import Path

from draftsmith.capcut.encode import encode_folder
from draftsmith.capcut.profiles import Profile
from draftsmith.timeline.model import Canvas, Clip, Draft, Shadow, TextStyle, Timerange
from support import drafts
from support.drafts import CREATED_AT_US, SAVED_AT_US, Ids, S, layered_tracks

__all__ = ["CAPTIONS", "CREATED_AT_US", "DRAFT_ID", "NAME", "SAVED_AT_US", "S"]

DRAFT_ID = "20261124120000" + "fedcba9876543210"
NAME = "profiles 剪映 🎬"
CAPTIONS = ["Hello", "你好🎬\nsecond line"]
IDS = Ids(prefix="profiles/")


def make_draft() -> Draft:
    """Video (second segment at 2x), a photo above it, audio, and two captions; 5 s long."""
    styled = TextStyle(
        font_size=12.0,
        color="#ff8000",
        bold=True,
        alignment=4,
        border_color="#000000",
        shadow=Shadow(color="#102030", alpha=0.9, distance=8.0, angle=-45.0),
        letter_spacing=2.0,
    )
    captions = (
        IDS.text("c1", CAPTIONS[0], Timerange(0, 1 * S)),
        IDS.text(
            "c2",
            CAPTIONS[1],
            Timerange(1 * S, 2 * S),
            style=styled,
            clip=Clip(alpha=0.8, transform_y=432.0),
        ),
    )
    tracks = layered_tracks(IDS, captions)
    return Draft(DRAFT_ID, NAME, Canvas(1920, 1080, 30), CREATED_AT_US, tracks)


def encode(profile: Profile, draft: Draft | None = None) -> dict[str, bytes]:
    return encode_folder(draft or make_draft(), saved_at_us=SAVED_AT_US, profile=profile)


def write_folder(root: Path, profile: Profile) -> Path:
    """The draft's folder for `profile` at `root/<draft name>`, media included."""
    draft = make_draft()
    return drafts.write_folder(root / draft.name, draft, profile=profile)
