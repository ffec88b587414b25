"""Validate any draft folder (ours or another tool's) for the editor it is meant for.

The core is pure: a folder is a mapping of its JSON files plus an `exists` callback for media,
so the same checks run on a folder on disk, a zip, or a saved version in the store (see
`draftsmith.editor.sources`). Each problem names its file, its JSON path, a severity and a fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from draftsmith.capcut.locations import Location, escapes
from draftsmith.capcut.meta_checks import FolderFacts, check_meta
from draftsmith.capcut.problems import Problems, Report, Severity
from draftsmith.capcut.profiles import (
    CONTENT_FILE,
    DEFAULT_PROFILE,
    INFO_FILE,
    META_FILE,
    TEMPLATE_TMP,
    TIMELINES_PROJECT,
    Profile,
)
from draftsmith.capcut.timeline_checks import check_timeline

__all__ = ["DraftFiles", "FolderFacts", "Report", "parse_json_file", "validate_folder"]

Json = dict[str, Any]
_BASE64ISH = re.compile(r"[A-Za-z0-9+/=_\-\s]+")
_BOTH = f"{CONTENT_FILE}, {INFO_FILE}"


@dataclass(frozen=True)
class DraftFiles:
    """A draft folder as the validator sees it."""

    files: Mapping[str, bytes]
    """The folder's JSON (and .tmp) files by "/"-separated folder-relative path."""
    exists: Callable[[str], bool]
    """Whether a file is there: given a folder-relative path or an absolute path."""
    facts: FolderFacts = field(default_factory=FolderFacts)


def parse_json_file(data: bytes) -> tuple[Any, str | None]:
    """(parsed value, None), or (None, why the bytes are not a plain JSON document)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "is not UTF-8 text (encrypted or binary)"
    try:
        return json.loads(text), None
    except ValueError as exc:
        stripped = text.strip()
        if len(stripped) >= 16 and stripped[0] not in "{[" and _BASE64ISH.fullmatch(stripped):
            return None, "is encrypted (a base64 blob, as Jianying 6+ re-saves drafts), not JSON"
        return None, f"is not valid JSON ({exc})"


_UNREADABLE_FIX = (
    "write plain UTF-8 JSON: editors open plain drafts (and encrypt them on save); "
    "an encrypted timeline cannot be checked or edited by tools"
)


class _Check:
    def __init__(self, draft: DraftFiles, profile: Profile) -> None:
        self.draft = draft
        self.profile = profile
        self.out = Problems()

    def media_exists(self, location: Location) -> bool:
        if location.relative is not None:
            return not escapes(location.relative) and self.draft.exists(location.relative)
        return self.draft.exists(location.absolute or "")

    def load(self, name: str, severity: Severity) -> Json | None:
        """The JSON object in `name`, or None after reporting why not with `severity`."""
        data = self.draft.files.get(name)
        if data is None:
            return None
        value, trouble = parse_json_file(data)
        if trouble is None and not isinstance(value, dict):
            trouble = "does not hold a JSON object"
        if trouble is not None:
            self.out.add(severity, name, "", trouble, _UNREADABLE_FIX)
            return None
        return value if isinstance(value, dict) else None

    def severity(self, read: bool) -> Severity:
        return Severity.ERROR if read else Severity.WARNING

    def root_timelines(self) -> dict[str, Json]:
        loaded = {}
        for name in (CONTENT_FILE, INFO_FILE):
            read = name in self.profile.reads
            if name not in self.draft.files:
                if read:
                    other = INFO_FILE if name == CONTENT_FILE else CONTENT_FILE
                    fix = "write the timeline"
                    if other in self.draft.files:
                        fix = f"copy {other} to {name} (same format)"
                    self.out.error(name, "", f"is missing; {self.profile.description}", fix)
                continue
            doc = self.load(name, self.severity(read))
            if doc is not None:
                loaded[name] = doc
        if len(loaded) == 2 and loaded[CONTENT_FILE] != loaded[INFO_FILE]:
            both_read = set(self.profile.reads) == {CONTENT_FILE, INFO_FILE}
            self.out.add(
                self.severity(both_read),
                _BOTH,
                "",
                "differ: Jianying <= 5.9 reads draft_content.json and newer editors "
                "draft_info.json, so they show different timelines",
                "write the same bytes to both files",
            )
        return loaded

    def nested_timeline(self, root_info: Json | None) -> tuple[str, Json] | None:
        """`Timelines/<main_timeline_id>/draft_info.json`, which current editors read."""
        severity = self.severity(self.profile.follows_timelines)
        rebuild = "remove Timelines/ to let the editor rebuild it from draft_info.json"
        if TIMELINES_PROJECT not in self.draft.files:
            if any(name.startswith("Timelines/") for name in self.draft.files):
                self.out.warning("Timelines/", "", "has no project.json", rebuild)
            return None
        project = self.load(TIMELINES_PROJECT, severity)
        main = project.get("main_timeline_id") if project is not None else None
        if project is not None and not isinstance(main, str):
            self.out.add(severity, TIMELINES_PROJECT, "main_timeline_id", "is missing", rebuild)
        if not isinstance(main, str):
            return None
        name = f"Timelines/{main}/{INFO_FILE}"
        if name not in self.draft.files:
            self.out.add(
                severity,
                TIMELINES_PROJECT,
                "main_timeline_id",
                f"names {name}, which is missing",
                f"copy draft_info.json there, or {rebuild}",
            )
            return None
        doc = self.load(name, severity)
        if doc is not None and root_info is not None and doc != root_info:
            self.out.add(
                severity,
                name,
                "",
                "differs from the root draft_info.json; current editors read this copy, so "
                "the root file's timeline is not what they show",
                f"write the same timeline to both, or {rebuild}",
            )
        return None if doc is None else (name, doc)

    def template_tmp(self, root_info: Json | None) -> None:
        if TEMPLATE_TMP not in self.draft.files or root_info is None:
            return
        value, trouble = parse_json_file(self.draft.files[TEMPLATE_TMP])
        if trouble is None and value != root_info:
            self.out.add(
                self.severity(self.profile.prefers_template_tmp),
                TEMPLATE_TMP,
                "",
                "differs from draft_info.json; CapCut 8.7 (Windows) was reported to load "
                "template-2.tmp instead (renezander030/capcut-cli#35)",
                "write the same timeline to template-2.tmp, or delete it",
            )

    def run(self) -> Report:
        roots = self.root_timelines()
        nested = self.nested_timeline(roots.get(INFO_FILE))
        self.template_tmp(roots.get(INFO_FILE))
        read = [(name, roots[name]) for name in self.profile.reads if name in roots]
        if nested is not None and self.profile.follows_timelines:
            read.append(nested)
        groups: list[tuple[list[str], Json]] = []
        for name, doc in read:
            same = next((g for g in groups if g[1] == doc), None)
            if same is None:
                groups.append(([name], doc))
            else:
                same[0].append(name)
        for names, doc in groups:
            check_timeline(doc, self.out.in_file(", ".join(names)), self.media_exists)
        timeline = groups[-1][1] if groups else next(iter(roots.values()), None)
        if META_FILE not in self.draft.files:
            self.out.error(
                META_FILE,
                "",
                "is missing; the editor's draft list and media check read it",
                "write it (pyJianYingDraft's template filled in); `draftsmith install` adds one",
            )
        else:
            meta = self.load(META_FILE, Severity.ERROR)
            if meta is not None:
                check_meta(
                    meta, timeline, self.draft.facts, self.out.in_file(META_FILE), self.media_exists
                )
        return Report(self.profile.name, tuple(self.out.items))


def validate_folder(draft: DraftFiles, profile: Profile = DEFAULT_PROFILE) -> Report:
    """Every problem of the draft folder `draft` for editors of `profile`."""
    return _Check(draft, profile).run()
