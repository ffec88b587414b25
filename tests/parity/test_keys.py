"""With API keys on, the helper and catalogue verbs need a key too, and easy_create_material
cannot reach another key's draft."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from support.api import ApiOpener
from support.server import ServerProcess

KEY_A = "ds_parity-key-alice-0123456789abcdef"
KEY_B = "ds_parity-key-bob-0123456789abcdef00"
ENV = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1", "DRAFTSMITH_API_KEYS": f"{KEY_A},{KEY_B}"}
VERBS = [
    "str_to_list",
    "str_list_to_objs",
    "objs_to_str_list",
    "get_url",
    "timelines",
    "audio_timelines",
    "get_audio_duration",
    "imgs_infos",
    "video_infos",
    "audio_infos",
    "caption_infos",
    "effect_infos",
    "filter_infos",
    "keyframes_infos",
    "add_text_style",
    "easy_create_material",
    "get_text_animations",
    "get_image_animations",
    "get_effects",
    "get_filters",
    "get_text_effects",
    "search_sticker",
    "list_catalogue",
    "lookup_name",
]


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("keyed") / "data", env=ENV) as process:
        yield process


@pytest.mark.parametrize("verb", VERBS)
def test_verbs_need_a_key(keyed: ServerProcess, apis: ApiOpener, verb: str) -> None:
    response = apis(keyed.base_url).post(verb, {})
    assert response.status_code == 401, (verb, response.text)


def test_every_parity_verb_is_listed_here(keyed: ServerProcess) -> None:
    with httpx.Client(trust_env=False) as http:
        paths = http.get(f"{keyed.base_url}/openapi.json").json()["paths"]
    tagged = {
        path.rsplit("/", 1)[-1]
        for path, item in paths.items()
        if {"workflow helpers", "catalogue"} & set(item.get("post", {}).get("tags", []))
    }
    assert tagged == set(VERBS)


def test_easy_create_material_on_another_keys_draft(keyed: ServerProcess, apis: ApiOpener) -> None:
    alice, bob = apis(keyed.base_url, KEY_A), apis(keyed.base_url, KEY_B)
    draft_url = bob.create_draft()
    body = {"draft_url": draft_url, "audio_url": "http://127.0.0.1:9/none.mp3"}
    response = alice.post("easy_create_material", body)
    assert response.status_code == 404, response.text
    assert alice.ok("timelines", {"duration": 10, "num": 2})["timelines"]
