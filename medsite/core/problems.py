"""One shape for every user mistake, so the build, the check command and CI print the same line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


def display_path(path: Path, root: Path) -> str:
    """A file as problems name it: relative to the project root when inside it (both already resolved)."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


@dataclass(frozen=True)
class Problem:
    """A finding about one place in one file: what was found and what was expected."""

    path: str
    line: int | None
    message: str
    col: int | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.severity}: {self.message}"

    def github_annotation(self) -> str:
        """The same finding as a GitHub Actions workflow command."""
        parts = [f"file={self.path}"]
        if self.line is not None:
            parts.append(f"line={self.line}")
        if self.col is not None:
            parts.append(f"col={self.col}")
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.severity} {','.join(parts)}::{message}"


class ProblemsError(Exception):
    """Raised when input cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def sort_key(problem: Problem) -> tuple[str, int, int, str]:
    """File order, then line and column; problems without a line come first in their file."""
    return (problem.path, problem.line or 0, problem.col or 0, problem.message)


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that fail any build (warnings fail only strict ones)."""
    return [p for p in problems if p.severity == "error"]
