"""Where Jianying (剪映) and CapCut desktop keep their drafts on this machine.

Each drafts root holds one folder per draft plus `root_meta_info.json`, the editor's list of
drafts. Locations: pyJianYingDraft README and renezander030/capcut-cli
docs/version-support.md (Windows %LOCALAPPDATA%, macOS ~/Movies); the Mac App Store build of
Jianying is sandboxed under ~/Library/Containers/com.lemon.lvpro.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from draftsmith.capcut.profiles import App, Profile
from draftsmith.errors import InvalidInput

_PROJECTS = ("User Data", "Projects", "com.lveditor.draft")
_APP_FOLDERS = {App.JIANYING: "JianyingPro", App.CAPCUT: "CapCut"}


class DraftsRootUnknown(InvalidInput):
    """No drafts root was given and none can be told apart on this machine."""

    code = "drafts_root_unknown"
    default_detail = "Cannot tell where the editor keeps its drafts; pass --drafts-root"


@dataclass(frozen=True)
class Host:
    """The facts about this machine that decide where drafts live."""

    system: str = field(default_factory=platform.system)
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    home: Path = field(default_factory=Path.home)


def candidate_roots(app: App, host: Host) -> list[Path]:
    """Where `app` keeps drafts on `host`, most usual first; empty when unknown."""
    folder = _APP_FOLDERS[app]
    if host.system == "Windows":
        local = Path(host.env.get("LOCALAPPDATA") or host.home / "AppData" / "Local")
        return [local.joinpath(folder, *_PROJECTS)]
    if host.system == "Darwin":
        roots = [host.home.joinpath("Movies", folder, *_PROJECTS)]
        if app is App.JIANYING:
            container = host.home / "Library" / "Containers" / "com.lemon.lvpro" / "Data"
            roots.append(container.joinpath("Movies", folder, *_PROJECTS))
        return roots
    return []


def find_drafts_root(
    profile: Profile, host: Host, is_dir: Callable[[Path], bool] = Path.is_dir
) -> Path:
    """The one existing drafts root of the editors `profile` targets, or DraftsRootUnknown."""
    candidates = [root for app in profile.apps for root in candidate_roots(app, host)]
    if not candidates:
        raise DraftsRootUnknown(
            f"Jianying and CapCut keep drafts only on Windows and macOS, not on {host.system}; "
            "pass --drafts-root DIR (the folder that holds root_meta_info.json)"
        )
    found = [root for root in candidates if is_dir(root)]
    if len(found) == 1:
        return found[0]
    listed = "; ".join(str(root) for root in (found or candidates))
    if not found:
        raise DraftsRootUnknown(
            f"no drafts folder found (looked in: {listed}); open the editor once, or pass "
            "--drafts-root DIR"
        )
    raise DraftsRootUnknown(
        f"several drafts folders found ({listed}); choose one with --profile "
        "(capcut, jianying-6, ...) or --drafts-root DIR"
    )
