"""Input hygiene: byte-level mistakes (encoding, BOM, line endings, tabs in YAML) editors hide from authors.

They are checked on the raw bytes before anything parses the file, so the author hears about the real cause
instead of a confusing YAML or Markdown error further down.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medsite.core.problems import Problem
from medsite.markdown.frontmatter import split
from medsite.model.project import Project
from medsite.model.sources import BOM, Source

_OPENING = re.compile(r"-{3}[ \t]*(?:\n|$)")


def check_source_bytes(path: str, raw: bytes, *, needs_front_matter: bool = True) -> list[Problem]:
    """Problems with the bytes of one Markdown file; `needs_front_matter` is true for articles."""
    return [*_marker_problems(path, raw), *reading_problems(path, raw, needs_front_matter=needs_front_matter)]


def reading_problems(path: str, raw: bytes, *, needs_front_matter: bool = True) -> list[Problem]:
    """The mistakes that keep the file from being read as written: an empty file, bytes that are not
    UTF-8, front matter that is missing (articles), unclosed or indented with tabs. A BOM and CRLF are
    not among them: every reader here reads through those."""
    if not raw.strip():
        return [Problem(path, 1, "the file is empty; expected YAML front matter and the article body", 1)]
    text = raw.removeprefix(BOM).decode("utf-8", errors="replace").replace("\r\n", "\n")
    return [*encoding_problems(path, raw), *_front_matter_problems(path, text, needs_front_matter)]


def _marker_problems(path: str, raw: bytes) -> list[Problem]:
    """A byte-order mark and Windows line endings in a file that is not empty."""
    if not raw.strip():
        return []
    problems = []
    if raw.startswith(BOM):
        problems.append(Problem(path, 1, "the file starts with a UTF-8 byte-order mark (BOM); "
                                         "expected UTF-8 without BOM", 1))
    crlf = raw.find(b"\r\n")
    if crlf >= 0:
        problems.append(Problem(path, raw.count(b"\n", 0, crlf) + 1,
                                "Windows line endings (CRLF) start here; expected Unix line endings (LF)"))
    return problems


def encoding_problems(path: str, raw: bytes) -> list[Problem]:
    """The first byte that is not UTF-8, with its line and column: the one hygiene mistake MkDocs cannot
    read past (it copes with a BOM, CRLF and broken front matter), so the build checks it on every page."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        col = len(raw[line_start:error.start].decode("utf-8")) + 1
        return [Problem(path, raw.count(b"\n", 0, error.start) + 1,
                        f"byte 0x{raw[error.start]:02X} is not valid UTF-8; expected the file saved as UTF-8",
                        col)]
    return []


def _front_matter_problems(path: str, text: str, needs_front_matter: bool) -> list[Problem]:
    yaml_text, _, _ = split(text)
    if yaml_text is None:
        if _OPENING.match(text):
            return [Problem(path, 1, "the front matter is not closed; expected YAML between this '---' "
                                     "and a closing '---' line", 1)]
        if needs_front_matter:
            return [Problem(path, 1, "no front matter; expected '---' on line 1, YAML (title, description, "
                                     "status, ...) and a closing '---'", 1)]
        return []
    problems = []
    for number, line in enumerate(yaml_text.split("\n"), start=2):
        col = line.find("\t")
        if col >= 0:
            problems.append(Problem(path, number, "tab character in the YAML front matter; expected "
                                    "spaces (YAML does not allow tabs for indentation)", col + 1))
    return problems


def check_hygiene(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """Check function for `medsite check`: hygiene of every source; articles must have front matter."""
    return [problem for source in sources for problem in
            check_source_bytes(source.display, source.raw, needs_front_matter=source.is_article)]
