"""Which editor a draft folder is meant for, and what that editor reads.

Sources (see /docs/drafts.md): Windows Jianying <= 5.9 reads `draft_content.json`
(pyJianYingDraft#1, #128); Jianying 6+ on Windows and macOS and CapCut desktop read
`draft_info.json` (pyJianYingDraft PR #198, #107). Current builds keep a `Timelines/` folder:
`Timelines/project.json` names `main_timeline_id`, and the app reads
`Timelines/<main_timeline_id>/draft_info.json` when it exists (CapCut 9.2.8 Mac,
renezander030/capcut-cli#50); without `Timelines/` the app builds it from the root
`draft_info.json` on first open (CapCut 8.4, same issue). CapCut 8.7 on Windows was reported
to load `template-2.tmp` in preference to `draft_info.json` (capcut-cli#35).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

CONTENT_FILE = "draft_content.json"
INFO_FILE = "draft_info.json"
META_FILE = "draft_meta_info.json"
TEMPLATE_TMP = "template-2.tmp"
TIMELINES_PROJECT = "Timelines/project.json"


class App(StrEnum):
    JIANYING = "jianying"
    CAPCUT = "capcut"


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
        ),
        Profile(
            "jianying-5.9",
            "Jianying (剪映) 5.9 and older on Windows: reads draft_content.json",
            (CONTENT_FILE,),
            follows_timelines=False,
            prefers_template_tmp=False,
            apps=(App.JIANYING,),
        ),
        Profile(
            "jianying-6",
            "Jianying 6 and newer on Windows and macOS: reads draft_info.json",
            (INFO_FILE,),
            follows_timelines=False,
            prefers_template_tmp=False,
            apps=(App.JIANYING,),
        ),
        Profile(
            "jianying-timelines",
            "current Jianying with the Timelines/ layout: reads "
            "Timelines/<main_timeline_id>/draft_info.json when present, else draft_info.json",
            (INFO_FILE,),
            follows_timelines=True,
            prefers_template_tmp=False,
            apps=(App.JIANYING,),
        ),
        Profile(
            "capcut",
            "CapCut desktop (app_source cc): draft_info.json, the Timelines/ copy when present, "
            "and template-2.tmp on some 8.x builds",
            (INFO_FILE,),
            follows_timelines=True,
            prefers_template_tmp=True,
            apps=(App.CAPCUT,),
        ),
    )
}
DEFAULT_PROFILE = PROFILES["all"]


def profile_named(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(PROFILES)
        raise ValueError(f"unknown profile {name!r}; known profiles: {known}") from None
