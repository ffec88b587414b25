"""Stickers that carry a picture (add_sticker's image_url): the server fetches it when the
sticker is added, and gen_video draws it (a PNG with its transparency, a WebP, a GIF's first
frame) and reports it; a picture that cannot be fetched leaves the sticker undrawn, with the
reason in the add's warnings and in the render report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from render.probe import BLUE, close, frames_at
from support.api import SECOND, Api, ApiOpener
from support.media import make_image
from support.media_server import MediaServer
from support.server import ServerProcess
from support.sticker_pictures import (
    LIME,
    MAGENTA,
    PNG_INNER_PX,
    RED,
    SIZE_PX,
    YELLOW,
    StickerPictures,
    make_sticker_pictures,
)

W, H = 320, 240
SCALE = 3.0
# A sticker's pixels are taken at 1080p: on a 240 px high canvas each is 240/1080 of a pixel.
UNIT = SCALE * H / 1080
PNG_ID, WEBP_ID, GIF_ID, BROKEN_ID, BARE_ID = "101", "202", "303", "404", "505"


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MediaServer]:
    directory = tmp_path_factory.mktemp("sticker-pictures")
    made = make_sticker_pictures(directory)
    make_image(directory / "backdrop.png", W, H, color="blue")
    assert isinstance(made, StickerPictures)
    with MediaServer(directory) as server:
        yield server


def _sticker(draft_url: str, sticker_id: str, x: float, image_url: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "draft_url": draft_url,
        "sticker_id": sticker_id,
        "start": 0,
        "end": SECOND,
        "scale": SCALE,
        "transform_x": x,
    }
    return body if image_url is None else {**body, "image_url": image_url}


@pytest.fixture(scope="module")
def rendered(
    shared_server: ServerProcess,
    pictures: MediaServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    """A blue 1 s draft with five stickers, rendered: the PNG 100 px left of the centre, the
    WebP at it, the GIF 100 px right; one whose picture answers 404; one with no picture."""
    with Api(shared_server.base_url) as api:
        draft_url = api.create_draft(W, H)
        api.add_image(draft_url, pictures.url("backdrop.png"), 0, SECOND)
        added = {
            sticker_id: api.ok("add_sticker", _sticker(draft_url, sticker_id, x, url))
            for sticker_id, x, url in (
                (PNG_ID, -100, pictures.url("sticker.png")),
                (WEBP_ID, 0, pictures.url("sticker.webp")),
                (GIF_ID, 100, pictures.url("sticker.gif")),
                (BROKEN_ID, 0, pictures.url("status/404")),
                (BARE_ID, 0, None),
            )
        }
        api.save(draft_url)
        api.gen_video(draft_url)
        done, _ = api.wait(draft_url)
        assert done["status"] == "completed", done
        video = api.download_video(
            done["video_url"], tmp_path_factory.mktemp("sticker-render") / "out.mp4"
        )
    return {"added": added, "done": done, "video": video}


def test_a_picture_that_cannot_be_fetched_is_a_warning_and_the_sticker_is_added(
    rendered: dict[str, Any],
) -> None:
    added = rendered["added"]
    [warning] = added[BROKEN_ID]["warnings"]
    assert (warning["field"], warning["code"]) == ("image_url", "left_out")
    assert "404" in warning["message"]
    assert all(added[i]["warnings"] == [] for i in (PNG_ID, WEBP_ID, GIF_ID, BARE_ID))


def test_strict_mode_refuses_a_picture_that_cannot_be_fetched(
    shared_server: ServerProcess, apis: ApiOpener, pictures: MediaServer
) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft(W, H)
    body = _sticker(draft_url, BROKEN_ID, 0, pictures.url("status/404"))
    refused = api.post("add_sticker", body, strict=True)
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "media_rejected" and "404" in refused.json()["detail"]
    assert api.client.get_draft_info(draft_url).segment_count == 0


def test_the_pictures_are_drawn_where_and_as_large_as_the_stickers_say(
    rendered: dict[str, Any],
) -> None:
    frame = frames_at(rendered["video"], [0.5])[0.5]
    centre_y = H / 2
    # The PNG's square blends into its transparent border over a pixel or two on each side.
    for colour, x, size, slack in (
        (LIME, W / 2 - 100, PNG_INNER_PX * UNIT, 4),
        (YELLOW, W / 2, SIZE_PX * UNIT, 2),
        (MAGENTA, W / 2 + 100, SIZE_PX * UNIT, 2),
    ):
        box = frame.box_of(colour)
        assert box is not None, colour
        left, top, right, bottom = box
        width, height = right - left, bottom - top
        assert abs(width - size) <= slack and abs(height - size) <= slack, (colour, box)
        centre = frame.centroid(colour)
        assert centre is not None and close((*centre, 0), (x, centre_y, 0), tolerance=1.5)
    # The PNG's transparent border shows the backdrop; the GIF's red second frame never shows.
    border = round(W / 2 - 100 - (PNG_INNER_PX / 2 + 4) * UNIT)
    assert close(frame.mean((border - 1, 118, border + 1, 122)), BLUE, tolerance=40)
    assert frame.box_of(RED) is None
    assert frames_at(rendered["video"], [0.9])[0.9].box_of(RED) is None


def test_the_report_says_which_stickers_are_drawn_and_why_the_others_are_not(
    rendered: dict[str, Any],
) -> None:
    added, report = rendered["added"], rendered["done"]["report"]
    stickers = {e["name"]: e for e in report if e["feature"] == "sticker"}
    assert sorted(stickers) == sorted([PNG_ID, WEBP_ID, GIF_ID, BROKEN_ID, BARE_ID])
    for drawn in (PNG_ID, WEBP_ID, GIF_ID):
        entry = stickers[drawn]
        assert entry["drawn"] == "approximated", entry
        assert "image_url" in entry["how"]
        assert entry["segment_ids"] == [added[drawn]["segment_id"]]
    broken = stickers[BROKEN_ID]
    assert broken["drawn"] == "not_drawn" and "404" in broken["how"], broken
    assert broken["segment_ids"] == [added[BROKEN_ID]["segment_id"]]
    bare = stickers[BARE_ID]
    assert bare["drawn"] == "not_drawn" and "no picture" in bare["how"], bare


def test_the_render_does_not_fetch_the_pictures_again(
    rendered: dict[str, Any], pictures: MediaServer
) -> None:
    fetched = [p for p in pictures.requested_paths() if p.startswith("/sticker.")]
    assert sorted(fetched) == ["/sticker.gif", "/sticker.png", "/sticker.webp"]


def test_a_sticker_that_keeps_its_picture_keeps_it_in_the_saved_folder_untouched(
    shared_server: ServerProcess, apis: ApiOpener, pictures: MediaServer, tmp_path: Path
) -> None:
    """The editor's files name the sticker by its id only: the picture is the render's."""
    api = apis(shared_server.base_url)
    draft_url = api.create_draft(W, H)
    api.ok("add_sticker", _sticker(draft_url, PNG_ID, 0, pictures.url("sticker.png")))
    api.save(draft_url)
    folder = api.download_draft(draft_url, tmp_path)
    names = sorted(p.name for p in folder.rglob("*") if p.is_file())
    assert not [n for n in names if n.endswith((".png", ".webp", ".gif"))], names


def test_compose_fetches_a_sticker_items_picture_as_add_sticker_does(
    shared_server: ServerProcess, apis: ApiOpener, pictures: MediaServer
) -> None:
    api = apis(shared_server.base_url)
    item = {"sticker_id": PNG_ID, "start": 0, "end": SECOND}
    spec = {
        "width": W,
        "height": H,
        "tracks": [
            {"type": "sticker", "items": [{**item, "image_url": pictures.url("status/410")}]},
            {"type": "sticker", "items": [{**item, "image_url": pictures.url("sticker.webp")}]},
        ],
    }
    made = api.ok("compose", spec)
    [warning] = made["warnings"]
    assert warning["code"] == "left_out" and "410" in warning["message"], warning
    assert warning["field"].startswith("/tracks/0"), warning


def test_an_image_url_that_is_no_web_address_is_refused(
    shared_server: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft(W, H)
    for url in ("ftp://pictures.example/sticker.png", "sticker.png"):
        refused = api.post("add_sticker", _sticker(draft_url, PNG_ID, 0, url))
        assert refused.status_code == 400, refused.text
        assert "image_url" in refused.text and "http:// or https://" in refused.text
    item = {"sticker_id": PNG_ID, "start": 0, "end": SECOND, "image_url": "sticker.png"}
    spec = {"width": W, "height": H, "tracks": [{"type": "sticker", "items": [item]}]}
    composed = api.post("compose", spec)
    assert composed.status_code == 400, composed.text
    assert "/tracks/0/items/0/image_url" in composed.text, composed.text
    assert api.client.get_draft_info(draft_url).segment_count == 0
