"""The real site, built from a project folder with `mkdocs build --strict`, and what its tests need to know
about that project's content (articles, registry, references), so that they check invariants of whatever
content exists instead of today's articles and counts."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from medsite.bibliography.load import Bibliography, load_bibliography
from medsite.model.project import load_project
from medsite.review.catalog import Catalog, load_catalog, project_pins


@dataclass
class BuiltSite:
    """A project folder and the result of building it strictly into `site_dir`."""

    root: Path
    site_dir: Path
    returncode: int
    stdout: str
    stderr: str

    @cached_property
    def catalog(self) -> Catalog:
        project = load_project(self.root / "mkdocs.yml")
        return load_catalog(project.docs_dir, project.root, project.settings, pins=project_pins(project))

    @cached_property
    def bibliography(self) -> Bibliography:
        project = load_project(self.root / "mkdocs.yml")
        return load_bibliography(project.bibliography_dir, root=project.root)

    @property
    def articles(self) -> list[str]:
        """Every article's slug, sorted: its page is `articles/<slug>/` (`docs/articles/<slug>.md`)."""
        return sorted(article_slug(uri) for uri in self.catalog.articles)

    def html(self, url: str) -> str:
        """The built page at a site-relative URL such as `articles/a/` or `` (the home page)."""
        return (self.site_dir / url / "index.html").read_text(encoding="utf-8")


def article_slug(src_uri: str) -> str:
    """`articles/a.md` and `articles/a/index.md` are both served at `articles/a/`: the slug is `a`."""
    stem = src_uri.removeprefix("articles/").rsplit(".", 1)[0]
    return stem.removesuffix("/index") if stem.endswith("/index") else stem


def build_site(root: Path, site_dir: Path, *, env: dict[str, str] | None = None) -> BuiltSite:
    """`mkdocs build --strict` of the project at `root`, run from another folder (paths come from the
    config, never the working directory)."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
         "-d", str(site_dir)],
        capture_output=True, text=True, cwd=site_dir.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )
    return BuiltSite(root, site_dir, result.returncode, result.stdout, result.stderr)
