"""Finding the editor's drafts folder on Windows and macOS, and refusing to guess elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from draftsmith.capcut.profiles import PROFILES
from draftsmith.editor.roots import DraftsRootUnknown, Host, candidate_roots, find_drafts_root

HOME = Path("/home/me")
PROJECTS = Path("User Data/Projects/com.lveditor.draft")
WINDOWS = Host("Windows", {"LOCALAPPDATA": "/c/Users/me/AppData/Local"}, HOME)
MAC = Host("Darwin", {}, HOME)


def test_windows_locations() -> None:
    local = Path("/c/Users/me/AppData/Local")
    roots = {
        name: find_drafts_root(PROFILES[name], WINDOWS, lambda p: True)
        for name in ("jianying-6", "capcut")
    }
    assert roots == {
        "jianying-6": local / "JianyingPro" / PROJECTS,
        "capcut": local / "CapCut" / PROJECTS,
    }


def test_windows_without_localappdata_uses_the_home_folder() -> None:
    host = Host("Windows", {}, HOME)
    assert candidate_roots(PROFILES["capcut"].apps[0], host) == [
        HOME / "AppData" / "Local" / "CapCut" / PROJECTS
    ]


def test_macos_locations_include_the_sandboxed_jianying() -> None:
    sandboxed = HOME / "Library/Containers/com.lemon.lvpro/Data/Movies/JianyingPro" / PROJECTS
    found = find_drafts_root(PROFILES["jianying-6"], MAC, lambda p: p == sandboxed)
    assert found == sandboxed
    capcut = find_drafts_root(PROFILES["capcut"], MAC, lambda p: True)
    assert capcut == HOME / "Movies" / "CapCut" / PROJECTS


def test_profile_all_takes_the_only_editor_installed() -> None:
    capcut = HOME / "Movies" / "CapCut" / PROJECTS
    assert find_drafts_root(PROFILES["all"], MAC, lambda p: p == capcut) == capcut


def test_two_editors_installed_is_a_question_not_a_guess() -> None:
    with pytest.raises(DraftsRootUnknown, match="several drafts folders found"):
        find_drafts_root(PROFILES["all"], WINDOWS, lambda p: True)


def test_no_editor_installed() -> None:
    with pytest.raises(DraftsRootUnknown, match="no drafts folder found"):
        find_drafts_root(PROFILES["capcut"], WINDOWS, lambda p: False)


def test_linux_needs_drafts_root() -> None:
    with pytest.raises(DraftsRootUnknown, match="pass --drafts-root DIR") as raised:
        find_drafts_root(PROFILES["all"], Host("Linux", {}, HOME))
    assert raised.value.exit_code == 2
