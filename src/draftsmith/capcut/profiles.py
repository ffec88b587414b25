"""Which editor a draft folder is meant for, and what that editor reads.

Sources (see /docs/drafts.md): Windows Jianying <= 5.9 reads `draft_content.json`
(pyJianYingDraft#1, #128); Jianying 6+ on Windows and macOS and CapCut desktop read
`draft_info.json` (pyJianYingDraft PR #198, #107). Current builds keep a `Timelines/` folder:
`Timelines/project.json` names `main_timeline_id`, and the app reads
`Timelines/<main_timeline_id>/draft_info.json` when it exists (CapCut 9.2.8 Mac,
renezander030/capcut-cli#50); without `Timelines/` the app builds it from the root
`draft_info.json` on first open (CapCut 8.4, same issue). CapCut 8.7 on Windows was reported
to load `template-2.tmp` in preference to `draft_info.json` (capcut-cli#35).

The encoder writes, for a profile, the root files it reads (`reads`), the `Timelines/` copy when
`writes_timelines`, and `platform`: Jianying is app 3704 / "lv", CapCut 359289 / "cc"
(pyJianYingDraft's template; CapCut drafts quoted in renezander030/capcut-cli issues). A
version is the oldest build of its range where one is known (5.9.0, 6.0.0), so no editor of
the range meets a draft from a newer app than itself; otherwise a build whose drafts we have
evidence from (Jianying 10.6, see `meta`; CapCut 8.5, capcut-cli#60). The schema version
(`new_version`) stays the template's: it is what we write.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from draftsmith.timeline.model import DEFAULT_PROFILE_NAME

CONTENT_FILE = "draft_content.json"
INFO_FILE = "draft_info.json"
META_FILE = "draft_meta_info.json"
TEMPLATE_TMP = "template-2.tmp"
TIMELINES_PROJECT = "Timelines/project.json"


class App(StrEnum):
    JIANYING = "jianying"
    CAPCUT = "capcut"


@dataclass(frozen=True)
class Platform:
    """The timeline's `platform` and `last_modified_platform`: the app that wrote it."""

    app_id: int
    app_source: str
    """"lv" for Jianying (剪映), "cc" for CapCut."""
    app_version: str
    os: str

    def to_json(self) -> dict[str, Any]:
        return {
            "app_id": self.app_id,
            "app_source": self.app_source,
            "app_version": self.app_version,
            "os": self.os,
        }


def _jianying(version: str) -> Platform:
    return Platform(3704, "lv", version, "windows")


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    reads: tuple[str, ...]
    """Root timeline files the editor reads; each must exist and hold plain JSON."""
    follows_timelines: bool
    """Reads `Timelines/<main_timeline_id>/draft_info.json` when `Timelines/project.json` exists."""
    prefers_template_tmp: bool
    """May load `template-2.tmp` instead of `draft_info.json` when both exist."""
    apps: tuple[App, ...]
    """Editors whose drafts root an install for this profile may go to."""
    platform: Platform
    """What the encoder stamps as the app that wrote the timeline."""
    writes_timelines: bool
    """The encoder also writes `Timelines/project.json` and the nested copy it names."""

    @property
    def json_file(self) -> str:
        """The timeline file the editor's draft list points at (root_meta_info draft_json_file)."""
        return self.reads[-1]


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "all",
            "every editor below: both timeline files present and identical",
            (CONTENT_FILE, INFO_FILE),
            follows_timelines=True,
            prefers_template_tmp=True,
            apps=(App.JIANYING, App.CAPCUT),
            platform=_jianying("5.9.0"),
            writes_timelines=False,
        ),
        Profile(
            "jianying-5.9",
            "Jianying (剪映) 5.9 and older on Windows: reads draft_content.json",
            (CONTENT_FILE,),
            follows_timelines=False,
            prefers_template_tmp=False,
            apps=(App.JIANYING,),
            platform=_jianying("5.9.0"),
            writes_timelines=False,
        ),
        Profile(
            "jianying-6",
            "Jianying 6 and newer on Windows and macOS: reads draft_info.json",
            (INFO_FILE,),
            follows_timelines=False,
            prefers_template_tmp=False,
            apps=(App.JIANYING,),
            platform=_jianying("6.0.0"),
            writes_timelines=False,
        ),
        Profile(
            "jianying-timelines",
            "current Jianying with the Timelines/ layout: reads "
            "Timelines/<main_timeline_id>/draft_info.json when present, else draft_info.json",
            (INFO_FILE,),
            follows_timelines=True,
            prefers_template_tmp=False,
            apps=(App.JIANYING,),
            platform=_jianying("10.6.0"),
            writes_timelines=True,
        ),
        Profile(
            "capcut",
            "CapCut desktop (app_source cc): draft_info.json, the Timelines/ copy when present, "
            "and template-2.tmp on some 8.x builds",
            (INFO_FILE,),
            follows_timelines=True,
            prefers_template_tmp=True,
            apps=(App.CAPCUT,),
            # CapCut 8.5 (macOS) opened root-only tool drafts and built Timelines/ from them
            # byte for byte (capcut-cli#60); shipping the copy covers 9.2.8, which reads it.
            platform=Platform(359289, "cc", "8.5.0", "mac"),
            writes_timelines=True,
        ),
    )
}
DEFAULT_PROFILE = PROFILES[DEFAULT_PROFILE_NAME]


def profile_named(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(PROFILES)
        raise ValueError(f"unknown profile {name!r}; known profiles: {known}") from None
