"""`draftsmith add-caption --font --text-effect` against a real server: the saved folder loads
in pyJianYingDraft with the font and the text effect, and with --strict an unknown font exits
with the server's detail (without it the caption is added with a warning:
tests/client/test_client_warnings.py)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from pyJianYingDraft import FontType

from draft_oracle import load_script
from draftsmith.cli import main
from draftsmith.errors import UnknownName
from support.server import ServerProcess

TEXT_EFFECT_ID = "7296357486490144036"


def run(server: ServerProcess, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(main, list(args), env={"DRAFTSMITH_SERVER": server.base_url})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result


def test_add_caption_with_a_font_and_a_text_effect(
    shared_server: ServerProcess, tmp_path: Path
) -> None:
    draft = run(shared_server, "new").stdout.strip()
    options = ("--end", "1s", "--color", "#ff0000")
    effect = ("--font", "得意黑", "--text-effect", TEXT_EFFECT_ID)
    added = json.loads(
        run(shared_server, "add-caption", draft, "hello", *options, *effect, "--json").stdout
    )
    bad = run(
        shared_server,
        "add-caption",
        draft,
        "hello",
        "--end",
        "1s",
        "--font",
        "nope-font",
        "--strict",
        code=UnknownName.kind.exit_code,
    )
    assert "font" in bad.stderr
    run(shared_server, "save", draft)
    exported = run(shared_server, "export", draft, "--folder", str(tmp_path), "--json").stdout

    script = load_script(Path(json.loads(exported)["path"]))
    (track,) = script.imported_tracks
    (segment,) = track.raw_data["segments"]
    assert segment["id"] == added["segment_ids"][0]
    (effect_material,) = script.imported_materials["effects"]
    assert effect_material["effect_id"] == TEXT_EFFECT_ID
    assert effect_material["id"] in segment["extra_material_refs"]
    (text,) = script.imported_materials["texts"]
    (style,) = json.loads(text["content"])["styles"]
    assert style["font"]["id"] == FontType.得意黑.value.resource_id
    assert style["effectStyle"]["id"] == TEXT_EFFECT_ID
    # The effect brings its own colours: --color is reset to white.
    assert style["fill"]["content"]["solid"]["color"] == [1.0, 1.0, 1.0]
