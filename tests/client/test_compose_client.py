"""compose from the client (sync and async) and from `draftsmith compose`, against a real
server: a YAML spec rendered with progress, and a bad spec's problems with their pointers."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
import yaml
from click.testing import CliRunner

from client.conftest import MediaUrls
from draftsmith.cli import main
from draftsmith.client import AsyncClient, Client
from draftsmith.errors import InvalidSpec
from support.event_loop import run_coroutine
from support.server import ServerProcess

S = 1_000_000


def _one(kind: str, url_field: str, url: str) -> dict[str, object]:
    return {"type": kind, "items": [{url_field: url, "start": 0, "end": S}]}


def test_a_yaml_spec_is_rendered_with_progress(
    shared_server: ServerProcess, media_urls: MediaUrls, tmp_path: Path
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        yaml.safe_dump(
            {
                "width": 320,
                "height": 240,
                "tracks": [
                    {
                        "type": "video",
                        "items": [{"video_url": media_urls.video, "start": 0, "end": S}],
                    },
                    {"type": "caption", "items": [{"text": "composed", "start": 0, "end": S}]},
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    output = tmp_path / "out.mp4"
    env = {"DRAFTSMITH_SERVER": shared_server.base_url}

    shown = CliRunner().invoke(
        main, ["compose", str(spec), "--render", "-o", str(output), "--interval", "0.2"], env=env
    )

    assert shown.exit_code == 0, (shown.stdout, shown.stderr)
    assert "/get_draft?draft_id=" in shown.stdout
    assert "rendering" in shown.stderr
    with av.open(str(output)) as container:
        assert container.streams.video[0].codec_context.width == 320


def test_a_bad_spec_raises_with_every_pointer(client: Client, media_urls: MediaUrls) -> None:
    spec = {
        "tracks": [
            {
                "type": "audio",
                "items": [
                    {"audio_url": media_urls.audio, "start": 0, "end": S},
                    {"audio_url": media_urls.audio, "start": 2 * S, "end": S},
                ],
            },
            {"type": "filter", "items": [{"filter_title": "no such filter", "start": 0, "end": S}]},
        ]
    }

    # Strict: an unknown filter is otherwise skipped with a warning.
    client.strict = True
    try:
        with pytest.raises(InvalidSpec) as caught:
            client.compose(spec)
    finally:
        client.strict = None

    pointers = [pointer for pointer, _ in caught.value.problems]
    assert pointers[0].startswith("/tracks/0/items/1")
    assert pointers[1].startswith("/tracks/1/items/0")


def test_the_async_client_composes_onto_an_existing_draft(
    shared_server: ServerProcess, client: Client, media_urls: MediaUrls
) -> None:
    draft = client.create_draft(320, 240)

    async def compose() -> None:
        async with AsyncClient(shared_server.base_url, trust_env=False) as async_client:
            made = await async_client.compose(
                {
                    "draft_url": draft.draft_id,
                    "save": True,
                    "tracks": [
                        {
                            "type": "image",
                            "items": [{"image_url": media_urls.image, "start": 0, "end": S}],
                        }
                    ],
                }
            )
            assert (made.draft_id, made.version, len(made.track_ids)) == (draft.draft_id, 1, 1)

    run_coroutine(compose())
    assert len(client.get_draft_info(draft.draft_url).tracks) == 1
