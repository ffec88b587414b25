"""The commands of the editing verbs beyond media and captions, through the `draftsmith` entry
point against a real server: what they add loads in pyJianYingDraft, `--json` prints the
result, and a bad name exits 2 with the server's detail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from client.conftest import MediaUrls
from draft_oracle import load_script, load_summary
from draftsmith.cli import main
from support.server import ServerProcess


class Cli:
    def __init__(self, server: ServerProcess) -> None:
        self.env = {"DRAFTSMITH_SERVER": server.base_url}

    def run(self, *args: str, code: int = 0) -> Result:
        result = CliRunner().invoke(main, list(args), env=self.env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)


@pytest.fixture
def cli(shared_server: ServerProcess) -> Cli:
    return Cli(shared_server)


def test_styling_a_draft_from_the_command_line(
    cli: Cli, media_urls: MediaUrls, tmp_path: Path
) -> None:
    draft = cli.json("new", "--width", "1280", "--height", "720")["draft_url"]
    video = cli.json("add-video", draft, media_urls.video, "--end", "2s")
    (segment_id,) = video["segment_ids"]

    effect = cli.run("add-effect", draft, "录制边框 III", "--end", "1s").stdout
    assert "added effect on track" in effect and "0.000 s-1.000 s" in effect
    filtered = cli.json("add-filter", draft, "森山", "--end", "2s", "--intensity", "60")
    assert [(s["start"], s["end"]) for s in filtered["segments"]] == [(0, 2_000_000)]
    masked = cli.run(
        "add-mask", draft, "circle", "--segment", segment_id, "--width", "0.3", "--height", "0.3"
    ).stdout
    assert masked.startswith(f"masked 1 segment(s): {segment_id}")
    keyed = cli.json(
        "add-keyframe",
        draft,
        "rotation",
        "--time",
        "500ms",
        "--value",
        "-45",
        "--segment",
        segment_id,
    )
    assert (keyed["keyframes_added"], keyed["affected_segments"]) == (1, [segment_id])
    sticker = cli.run("add-sticker", draft, "7326810673609018675", "--start", "1s", "--end", "2s")
    assert "added sticker 7326810673609018675 on track" in sticker.stdout
    assert "1.000 s-2.000 s" in sticker.stdout

    cli.run("save", draft)
    cli.run("export", draft, "--folder", str(tmp_path))
    (folder,) = tmp_path.iterdir()
    kinds = [kind for kind, _ in load_summary(folder).tracks]
    assert kinds == ["video", "effect", "filter", "sticker"]
    script = load_script(folder)
    (segment,) = script.imported_tracks[0].raw_data["segments"]
    (rotation,) = segment["common_keyframes"]
    assert [(f["time_offset"], f["values"]) for f in rotation["keyframe_list"]] == [
        (500_000, [-45.0])
    ]
    assert [m["name"] for m in script.imported_materials["masks"]] == ["圆形"]
    assert [m["value"] for m in script.imported_materials["effects"]] == [0.6]


def test_text_style_prints_the_style(cli: Cli) -> None:
    plain = json.loads(cli.run("text-style", "say hello", "hello").stdout)
    assert [s["range"] for s in plain["styles"]] == [[0, 4], [4, 9]]
    wrapped = cli.json("text-style", "say hello", "hello", "--keyword-font-size", "30")
    assert json.loads(wrapped["text_style"])["styles"][1]["size"] == 30


def test_a_bad_name_exits_2_with_the_servers_detail(cli: Cli) -> None:
    """In strict mode; without it the filter is skipped with a warning."""
    draft = cli.json("new")["draft_url"]
    skipped = cli.json("add-filter", draft, "no such filter", "--end", "1s")
    assert [w["code"] for w in skipped["warnings"]] == ["unknown_name_skipped"]
    assert skipped["segment_ids"] == []
    failed = cli.run(
        "add-filter", draft, "no such filter", "--end", "1s", "--json", "--strict", code=2
    )
    error = json.loads(failed.stdout)["error"]
    assert (error["code"], error["status"]) == ("unknown_name", 400)
    assert "filter_infos[0].filter_title" in error["detail"]
    assert "error: " in failed.stderr
