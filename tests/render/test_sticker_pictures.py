"""Planning stickers that carry their own picture (fetched from add_sticker's image_url): the
draft's picture is drawn before the operator's, a GIF is read by its own demuxer and cut to its
first frame, and a picture that was never fetched or is gone from the blob store is reported
as not drawn with the reason. The stored form keeps the picture where garbage collection finds
it, and the sticker's pictures are made local for a render."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from draftsmith.blobs.local import LocalBlobStore
from draftsmith.blobs.materialise import local_media
from draftsmith.render.planner import plan_render
from draftsmith.render.report import Drawn, Feature
from draftsmith.store.codec import track_from_json, track_to_json
from draftsmith.store.upkeep import blob_names
from draftsmith.timeline.adjustments import LEFT_OUT, Adjustment
from draftsmith.timeline.model import (
    Clip,
    Draft,
    Media,
    MediaKind,
    StickerSegment,
    Timerange,
    Track,
    TrackKind,
)
from render.drafts import fake_paths, showcase

OUTPUT = Path("/nonexistent/out/render.mp4")
STICKER_ID = "7326810673609018675"
URL = "http://pictures.example/sticker.gif"


def _picture(name: str, extension: str) -> Media:
    sha = hashlib.sha256(name.encode()).hexdigest()
    return Media(sha, MediaKind.IMAGE, extension, 10, None, 40, 40)


GIF = _picture("sticker-gif", "gif")
PNG = _picture("sticker-png", "png")


def _with(draft: Draft, *stickers: StickerSegment) -> Draft:
    track = Track("track-sticker", TrackKind.STICKER, "sticker_1", stickers)
    return replace(draft, tracks=(*draft.tracks, track))


def _sticker(segment_id: str, image: Media | None, url: str | None = URL) -> StickerSegment:
    return StickerSegment(
        segment_id,
        f"material-{segment_id}",
        STICKER_ID,
        Timerange(0, 1_000_000),
        Clip(scale_x=2.0, scale_y=2.0),
        image_url=url,
        image=image,
    )


def _graph(args: tuple[str, ...]) -> str:
    return args[args.index("-filter_complex") + 1]


def test_a_gif_is_read_by_the_gif_demuxer_and_cut_to_its_first_frame() -> None:
    draft = _with(showcase(), _sticker("s-gif", GIF))
    path = Path("/nonexistent/blobs") / GIF.sha256
    plan = plan_render(draft, {**fake_paths(), GIF.sha256: path}, OUTPUT)

    where = plan.args.index(str(path))
    assert plan.args[where - 3 : where] == ("-f", "gif", "-i")
    assert "trim=end_frame=1,scale=w='max(1,iw*0.444444)'" in _graph(plan.args)
    [entry] = plan.report.about(Feature.STICKER)
    assert (entry.drawn, entry.segment_ids) == (Drawn.APPROXIMATED, ("s-gif",))
    assert entry.how.startswith("the picture from its image_url")


def test_the_drafts_picture_comes_before_the_operators(tmp_path: Path) -> None:
    own = Path("/nonexistent/blobs") / PNG.sha256
    operator = tmp_path / f"{STICKER_ID}.png"
    draft = _with(showcase(), _sticker("s-png", PNG))

    plan = plan_render(
        draft, {**fake_paths(), PNG.sha256: own}, OUTPUT, stickers={STICKER_ID: operator}
    )

    assert str(own) in plan.args and str(operator) not in plan.args
    where = plan.args.index(str(own))
    assert plan.args[where - 5 : where] == ("-f", "image2", "-pattern_type", "none", "-i")
    assert "trim=end_frame=1,scale=w=" not in _graph(plan.args)


def test_pictures_that_are_not_there_are_reported_with_the_reason() -> None:
    unfetched = replace(
        _sticker("s-unfetched", None),
        adjustments=(
            Adjustment(
                "image_url",
                LEFT_OUT,
                f"image_url: {URL} answered HTTP 404; the sticker was added without its picture",
            ),
        ),
    )
    gone = _sticker("s-gone", PNG)
    bare = _sticker("s-bare", None, url=None)
    draft = _with(showcase(), unfetched, gone, bare)

    plan = plan_render(draft, fake_paths(), OUTPUT)

    assert plan.args == plan_render(showcase(), fake_paths(), OUTPUT).args
    reasons = {e.segment_ids: (e.drawn, e.how) for e in plan.report.about(Feature.STICKER)}
    assert reasons == {
        ("s-unfetched",): (
            Drawn.NOT_DRAWN,
            f"its image_url could not be used when it was added (image_url: {URL} answered "
            "HTTP 404)",
        ),
        ("s-gone",): (Drawn.NOT_DRAWN, "its picture from image_url is missing from the blob store"),
        ("s-bare",): (Drawn.NOT_DRAWN, "the server has no picture of this library sticker"),
    }


def test_the_stored_sticker_keeps_its_picture_where_garbage_collection_looks() -> None:
    with_picture = _sticker("s-png", replace(PNG, thumbnail_sha256="ab" * 32))
    track = Track("track-sticker", TrackKind.STICKER, "sticker_1", (with_picture,))
    text = track_to_json(track)

    assert track_from_json(text) == track
    assert set(blob_names(text)) == {PNG.sha256, "ab" * 32}


def test_a_sticker_without_a_picture_keeps_its_stored_form() -> None:
    bare = _sticker("s-bare", None, url=None)
    text = track_to_json(Track("track-sticker", TrackKind.STICKER, "sticker_1", (bare,)))
    assert "image" not in text
    assert track_from_json(text).segments == (bare,)


def test_local_media_holds_the_pictures_the_blob_store_has(tmp_path: Path) -> None:
    blobs = LocalBlobStore(tmp_path / "blobs")
    data = b"GIF89a not decoded here"
    sha = hashlib.sha256(data).hexdigest()
    blobs.put_bytes(data)
    kept = replace(GIF, sha256=sha)
    draft = _with(showcase(), _sticker("s-kept", kept), _sticker("s-gone", PNG))
    draft = replace(draft, tracks=draft.tracks[-1:])

    paths = local_media(draft, blobs, tmp_path / "copies")

    assert set(paths) == {sha}
    assert paths[sha].read_bytes() == data


def test_an_operators_gif_is_read_by_the_gif_demuxer_too(tmp_path: Path) -> None:
    operator = tmp_path / f"{STICKER_ID}.GIF"
    draft = _with(showcase(), _sticker("s-operator", None, url=None))

    plan = plan_render(draft, fake_paths(), OUTPUT, stickers={STICKER_ID: operator})

    where = plan.args.index(str(operator))
    assert plan.args[where - 3 : where] == ("-f", "gif", "-i")
    [entry] = plan.report.about(Feature.STICKER)
    assert entry.how.startswith("the operator's picture")
