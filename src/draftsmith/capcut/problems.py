"""What the draft validator reports: problems with a place, a severity and a fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    """The editor is known or likely to refuse the draft, lose media or show it wrongly."""
    WARNING = "warning"
    """The editor copes (tolerates or rewrites it), but the draft is not as it should be."""


@dataclass(frozen=True)
class Problem:
    severity: Severity
    file: str
    """Folder-relative path of the file; several when identical files share the problem."""
    where: str
    """JSON path inside the file, e.g. `tracks[2].segments[0].target_timerange`; "" = file."""
    problem: str
    fix: str

    def to_json(self) -> dict[str, str]:
        return {
            "severity": str(self.severity),
            "file": self.file,
            "where": self.where,
            "problem": self.problem,
            "fix": self.fix,
        }


def where(*parts: str | int) -> str:
    """`where("tracks", 2, "segments", 0)` -> "tracks[2].segments[0]"."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


@dataclass
class Problems:
    """Collects problems in the order they are found."""

    items: list[Problem] = field(default_factory=list)

    def add(self, severity: Severity, file: str, at: str, problem: str, fix: str) -> None:
        self.items.append(Problem(severity, file, at, problem, fix))

    def error(self, file: str, at: str, problem: str, fix: str) -> None:
        self.add(Severity.ERROR, file, at, problem, fix)

    def warning(self, file: str, at: str, problem: str, fix: str) -> None:
        self.add(Severity.WARNING, file, at, problem, fix)

    def in_file(self, file: str) -> FileProblems:
        return FileProblems(self, file)


@dataclass(frozen=True)
class FileProblems:
    """Problems of one file (or of several identical files reported once)."""

    sink: Problems
    file: str

    def error(self, at: str, problem: str, fix: str) -> None:
        self.sink.error(self.file, at, problem, fix)

    def warning(self, at: str, problem: str, fix: str) -> None:
        self.sink.warning(self.file, at, problem, fix)

    def add(self, severity: Severity, at: str, problem: str, fix: str) -> None:
        self.sink.add(severity, self.file, at, problem, fix)


@dataclass(frozen=True)
class Report:
    """The outcome of validating one draft folder for one profile."""

    profile: str
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        """True when nothing is an error; warnings do not make a draft invalid."""
        return not self.errors

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def to_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "profile": self.profile,
            "problems": [p.to_json() for p in self.problems],
        }
