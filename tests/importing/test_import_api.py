"""import_draft and relink_media on a real server: the capcut-mate sample folder, a draft
pyJianYingDraft writes itself, a draftsmith draft with unknown fields injected, missing media
relinked, and every verb working on the imported draft afterwards."""

from __future__ import annotations

import copy
import io
import json
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import pyJianYingDraft
import pytest
from click.testing import CliRunner
from pyJianYingDraft import tim, trange

from draft_oracle import load_summary, unresolved_refs
from draftsmith.capcut.profiles import PROFILES
from draftsmith.capcut.validate import validate_folder
from draftsmith.cli import main
from draftsmith.client import SECOND, AsyncClient, Caption, ImportedDraft, RelinkedMedia
from draftsmith.editor.sources import folder_files
from support.api import Api, ApiOpener
from support.downloads import draft_id_of
from support.event_loop import run_coroutine
from support.media import make_audio, make_image, make_video
from support.media_server import MediaServer
from support.server import ServerProcess

SAMPLE = Path(__file__).parents[1] / "fixtures" / "capcut-mate-sample"
SAMPLE_MEDIA = {
    "assets/videos/2026112307043793d494b9.mp4": "video",
    "assets/audios/2026112307043759a219d7.mp3": "audio",
    "assets/images/20261123070437f38b2f58.png": "image",
}
SAMPLE_FILES = (
    "draft_content.json",
    "draft_info.json",
    "draft_meta_info.json",
    "attachment_pc_common.json",
    "draft_agency_config.json",
)


SCENE_SOUND = pyJianYingDraft.AudioSceneEffectType.from_name("8bit")
VOICE_TONE = pyJianYingDraft.ToneEffectType.from_name("大叔")


@pytest.fixture
def api(shared_server: ServerProcess, apis: ApiOpener) -> Api:
    return apis(shared_server.base_url)


@pytest.fixture(scope="module")
def sample_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The capcut-mate sample folder with media made to match it (bars 640x360 3 s, a 3 s
    tone, a 640x360 still), as capcut-mate leaves it on disk."""
    folder = tmp_path_factory.mktemp("sample") / "20261123070437076ab504"
    folder.mkdir()
    for name in SAMPLE_FILES:
        shutil.copy(SAMPLE / name, folder / name)
    for path, kind in SAMPLE_MEDIA.items():
        target = folder / path
        if kind == "video":
            make_video(target, 3.0, width=640, height=360)
        elif kind == "audio":
            make_audio(target, 3.0)
        else:
            make_image(target, 640, 360)
    return folder


@pytest.fixture(scope="module")
def pyjianying_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A draft pyJianYingDraft writes itself: video with an intro, keyframe, mask and
    transition, audio with a scene sound and a voice tone, a styled caption with border,
    shadow and animation, a sticker, a scene effect and a filter; its media copied into the
    folder."""
    root = tmp_path_factory.mktemp("pyjianying")
    video = make_video(root / "media" / "clip.mp4", 2.0, width=320, height=240)
    audio = make_audio(root / "media" / "music.mp3", 2.0)
    script = pyJianYingDraft.ScriptFile(1280, 720, 30, False)
    refs = {
        kind: script.append_track(
            pyJianYingDraft.TrackSpec(getattr(pyJianYingDraft.TrackType, kind))
        )
        for kind in ("video", "audio", "text", "sticker", "effect", "filter")
    }
    material = pyJianYingDraft.VideoMaterial(str(video))
    first = pyJianYingDraft.VideoSegment(material, trange("0s", "1s"))
    first.add_animation(next(iter(pyJianYingDraft.IntroType)))
    first.add_keyframe(pyJianYingDraft.KeyframeProperty.alpha, tim("0s"), 0.5)
    first.add_mask(next(iter(pyJianYingDraft.MaskType)), center_x=0.1, size=0.5)
    first.add_transition(next(iter(pyJianYingDraft.TransitionType)))
    script.add_segment(first, refs["video"])
    script.add_segment(pyJianYingDraft.VideoSegment(material, trange("1s", "1s")), refs["video"])
    music = pyJianYingDraft.AudioSegment(
        pyJianYingDraft.AudioMaterial(str(audio)), trange("0s", "2s"), volume=0.6
    )
    music.add_effect(SCENE_SOUND, [40.0])
    music.add_effect(VOICE_TONE)
    script.add_segment(music, refs["audio"])
    caption = pyJianYingDraft.TextSegment(
        "hello 世界",
        trange("0s", "2s"),
        style=pyJianYingDraft.TextStyle(size=8, color=(1, 1, 0), bold=True),
        border=pyJianYingDraft.TextBorder(),
        shadow=pyJianYingDraft.TextShadow(),
    )
    caption.add_animation(next(iter(pyJianYingDraft.TextIntro)))
    script.add_segment(caption, refs["text"])
    script.add_segment(
        pyJianYingDraft.StickerSegment("7226264929490587959", trange("0s", "1s")), refs["sticker"]
    )
    script.add_effect(next(iter(pyJianYingDraft.VideoSceneEffectType)), trange("0s", "1s"))
    script.add_filter(next(iter(pyJianYingDraft.FilterType)), trange("0s", "1s"), intensity=60)
    folder = root / "pyjianying-draft"
    folder.mkdir()
    script.dump(str(folder / "draft_content.json"))
    # The media travel with the folder; the timeline names them by their absolute paths.
    shutil.copy(video, folder / "clip.mp4")
    shutil.copy(audio, folder / "music.mp3")
    return folder


def _zip(folder: Path, skip: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and not relative.startswith(skip):
                archive.write(path, f"{folder.name}/{relative}")
    return buffer.getvalue()


def _material_counts(folder: Path) -> dict[str, int]:
    content = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    return {k: len(v) for k, v in content["materials"].items() if isinstance(v, list) and v}


def _upload(api: Api, data: bytes, **params: str) -> dict[str, Any]:
    response = api.http.post(
        api.url("import_draft"),
        content=data,
        params=params,
        headers={"Content-Type": "application/zip"},
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_the_capcut_mate_sample_imports_whole_and_exports_loading_in_pyjianyingdraft(
    api: Api, sample_folder: Path, tmp_path: Path
) -> None:
    imported = api.client.import_draft(sample_folder)
    assert imported.profile == "all" and imported.missing_media == ()
    # Its six tracks (two of them empty), and the empty one carrying the draft's own part.
    assert imported.segment_count == 4 and imported.track_count == 7
    info = api.info(imported.draft_url)
    kinds = [t["type"] for t in info["tracks"]][:6]
    assert kinds == ["video", "video", "video", "audio", "video", "text"]
    texts = [s["text"] for t in info["tracks"] for s in t["segments"] if t["type"] == "text"]
    assert texts == ["Hello capcut-mate"]

    api.save(imported.draft_url)
    folder = api.download_draft(imported.draft_url, tmp_path)
    assert load_summary(folder) == load_summary(sample_folder)
    assert _material_counts(folder) == _material_counts(sample_folder)
    # capcut-mate leaves a caption ref unresolved (as pyJianYingDraft does); kept as it was.
    assert unresolved_refs(folder) == unresolved_refs(sample_folder)
    original = json.loads((sample_folder / "draft_content.json").read_text(encoding="utf-8"))
    again = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    # The media are the folder's own now; everything else is what capcut-mate wrote.
    for name in ("videos", "audios"):
        for material in again["materials"][name]:
            path = material.pop("path")
            assert (folder / path.split("##/", 1)[1]).is_file(), path
        for material in original["materials"][name]:
            material.pop("path")
    for timeline in (original, again):
        timeline.pop("update_time")
    assert again == original
    for name in ("attachment_pc_common.json", "draft_agency_config.json"):
        assert (folder / name).read_bytes() == (sample_folder / name).read_bytes()


def test_every_verb_works_on_an_imported_draft(
    api: Api, sample_folder: Path, media_server: MediaServer, standard_media: Any, tmp_path: Path
) -> None:
    draft_url = api.client.import_draft(_zip(sample_folder)).draft_url
    api.client.add_captions(draft_url, [Caption("added by API", 0, SECOND)])
    api.add_video(draft_url, media_server.url(standard_media.red.name), 0, SECOND)
    first = api.save(draft_url)["version"]
    api.add_caption(draft_url, "second edit")
    second = api.save(draft_url)["version"]
    assert [v["version"] for v in api.versions(draft_url)] == [first, second]
    api.ok("restore_version", {"draft_url": draft_url, "version": first})
    for name in PROFILES:
        response = api.get(api.url("download_draft"), draft_id=draft_id_of(draft_url), profile=name)
        assert response.status_code == 200, (name, response.text)
        root = tmp_path / name
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            archive.extractall(root)
        folder = root / draft_id_of(draft_url)
        if not (folder / "draft_content.json").exists():
            # pyJianYingDraft reads only draft_content.json: show it the file these editors read.
            shutil.copy(folder / "draft_info.json", folder / "draft_content.json")
        summary = load_summary(folder)
        assert "added by API" in summary.captions and "Hello capcut-mate" in summary.captions
    # The folder's own defects (capcut-mate's caption ref and style range) stay as they were;
    # the import and the edits add none.
    validated = api.ok("validate_draft", {"draft_url": draft_url})
    found = {
        (p["where"].replace("tracks[5]", "tracks[?]"), p["problem"]) for p in validated["problems"]
    }
    report = validate_folder(folder_files(sample_folder), PROFILES["all"])
    own = {(p.where.replace("tracks[5]", "tracks[?]"), p.problem) for p in report.problems}
    assert found <= own, found - own


def test_a_pyjianyingdraft_draft_imports_whole_and_loads_the_same(
    api: Api, pyjianying_folder: Path, tmp_path: Path
) -> None:
    started = int(time.time())
    answer = _upload(api, _zip(pyjianying_folder))
    assert answer["missing_media"] == [] and answer["profile"] == "jianying-5.9"
    assert answer["segment_count"] == 7
    draft_url = answer["draft_url"]
    tracks = api.info(draft_url)["tracks"]
    kinds = [t["type"] for t in tracks]
    assert kinds[:6] == ["video", "audio", "text", "sticker", "effect", "filter"]
    # The first of the audio's effects is the model's; the second is kept as it was written.
    [sound] = tracks[1]["segments"]
    assert sound["audio_effect"] == {"name": SCENE_SOUND.value.name, "category": "sound_effect"}
    api.save(draft_url)
    folder = api.download_draft(draft_url, tmp_path)
    assert load_summary(folder) == load_summary(pyjianying_folder)
    assert _material_counts(folder) == _material_counts(pyjianying_folder)
    original = json.loads((pyjianying_folder / "draft_content.json").read_text(encoding="utf-8"))
    again = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    # Everything but where the media files are and when it was saved is what pyJianYingDraft
    # wrote; the save time is the save's own, however soon after the import it came.
    for name in ("videos", "audios"):
        for material in original["materials"][name] + again["materials"][name]:
            material.pop("path")
    assert again.pop("update_time") >= started and original.pop("update_time") == 0
    assert again == original

    # It renders, its video, audio, caption and effects drawn by the server.
    api.gen_video(draft_url)
    done, _ = api.wait(draft_url, timeout=120)
    assert done["status"] == "completed", done
    video = api.download_video(done["video_url"], tmp_path / "imported.mp4")
    assert video.stat().st_size > 0


def _inject(timeline: dict[str, Any]) -> dict[str, Any]:
    t = copy.deepcopy(timeline)
    t["x_top"] = {"z": [1, "二", None]}
    t["tracks"][0]["x_track"] = 7
    t["tracks"][0]["segments"][0]["x_segment"] = {"a": 1.5}
    t["tracks"][0]["segments"][0]["clip"]["x_clip"] = [False]
    for items in t["materials"].values():
        for material in items:
            material["x_material"] = material["id"][:4]
    t["materials"]["x_kind"] = [{"id": "x-1", "anything": {"goes": True}}]
    return t


def test_unknown_fields_survive_import_edit_save_and_export(
    api: Api, media_server: MediaServer, standard_media: Any, tmp_path: Path
) -> None:
    made = api.video_draft(media_server.url(standard_media.bars.name), 2.0)
    api.add_caption(made, "original caption")
    api.save(made)
    folder = api.download_draft(made, tmp_path / "made")
    for name in ("draft_content.json", "draft_info.json"):
        timeline = json.loads((folder / name).read_text(encoding="utf-8"))
        (folder / name).write_text(json.dumps(_inject(timeline), ensure_ascii=False), "utf-8")

    draft_url = api.client.import_draft(folder).draft_url
    api.add_caption(draft_url, "an edit elsewhere")
    api.save(draft_url)
    out = api.download_draft(draft_url, tmp_path / "out")
    before = json.loads((folder / "draft_info.json").read_text(encoding="utf-8"))
    after = json.loads((out / "draft_info.json").read_text(encoding="utf-8"))
    assert after["x_top"] == before["x_top"]
    assert after["tracks"][0]["x_track"] == 7
    assert after["tracks"][0]["segments"][0]["x_segment"] == {"a": 1.5}
    assert after["tracks"][0]["segments"][0]["clip"]["x_clip"] == [False]
    assert after["materials"]["x_kind"] == before["materials"]["x_kind"]
    for name, items in before["materials"].items():
        for material in items:
            if "x_material" not in material:
                continue
            found = [m for m in after["materials"][name] if m["id"] == material["id"]]
            assert found and found[0].get("x_material") == material["x_material"], (name, found)
            assert list(found[0]) == list(material), (name, material["id"])
    captions = load_summary(out).captions
    assert captions[-2:] == ["original caption", "an edit elsewhere"]


def test_missing_media_is_named_and_relinked(
    api: Api, sample_folder: Path, media_server: MediaServer, standard_media: Any, tmp_path: Path
) -> None:
    answer = _upload(api, _zip(sample_folder, skip=("assets/",)), name="no media")
    assert len(answer["missing_media"]) == 3
    assert any(w["message"].startswith("3 media file") for w in answer["warnings"])
    draft_url = answer["draft_url"]
    notes = [
        w
        for t in api.info(draft_url)["tracks"]
        for s in t["segments"]
        for w in s["warnings"]
        if w["code"] == "missing_media"
    ]
    assert len(notes) == 3 and "2026112307043793d494b9.mp4" in " ".join(n["message"] for n in notes)
    api.save(draft_url)
    validated = api.ok("validate_draft", {"draft_url": draft_url})
    assert [w["code"] for w in validated["warnings"]].count("missing_media") == 3
    # The web UI's timeline marks the same segments.
    lanes = api.get(f"{api.base_url}/ui/api/drafts/{draft_id_of(draft_url)}/timeline").json()
    marked = [
        s["id"]
        for lane in lanes["tracks"]
        for s in lane["segments"]
        if any(w["code"] == "missing_media" for w in s["warnings"])
    ]
    assert len(marked) == 3, lanes
    render = api.post("gen_video", {"draft_url": draft_url})
    assert render.status_code == 400 and "relink_media" in render.json()["detail"], render.text
    # The draft still opens with every segment in place; the editor asks for the files.
    folder = api.download_draft(draft_url, tmp_path / "missing")
    assert load_summary(folder).tracks == load_summary(sample_folder).tracks

    relinked = api.client.relink_media(
        draft_url, "2026112307043793d494b9.mp4", media_server.url(standard_media.bars.name)
    )
    assert len(relinked.segment_ids) == 1
    remaining = [
        w for t in api.info(draft_url)["tracks"] for s in t["segments"] for w in s["warnings"]
    ]
    assert [w["code"] for w in remaining].count("missing_media") == 2
    api.save(draft_url)
    folder = api.download_draft(draft_url, tmp_path / "relinked")
    assert list((folder / "assets" / "videos").glob("*.mp4"))
    refused = api.post(
        "relink_media", {"draft_url": draft_url, "material": "nothing.mp4", "url": "http://x/y"}
    )
    assert refused.status_code == 404 and "nothing.mp4" in refused.json()["detail"]


def test_import_by_url_and_from_the_command_line(
    api: Api, sample_folder: Path, tmp_path: Path
) -> None:
    served = tmp_path / "served"
    served.mkdir()
    (served / "sample.zip").write_bytes(_zip(sample_folder))
    with MediaServer(served) as zips:
        by_url = api.ok("import_draft", {"zip_url": zips.url("sample.zip"), "name": "by url"})
    assert by_url["segment_count"] == 4 and by_url["missing_media"] == []

    result = CliRunner().invoke(
        main, ["import", str(sample_folder), "--server", api.base_url, "--name", "from cli"]
    )
    assert result.exit_code == 0, result.output
    draft_url = result.stdout.strip().splitlines()[-1]
    assert api.info(draft_url)["name"] == "from cli"


def test_the_async_client_imports_and_relinks(
    shared_server: ServerProcess,
    sample_folder: Path,
    media_server: MediaServer,
    standard_media: Any,
) -> None:
    async def scenario() -> tuple[ImportedDraft, RelinkedMedia]:
        async with AsyncClient(shared_server.base_url, trust_env=False) as client:
            imported = await client.import_draft(_zip(sample_folder, skip=("assets/",)))
            relinked = await client.relink_media(
                imported.draft_url,
                "2026112307043759a219d7.mp3",
                media_server.url(standard_media.tone.name),
            )
            return imported, relinked

    imported, relinked = run_coroutine(scenario())
    assert len(imported.missing_media) == 3 and imported.source == "draft_info.json"
    assert len(relinked.segment_ids) == 1 and relinked.current_version == 2
