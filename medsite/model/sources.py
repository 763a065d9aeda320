"""Markdown sources read once as bytes, so every check sees the same content and encoding problems surface."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from medsite.core.problems import Problem, ProblemsError
from medsite.markdown.links import MarkdownScan
from medsite.model.article import is_article_path
from medsite.model.project import Project

BOM = b"\xef\xbb\xbf"


def page_text(raw: bytes) -> str:
    """A page's text as MkDocs reads it (`File.content_string`): UTF-8 with or without a BOM, universal
    newlines; UnicodeDecodeError when the bytes are not UTF-8."""
    return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Source:
    """One Markdown file: where it is, how problems name it, and its raw bytes."""

    path: Path  # absolute
    display: str  # the name problem lines use
    docs_path: str | None  # posix path below docs_dir ("articles/a.md"); None outside docs_dir
    raw: bytes

    @property
    def is_article(self) -> bool:
        """Whether the file is an article (under docs/articles/)."""
        return bool(self.docs_path and is_article_path(self.docs_path))

    @cached_property
    def text(self) -> str | None:
        """Decoded text without BOM and with LF line endings; None when the bytes are not UTF-8.

        Hygiene problems (BOM, CRLF) are reported once by `source_checks`; the other checks read through
        them so one mistake does not hide the rest.
        """
        try:
            text = self.raw.removeprefix(BOM).decode("utf-8")
        except UnicodeDecodeError:
            return None
        return text.replace("\r\n", "\n")

    @cached_property
    def scan(self) -> MarkdownScan:
        """Links, headings and anchors of the text, scanned once for every check that asks."""
        return MarkdownScan(self.text or "")


def read_source(project: Project, path: Path) -> Source:
    """One file read as bytes, named as problems name it."""
    path = path.resolve()
    try:
        docs_path: str | None = path.relative_to(project.docs_dir).as_posix()
    except ValueError:
        docs_path = None
    return Source(path=path, display=project.display(path), docs_path=docs_path, raw=path.read_bytes())


def load_sources(project: Project, paths: Iterable[Path | str] = ()) -> list[Source]:
    """The given files (folders are searched for *.md), or every .md under docs_dir when none are given."""
    wanted = [Path(p) for p in paths] or [project.docs_dir]
    files: list[Path] = []
    problems: list[Problem] = []
    for path in wanted:
        if path.is_dir():
            files.extend(sorted(path.rglob("*.md")))
        elif not path.exists():
            problems.append(Problem(str(path), None, "no such file or folder; expected a Markdown file"))
        elif path.suffix != ".md":
            problems.append(Problem(str(path), None, "not a Markdown file; expected a .md file"))
        else:
            files.append(path)
    if problems:
        raise ProblemsError(problems)
    unique = dict.fromkeys(path.resolve() for path in files)
    return [read_source(project, path) for path in unique]
