"""Internal links, images and anchors checked against the docs folder, without building the site.

The strict build catches the same mistakes (MkDocs `validation:`), but only after a full build; this check
answers in well under a second and names file, line and column.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Sequence
from pathlib import Path
from urllib.parse import unquote

from medsite.article import title_heading
from medsite.frontmatter import parse
from medsite.markdown_links import Link, MarkdownScan
from medsite.problems import Problem, ProblemsError
from medsite.project import Project
from medsite.sources import Source, read_source

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_SHOWN_IDS = 8


class _Pages:
    """Scans and anchor ids per page, made once per check run because many links share a target."""

    def __init__(self, project: Project, loaded: Sequence[Source], generated: Collection[str]) -> None:
        self._project = project
        self.generated = {project.docs_dir / name for name in generated}
        self._sources = {source.path: source for source in loaded}
        self._scans: dict[Path, MarkdownScan] = {}
        self._ids: dict[Path, set[str]] = {}

    def scan(self, source: Source) -> MarkdownScan:
        if source.path not in self._scans:
            self._scans[source.path] = MarkdownScan(source.text or "")
        return self._scans[source.path]

    def anchors(self, path: Path) -> set[str]:
        if path not in self._ids:
            page = self._sources.get(path) or read_source(self._project, path)
            title = _front_matter_title(page) if page.is_article else None
            self._ids[path] = self.scan(page).anchor_ids(title_heading(title) if title else None)
        return self._ids[path]


def _front_matter_title(page: Source) -> str | None:
    """Articles get their H1 from `title`, so its slug is an anchor too (bad YAML: the schema check's job)."""
    try:
        meta = parse(page.text or "", page.display).data
    except ProblemsError:
        return None
    title = meta.get("title") if meta else None
    return str(title) if title else None


def check_internal_links(project: Project, sources: Sequence[Source], *,
                         generated: Collection[str] = ()) -> list[Problem]:
    """Every relative link, image and anchor in the given sources.

    `generated` names pages the build adds (docs-relative, e.g. `topics/index.md`): links to them count as
    good, and their anchors are not checked.
    """
    pages = _Pages(project, sources, generated)
    problems: list[Problem] = []
    for source in sources:
        if source.text is None:
            continue
        for link in pages.scan(source).links:
            problem = _check_link(project, source, link, pages)
            if problem:
                problems.append(problem)
    return problems


def _check_link(project: Project, source: Source, link: Link, pages: _Pages) -> Problem | None:
    target = link.target
    if not target or target.startswith("//") or _SCHEME.match(target):
        return None  # external or another scheme (mailto:, tel:): `medsite links` checks those
    what = "image" if link.image else "link"

    def problem(message: str) -> Problem:
        return Problem(source.display, link.line, message, link.col)

    path_part, _, fragment = target.partition("#")
    path_part = unquote(path_part.partition("?")[0])
    if not path_part:
        ids = pages.anchors(source.path)
        return None if not fragment or fragment in ids else problem(_missing_anchor(target, "this page", ids))
    # mkdocs.yml has `absolute_links: relative_to_docs`: `/a.md` means docs/a.md.
    base = project.docs_dir if path_part.startswith("/") else source.path.parent
    resolved = Path(os.path.normpath(base / path_part.lstrip("/")))
    if resolved in pages.generated:
        return None
    if source.docs_path is not None and not resolved.is_relative_to(project.docs_dir):
        return problem(f"{what} '{target}' points outside the docs folder; expected a file inside "
                       f"{project.display(project.docs_dir)}/")
    if resolved.is_dir():
        return problem(f"{what} '{target}' points to a folder; expected a file, e.g. "
                       f"'{path_part.rstrip('/')}/index.md'")
    if not resolved.is_file():
        return problem(f"{what} '{target}' not found: {project.display(resolved)} does not exist")
    if fragment and resolved.suffix == ".md":
        ids = pages.anchors(resolved)
        if fragment not in ids:
            return problem(_missing_anchor(target, project.display(resolved), ids))
    return None


def _missing_anchor(target: str, page: str, ids: set[str]) -> str:
    fragment = target.partition("#")[2]
    shown = ", ".join(sorted(ids)[:_SHOWN_IDS]) + (", ..." if len(ids) > _SHOWN_IDS else "")
    return f"link '{target}': {page} has no heading or id '{fragment}'; expected one of: {shown or 'none'}"
