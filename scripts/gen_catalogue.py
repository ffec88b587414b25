"""Regenerate src/draftsmith/catalogue/pyjianyingdraft.json from the installed pyjianyingdraft.

Usage: .venv/bin/python scripts/gen_catalogue.py  (pyjianyingdraft comes with the test extra)

The catalogue of effects, filters, animations, transitions, fonts and masks is the metadata
that pyJianYingDraft (Apache-2.0, https://github.com/GuanYixuan/pyJianYingDraft) maintains in
pyJianYingDraft/metadata/. The server reads the generated JSON and never imports the package,
which pulls pymediainfo and imageio in at import time. Bump the pin of pyjianyingdraft in
pyproject.toml, run this script, and tests/parity/test_catalogue.py checks the two agree.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pyJianYingDraft import metadata

TARGET = Path(__file__).resolve().parent.parent / "src/draftsmith/catalogue/pyjianyingdraft.json"

# Catalogue kind -> the metadata enum it is read from (order is the order entries are listed).
SOURCES: dict[str, Any] = {
    "text_intro": metadata.TextIntro,
    "text_outro": metadata.TextOutro,
    "text_loop": metadata.TextLoopAnim,
    "video_intro": metadata.IntroType,
    "video_outro": metadata.OutroType,
    "video_group": metadata.GroupAnimationType,
    "scene_effect": metadata.VideoSceneEffectType,
    "character_effect": metadata.VideoCharacterEffectType,
    "filter": metadata.FilterType,
    "transition": metadata.TransitionType,
    "font": metadata.FontType,
    "mask": metadata.MaskType,
    "mix_mode": metadata.MixModeType,
    "audio_scene_effect": metadata.AudioSceneEffectType,
    "tone_effect": metadata.ToneEffectType,
    "speech_to_song": metadata.SpeechToSongType,
}


def entry(member: Any) -> dict[str, Any]:
    """One enum member as a JSON object; which keys appear depends on the metadata class."""
    meta = member.value
    name = getattr(meta, "title", None) or meta.name
    item: dict[str, Any] = {
        "name": name,
        "member": member.name,
        "is_vip": bool(getattr(meta, "is_vip", False)),
        "resource_id": meta.resource_id,
        "effect_id": meta.effect_id,
    }
    if isinstance(meta, metadata.AnimationMeta):
        item["duration_us"] = meta.duration
    if hasattr(meta, "default_duration"):
        item["duration_us"] = meta.default_duration
        item["is_overlap"] = meta.is_overlap
    if hasattr(meta, "resource_type"):
        item["resource_type"] = meta.resource_type
        item["default_aspect_ratio"] = meta.default_aspect_ratio
    params = getattr(meta, "params", None)
    if params:
        item["params"] = [
            {
                "name": p.name,
                "default": p.default_value,
                "min": p.min_value,
                "max": p.max_value,
            }
            for p in params
        ]
    return item


def render() -> str:
    """The whole file: one entry per line, so that a regeneration diffs line by line."""
    header = {"package": "pyjianyingdraft", "version": version("pyjianyingdraft")}
    lines = ["{", f'"source": {json.dumps(header)},', '"kinds": {']
    kinds = list(SOURCES.items())
    for index, (kind, enum) in enumerate(kinds):
        items = [json.dumps(entry(member), ensure_ascii=False) for member in enum]
        lines.append(f'"{kind}": [')
        lines.append(",\n".join(items))
        lines.append("]" + ("," if index < len(kinds) - 1 else ""))
    lines += ["}", "}"]
    return "\n".join(lines) + "\n"


def main() -> int:
    text = render()
    json.loads(text)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
