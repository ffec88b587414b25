"""The client and the CLI against a real server: what the server adjusts comes back as
`warnings` (and as `warning:` lines on stderr), `strict=True` / `--strict` / DRAFTSMITH_STRICT
make it refuse instead, with the error it always gave."""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner, Result

from draftsmith.cli import main
from draftsmith.client import (
    SECOND,
    AsyncClient,
    Audio,
    Caption,
    CaptionStyle,
    Client,
    SegmentAudioEffect,
)
from draftsmith.errors import InvalidInput, UnknownName
from support.media_server import MediaServer
from support.server import ServerProcess

LONGER = "audio_infos[0]: the segment lasts 5000000 us but the audio lasts 3000000 us"


def _client(server: ServerProcess, strict: bool | None = None) -> Client:
    return Client(server.base_url, trust_env=False, strict=strict)


def test_edits_return_what_was_adjusted(
    shared_server: ServerProcess, media_server: MediaServer
) -> None:
    audio = Audio(media_server.url("tone.mp3"), 0, 5 * SECOND)
    with _client(shared_server) as client:
        draft = client.create_draft(640, 360).draft_url
        result = client.add_audios(draft, [audio])
        assert [(w.field, w.code) for w in result.warnings] == [
            ("audio_infos[0].end", "clamped_to_media")
        ]
        assert result.segments[0].end == 3 * SECOND
        [track] = client.get_draft_info(draft).tracks
        [segment] = track.segments
        assert segment.warnings == result.warnings
        quiet = client.add_captions(draft, [Caption("hi", 0, SECOND)])
        assert quiet.warnings == ()
        voiced = [
            Audio(media_server.url("tone.mp3"), 0, SECOND, audio_effect="大叔"),
            Audio(media_server.url("tone.mp3"), SECOND, 2 * SECOND, audio_effect="reverb"),
        ]
        sounds = client.add_audios(draft, voiced)
        assert [(w.field, w.code) for w in sounds.warnings] == [
            ("audio_infos[1].audio_effect", "unknown_name_skipped")
        ]
        voiced_track = client.get_draft_info(draft).tracks[-1]
        assert voiced_track.id == sounds.track_id
        assert [s.audio_effect for s in voiced_track.segments] == [
            SegmentAudioEffect("大叔", "tone"),
            None,
        ]


def test_strict_client_is_refused_as_before(
    shared_server: ServerProcess, media_server: MediaServer
) -> None:
    audio = Audio(media_server.url("tone.mp3"), 0, 5 * SECOND)
    with _client(shared_server, strict=True) as client:
        draft = client.create_draft(640, 360).draft_url
        with pytest.raises(InvalidInput) as refused:
            client.add_audios(draft, [audio])
        assert refused.value.detail.startswith(LONGER)
        assert client.get_draft_info(draft).tracks == ()


def test_async_client_has_the_strict_option(
    shared_server: ServerProcess, media_server: MediaServer
) -> None:
    async def both() -> tuple[int, str]:
        style = CaptionStyle(font="nope-font")
        async with AsyncClient(shared_server.base_url, trust_env=False) as client:
            draft = (await client.create_draft()).draft_url
            added = await client.add_captions(draft, [Caption("hi", 0, SECOND)], style)
        async with AsyncClient(shared_server.base_url, trust_env=False, strict=True) as client:
            draft = (await client.create_draft()).draft_url
            try:
                await client.add_captions(draft, [Caption("hi", 0, SECOND)], style)
            except UnknownName as error:
                return len(added.warnings), error.detail
        raise AssertionError("strict add_captions was not refused")

    count, detail = asyncio.run(both())
    assert count == 1
    assert detail.startswith('font: unknown font "nope-font"')


def _run(server: ServerProcess, *args: str, code: int = 0, strict: str | None = None) -> Result:
    env = {"DRAFTSMITH_SERVER": server.base_url}
    if strict is not None:
        env["DRAFTSMITH_STRICT"] = strict
    result = CliRunner().invoke(main, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == code, (args, result.stdout, result.stderr)
    return result


def test_cli_warns_and_refuses_when_strict(shared_server: ServerProcess) -> None:
    draft = _run(shared_server, "new").stdout.strip()
    caption = ("add-caption", draft, "hello", "--end", "1s", "--font", "nope-font")
    added = _run(shared_server, *caption)
    assert 'warning: font: unknown font "nope-font"' in added.stderr
    document = json.loads(_run(shared_server, *caption, "--json").stdout)
    assert [w["code"] for w in document["warnings"]] == ["unknown_name_skipped"]
    exit_code = UnknownName.kind.exit_code
    refused = _run(shared_server, *caption, "--strict", code=exit_code)
    assert 'font: unknown font "nope-font"' in refused.stderr
    _run(shared_server, *caption, strict="1", code=exit_code)
    _run(shared_server, *caption, "--no-strict", strict="1")
