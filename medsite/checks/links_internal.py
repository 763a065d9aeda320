"""Internal links, images and anchors checked against the docs folder, without building the site.

The strict build catches the same mistakes (MkDocs `validation:`), but only after a full build; this check
answers in well under a second and names file, line and column.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from urllib.parse import unquote

from medsite.core.problems import Problem, ProblemsError
from medsite.markdown.frontmatter import parse
from medsite.markdown.links import Link
from medsite.model.article import title_heading
from medsite.model.project import Project
from medsite.model.sources import Source, read_source

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_SHOWN_IDS = 8


class _Pages:
    """Scans and anchor ids per page, made once per check run because many links share a target."""

    def __init__(self, project: Project, loaded: Sequence[Source], generated: Collection[str]) -> None:
        self._project = project
        self.generated = {project.docs_dir / name for name in generated}
        self._sources = {source.path: source for source in loaded}
        self._ids: dict[Path, set[str]] = {}

    def anchors(self, path: Path) -> set[str]:
        if path not in self._ids:
            page = self._sources.get(path) or read_source(self._project, path)
            title = _front_matter_title(page) if page.is_article else None
            self._ids[path] = page.scan.anchor_ids(title_heading(title) if title else None)
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
        for link in source.scan.links:
            problem = _check_link(project, source, link, pages)
            if problem:
                problems.append(problem)
    return problems


def _check_link(project: Project, source: Source, link: Link, pages: _Pages) -> Problem | None:
    target = link.target
    if link.raw and not target:
        return Problem(source.display, link.line, "found <img> with an empty src ''; expected the path of an "
                       "image file", link.col)
    if not target or target.startswith("//") or _SCHEME.match(target):
        return None  # external or another scheme (mailto:, tel:): `medsite links` checks those
    what = "image" if link.image else "link"

    def problem(message: str) -> Problem:
        return Problem(source.display, link.line, message, link.col)

    path_part, _, fragment = target.partition("#")
    path_part = unquote(path_part.partition("?")[0])
    if link.raw:
        return _raw_image_problem(project, source, link, path_part, problem)
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


def _raw_image_problem(project: Project, source: Source, link: Link, path_part: str,
                       problem: Callable[[str], Problem]) -> Problem | None:
    """An `<img src>` in raw HTML is fetched by the browser relative to the page's URL, not its file:
    `docs/articles/a.md` is served at `articles/a/`, so `../assets/x.png` there is `articles/assets/x.png`."""
    if source.docs_path is None:
        return None  # not a page of the site: it has no URL to resolve from
    page_url = page_folder(source.docs_path, use_directory_urls=project.use_directory_urls)
    if path_part.startswith("/"):
        return problem(f"found <img src='{link.target}'>, a path from the server's root, which breaks when "
                       "the site is not served at the root of its domain; expected a path relative to the "
                       f"page's address (/{page_url})")
    url_path = posixpath.normpath(posixpath.join(page_url, path_part))
    if url_path.startswith(".."):
        return problem(f"found <img src='{link.target}'>, which points above the site's root (this page is "
                       f"served at /{page_url}); expected a path to an image inside the site")
    resolved = project.docs_dir / url_path
    if resolved.is_file():
        return None
    as_markdown = Path(os.path.normpath(source.path.parent / path_part))
    if as_markdown.is_file() and as_markdown.is_relative_to(project.docs_dir):
        right = posixpath.relpath(as_markdown.relative_to(project.docs_dir).as_posix(), page_url or ".")
        return problem(f"found <img src='{link.target}'>, which the browser loads from /{url_path} (this "
                       f"page is served at /{page_url}); expected src='{right}', or Markdown "
                       f"![text]({link.target}), whose path MkDocs takes from the file")
    return problem(f"found <img src='{link.target}'>, but {project.display(resolved)} does not exist (this "
                   f"page is served at /{page_url}); expected the path of an image in "
                   f"{project.display(project.docs_dir)}/, relative to the page's address")


def page_folder(docs_path: str, *, use_directory_urls: bool) -> str:
    """The folder of a page's URL, as MkDocs serves it: `articles/a.md` → `articles/a/` (or `articles/`
    without directory URLs), `articles/index.md` → `articles/`, `index.md` → ``."""
    stem = docs_path.rsplit(".", 1)[0]
    folder, _, name = stem.rpartition("/")
    if name in ("index", "README") or not use_directory_urls:
        return f"{folder}/" if folder else ""
    return f"{stem}/"


def _missing_anchor(target: str, page: str, ids: set[str]) -> str:
    fragment = target.partition("#")[2]
    shown = ", ".join(sorted(ids)[:_SHOWN_IDS]) + (", ..." if len(ids) > _SHOWN_IDS else "")
    return f"link '{target}': {page} has no heading or id '{fragment}'; expected one of: {shown or 'none'}"
