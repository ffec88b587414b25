"""Typed results of the client's methods: frozen dataclasses read from the server's JSON.

Times on the timeline are integers in microseconds, as on the wire; wall-clock timestamps are
timezone-aware `datetime`s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from draftsmith.client._fields import Fields


@dataclass(frozen=True)
class CreatedDraft:
    """A new, empty draft."""

    draft_url: str
    draft_id: str
    tip_url: str | None

    @classmethod
    def read(cls, f: Fields) -> CreatedDraft:
        url = f.text("draft_url")
        return cls(url, f.opt_text("draft_id") or draft_id_of(url), f.opt_text("tip_url"))


@dataclass(frozen=True)
class SegmentSpan:
    """Where one added segment sits on the timeline."""

    id: str
    start: int
    end: int


@dataclass(frozen=True)
class EditResult:
    """The track an `add_*` call created. `current_version` is the draft's new revision."""

    draft_url: str
    track_id: str
    material_ids: tuple[str, ...]
    segment_ids: tuple[str, ...]
    segments: tuple[SegmentSpan, ...]
    current_version: int
    warnings: tuple[ServerWarning, ...] = ()
    """What the server adjusted instead of refusing (a segment clamped to its media, an
    unknown name skipped, ...); empty when nothing. `Client(strict=True)` refuses instead."""

    @classmethod
    def read(cls, f: Fields, ids_name: str) -> EditResult:
        spans = tuple(
            SegmentSpan(s.text("id"), s.integer("start"), s.integer("end"))
            for s in f.objects("segment_infos")
        )
        return cls(
            draft_url=f.text("draft_url"),
            track_id=f.text("track_id"),
            material_ids=f.texts(ids_name),
            segment_ids=f.texts("segment_ids"),
            segments=spans,
            current_version=f.integer("current_version"),
            warnings=warnings_of(f),
        )


@dataclass(frozen=True)
class StickerResult:
    """The sticker track an add_sticker call created, with its one segment."""

    draft_url: str
    sticker_id: str
    track_id: str
    segment_id: str
    duration: int
    current_version: int
    warnings: tuple[ServerWarning, ...] = ()

    @classmethod
    def read(cls, f: Fields) -> StickerResult:
        return cls(
            draft_url=f.text("draft_url"),
            sticker_id=f.text("sticker_id"),
            track_id=f.text("track_id"),
            segment_id=f.text("segment_id"),
            duration=f.integer("duration"),
            current_version=f.integer("current_version"),
            warnings=warnings_of(f),
        )


@dataclass(frozen=True)
class MaskResult:
    """The masks an add_masks call put on the named segments, one per segment."""

    draft_url: str
    masks_added: int
    affected_segments: tuple[str, ...]
    mask_ids: tuple[str, ...]
    current_version: int
    warnings: tuple[ServerWarning, ...] = ()

    @classmethod
    def read(cls, f: Fields) -> MaskResult:
        return cls(
            draft_url=f.text("draft_url"),
            masks_added=f.integer("masks_added"),
            affected_segments=f.texts("affected_segments"),
            mask_ids=f.texts("mask_ids"),
            current_version=f.integer("current_version"),
            warnings=warnings_of(f),
        )


@dataclass(frozen=True)
class KeyframeResult:
    """How many keyframes an add_keyframes call set, and on which segments."""

    draft_url: str
    keyframes_added: int
    affected_segments: tuple[str, ...]
    current_version: int
    warnings: tuple[ServerWarning, ...] = ()

    @classmethod
    def read(cls, f: Fields) -> KeyframeResult:
        return cls(
            draft_url=f.text("draft_url"),
            keyframes_added=f.integer("keyframes_added"),
            affected_segments=f.texts("affected_segments"),
            current_version=f.integer("current_version"),
            warnings=warnings_of(f),
        )


@dataclass(frozen=True)
class SaveResult:
    """A published version. `created` is False when the draft was already saved as is."""

    draft_url: str
    version: int
    current_version: int
    created: bool

    @classmethod
    def read(cls, f: Fields) -> SaveResult:
        return cls(
            f.text("draft_url"),
            f.integer("version"),
            f.integer("current_version"),
            f.flag("created"),
        )


@dataclass(frozen=True)
class DraftFiles:
    """Download URLs of every file of one saved version's draft folder."""

    draft_url: str
    version: int
    files: tuple[str, ...]

    @classmethod
    def read(cls, f: Fields) -> DraftFiles:
        return cls(f.text("draft_url"), f.integer("version"), f.texts("files"))


@dataclass(frozen=True)
class Download:
    """A downloaded draft: the zip file, or the extracted folder `<dir>/<draft_id>`."""

    path: Path
    size: int
    entries: tuple[str, ...]


@dataclass(frozen=True)
class DraftSummary:
    """Shape and save status of a draft: what a "saved / unsaved changes" line shows.

    `current_version` counts edits (the revision); `last_saved_version` is the number of the
    newest saved version, None before the first save.
    """

    draft_id: str
    draft_url: str
    name: str
    width: int
    height: int
    fps: int
    duration: int
    segment_count: int
    current_version: int
    last_saved_version: int | None
    unsaved_changes: bool
    created_at: datetime | None
    updated_at: datetime | None
    last_saved_at: datetime | None

    @property
    def save_status(self) -> str:
        """One human line: "saved as version 3", "unsaved changes since version 3", ..."""
        if self.last_saved_version is None:
            return "never saved" if self.unsaved_changes else "empty, never saved"
        if self.unsaved_changes:
            return f"unsaved changes since version {self.last_saved_version}"
        return f"saved as version {self.last_saved_version}"

    @classmethod
    def read(cls, f: Fields) -> DraftSummary:
        return cls(
            draft_id=f.text("draft_id"),
            draft_url=f.text("draft_url"),
            name=f.text("name"),
            width=f.integer("width"),
            height=f.integer("height"),
            fps=f.integer("fps"),
            duration=f.integer("duration"),
            segment_count=f.integer("segment_count"),
            current_version=f.integer("current_version"),
            last_saved_version=f.opt_integer("last_saved_version"),
            unsaved_changes=f.flag("unsaved_changes"),
            created_at=f.time("created_at"),
            updated_at=f.time("updated_at"),
            last_saved_at=f.time("last_saved_at"),
        )


@dataclass(frozen=True)
class SegmentAudioEffect:
    """The audio effect of an audio segment: its name and its category (`sound_effect`,
    `tone` or `speech_to_song`)."""

    name: str
    category: str

    @classmethod
    def read(cls, f: Fields) -> SegmentAudioEffect:
        return cls(f.text("name"), f.text("category"))


@dataclass(frozen=True)
class Segment:
    """One segment of a track: media (`media_kind` set), text (`text` set) or a sticker
    (`sticker_id` set)."""

    id: str
    material_id: str
    start: int
    end: int
    media_kind: str | None = None
    source_start: int | None = None
    source_end: int | None = None
    name: str | None = None
    text: str | None = None
    sticker_id: str | None = None
    audio_effect: SegmentAudioEffect | None = None
    warnings: tuple[ServerWarning, ...] = ()
    """What the edits that made or changed it adjusted."""

    @classmethod
    def read(cls, f: Fields) -> Segment:
        effect = f.opt_object("audio_effect")
        return cls(
            id=f.text("id"),
            material_id=f.text("material_id"),
            start=f.integer("start"),
            end=f.integer("end"),
            media_kind=f.opt_text("media_kind"),
            source_start=f.opt_integer("source_start"),
            source_end=f.opt_integer("source_end"),
            name=f.opt_text("name"),
            text=f.opt_text("text"),
            sticker_id=f.opt_text("sticker_id"),
            audio_effect=None if effect is None else SegmentAudioEffect.read(effect),
            warnings=warnings_of(f),
        )


@dataclass(frozen=True)
class Track:
    """One track of a draft and its segments, in timeline order."""

    id: str
    type: str
    segments: tuple[Segment, ...]

    @classmethod
    def read(cls, f: Fields) -> Track:
        return cls(f.text("id"), f.text("type"), tuple(map(Segment.read, f.objects("segments"))))


@dataclass(frozen=True)
class DraftInfo(DraftSummary):
    """A draft's summary plus its tracks."""

    tracks: tuple[Track, ...]

    @classmethod
    def read(cls, f: Fields) -> DraftInfo:
        tracks = tuple(map(Track.read, f.objects("tracks")))
        return cls(**vars(DraftSummary.read(f)), tracks=tracks)


@dataclass(frozen=True)
class VersionInfo:
    """One saved, immutable version. `current_version` is the revision it captured."""

    version: int
    current_version: int
    created_at: datetime | None
    label: str | None
    segment_count: int
    duration: int
    file_count: int

    @classmethod
    def read(cls, f: Fields) -> VersionInfo:
        return cls(
            version=f.integer("version"),
            current_version=f.integer("current_version"),
            created_at=f.time("created_at"),
            label=f.opt_text("label"),
            segment_count=f.integer("segment_count"),
            duration=f.integer("duration"),
            file_count=f.integer("file_count"),
        )


@dataclass(frozen=True)
class RestoreResult:
    """`version` is the new version that holds the state of `restored_from`."""

    draft_url: str
    version: int
    restored_from: int

    @classmethod
    def read(cls, f: Fields) -> RestoreResult:
        return cls(f.text("draft_url"), f.integer("version"), f.integer("restored_from"))


@dataclass(frozen=True)
class ServerWarning:
    """Something the server adjusted in a request instead of refusing it, as the answer's
    `warnings` list it: the request `field`, a stable `code`, a `message`."""

    field: str
    code: str
    message: str

    @classmethod
    def read(cls, f: Fields) -> ServerWarning:
        return cls(f.text("field"), f.text("code"), f.text("message"))


def warnings_of(f: Fields) -> tuple[ServerWarning, ...]:
    """An answer's `warnings` (none from a server that sends none)."""
    return tuple(ServerWarning.read(w) for w in f.opt_objects("warnings"))


@dataclass(frozen=True)
class RenderSubmitted:
    """gen_video accepted the job; poll `gen_video_status` for its progress.

    `version` is the saved version rendered. A draft with unsaved changes is saved first, and
    `warnings` then holds a `saved_before_render` warning naming that version.
    """

    draft_url: str
    message: str
    version: int | None = None
    job_id: str | None = None
    warnings: tuple[ServerWarning, ...] = ()

    @classmethod
    def read(cls, f: Fields, draft_url: str) -> RenderSubmitted:
        return cls(
            f.opt_text("draft_url") or draft_url,
            f.opt_text("message") or "",
            version=f.opt_integer("version"),
            job_id=f.opt_text("job_id"),
            warnings=tuple(ServerWarning.read(w) for w in f.opt_objects("warnings")),
        )


@dataclass(frozen=True)
class RenderReportEntry:
    """One feature of the draft as the render draws it (docs/render.md, "The render report"):
    `feature` ("video", "mask", "keyframe", "sticker"...), `name` (which one: a keyframe
    property, a mask or filter name, a sticker id; "" for the segments themselves), `drawn`
    ("exact", "approximated" or "not_drawn"), `how` (what is drawn instead, or why nothing
    is; "" when exact) and the segments concerned."""

    feature: str
    name: str
    drawn: str
    how: str
    segment_ids: tuple[str, ...]

    @classmethod
    def read(cls, f: Fields) -> RenderReportEntry:
        return cls(
            f.text("feature"),
            f.text("name"),
            f.text("drawn"),
            f.text("how"),
            f.texts("segment_ids"),
        )


@dataclass(frozen=True)
class RenderStatus:
    """State of a draft's render job; `video_url` is set once `status` is "completed".

    `status` is "pending", "processing", "completed", "failed" or "cancelled". `report` says
    what the video draws of the draft, feature by feature; it is empty until a worker has
    planned the render (and from a server that sends none).
    """

    draft_url: str
    status: str
    progress: int
    video_url: str | None
    error_message: str | None
    created_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    job_id: str | None = None
    report: tuple[RenderReportEntry, ...] = ()

    @property
    def finished(self) -> bool:
        return self.status in ("completed", "failed", "cancelled")

    @property
    def not_exact(self) -> tuple[RenderReportEntry, ...]:
        """The report's entries drawn approximately or not at all."""
        return tuple(entry for entry in self.report if entry.drawn != "exact")

    @classmethod
    def read(cls, f: Fields, draft_url: str) -> RenderStatus:
        return cls(
            draft_url=f.opt_text("draft_url") or draft_url,
            status=f.text("status"),
            progress=max(0, min(100, round(f.number("progress", 0)))),
            video_url=f.opt_text("video_url"),
            error_message=f.opt_text("error_message"),
            created_at=f.time("created_at"),
            started_at=f.time("started_at"),
            completed_at=f.time("completed_at"),
            job_id=f.opt_text("job_id"),
            report=tuple(RenderReportEntry.read(e) for e in f.opt_objects("report")),
        )


def draft_id_of(draft_url: str) -> str:
    """The draft_id query parameter of a draft_url (no validation: the server validates)."""
    ids = parse_qs(urlsplit(draft_url).query).get("draft_id", [""])
    return ids[0]


@dataclass(frozen=True)
class Composed:
    """What compose made: the draft, the tracks stacked (bottom first), what the server
    adjusted, and the saved version and render job when the spec asked for them."""

    draft_url: str
    draft_id: str
    current_version: int
    track_ids: tuple[str, ...]
    version: int | None = None
    render_job_id: str | None = None
    warnings: tuple[ServerWarning, ...] = ()

    @classmethod
    def read(cls, f: Fields) -> Composed:
        render = f.opt_object("render")
        return cls(
            draft_url=f.text("draft_url"),
            draft_id=f.text("draft_id"),
            current_version=f.integer("current_version"),
            track_ids=f.texts("track_ids"),
            version=f.opt_integer("version"),
            render_job_id=None if render is None else render.text("job_id"),
            warnings=warnings_of(f),
        )
