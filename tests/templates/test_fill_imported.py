"""An imported draft as the template: a caption the editor styled run by run (a red label, a
yellow bold placeholder, a blue tail with an emoji) and a placeholder video on another
machine's disk. One fill gives a draft whose exported caption keeps all three runs, their
ranges carried in UTF-16 units around the new words, and whose video is the new file; the
imported template is unchanged."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from draft_oracle import load_summary, unresolved_refs
from support.api import SECOND, Api
from support.media_server import MediaServer

TEXT = "Sale: {{title}} now 🎉"
RED, YELLOW, BLUE = [1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]
ELSEWHERE = "/Users/ana/Movies/placeholder.mp4"


def _run(start: int, end: int, color: list[float], size: float) -> dict[str, Any]:
    return {
        "fill": {"content": {"render_type": "solid", "solid": {"alpha": 1.0, "color": color}}},
        "range": [start, end],
        "size": size,
        "bold": size > 10,
        "italic": False,
        "underline": False,
        "strokes": [],
    }


# "Sale: " is 6 units, "{{title}}" 9, " now 🎉" 7 (the emoji counts 2).
EDITOR_RUNS = [_run(0, 6, RED, 8.0), _run(6, 15, YELLOW, 12.0), _run(15, 22, BLUE, 8.0)]


def _as_editor_made(timeline: dict[str, Any]) -> dict[str, Any]:
    """The caption styled run by run, and the video a file on another machine's disk."""
    for material in timeline["materials"]["texts"]:
        material["content"] = json.dumps({"styles": EDITOR_RUNS, "text": TEXT}, ensure_ascii=False)
    for material in timeline["materials"]["videos"]:
        material["path"] = ELSEWHERE
        material["material_name"] = "placeholder.mp4"
    return timeline


def _editor_zip(folder: Path) -> bytes:
    """The draftsmith folder at `folder` as the editor would have it after the edits above:
    timeline files changed, the video's file not in the folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            relative = path.relative_to(folder).as_posix()
            if relative.startswith("assets/videos/"):
                continue
            data = path.read_bytes()
            if relative.endswith(".json"):
                parsed = json.loads(data)
                if isinstance(parsed, dict) and "materials" in parsed:
                    data = json.dumps(_as_editor_made(parsed), ensure_ascii=False).encode()
            archive.writestr(f"promo/{relative}", data)
    return buffer.getvalue()


def _imported_template(api: Api, media: MediaServer, root: Path) -> dict[str, Any]:
    made = api.ok("create_draft", {"width": 640, "height": 360, "name": "promo"})["draft_url"]
    api.ok(
        "add_captions",
        {"draft_url": made, "captions": [{"text": TEXT, "start": 0, "end": 3 * SECOND}]},
    )
    api.ok(
        "add_videos",
        {
            "draft_url": made,
            "video_infos": [{"video_url": media.url("bars.mp4"), "start": 0, "end": 3 * SECOND}],
        },
    )
    saved = api.save(made)
    folder = api.download_folder(saved["draft_url"].split("draft_id=")[1], root / "made")
    response = api.http.post(
        api.url("import_draft"),
        content=_editor_zip(folder),
        headers={**api.headers(), "Content-Type": "application/zip"},
    )
    assert response.status_code == 200, response.text
    imported: dict[str, Any] = response.json()
    assert imported["missing_media"] == [ELSEWHERE], imported
    return imported


def _texts_material(folder: Path) -> dict[str, Any]:
    content = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    [material] = content["materials"]["texts"]
    runs: dict[str, Any] = json.loads(material["content"])
    return runs


def test_an_imported_caption_keeps_its_runs_around_the_new_words(
    app_api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    api = app_api
    imported = _imported_template(api, media_server, tmp_path)
    template_url = imported["draft_url"]
    before = api.info(template_url)

    filled = api.ok(
        "fill_template",
        {
            "draft_url": template_url,
            "texts": [{"placeholder": "{{title}}", "text": "夏日🎉"}],
            "media": [{"name": "placeholder.mp4", "url": media_server.url("red.mp4")}],
        },
    )
    assert [r["count"] for r in filled["replacements"]] == [1, 1]
    assert [w["code"] for w in filled["warnings"]] == ["clamped_to_media"]
    assert api.info(template_url) == before, "the imported template is unchanged"

    info = api.info(filled["draft_url"])
    [video] = [s for t in info["tracks"] if t["type"] == "video" for s in t["segments"]]
    assert (video["name"], video["end"], video["warnings"][0]["code"]) == (
        "red.mp4",
        2 * SECOND,
        "clamped_to_media",
    )
    assert all(w["code"] != "missing_media" for w in video["warnings"])

    api.save(filled["draft_url"])
    folder = api.download_folder(filled["draft_id"], tmp_path / "filled")
    runs = _texts_material(folder)
    assert runs["text"] == "Sale: 夏日🎉 now 🎉"
    # 夏 日 🎉 are 4 units: the yellow run shrinks from 9 to 4, the blue one moves back by 5.
    assert [
        (s["range"], s["fill"]["content"]["solid"]["color"], s["size"]) for s in runs["styles"]
    ] == [
        ([0, 6], RED, 8.0),
        ([6, 10], YELLOW, 12.0),
        ([10, 17], BLUE, 8.0),
    ]
    summary = load_summary(folder)
    assert summary.captions == ["Sale: 夏日🎉 now 🎉"]
    assert [s for kind, s in summary.tracks if kind == "video"] == [
        [(0, 2 * SECOND, 0, 2 * SECOND)]
    ]
    assert unresolved_refs(folder) == {}

    # The template's own export still has the placeholder in its yellow run.
    api.save(template_url)
    template_runs = _texts_material(api.download_folder(imported["draft_id"], tmp_path / "tpl"))
    assert template_runs == {"styles": EDITOR_RUNS, "text": TEXT}
