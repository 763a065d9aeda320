"""Check every article before any page is written: all problems together; any error fails the build. The
catalog made here (`context.catalog`: every article, its review state, the registry) is what every later
hook reads about articles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medsite.review.catalog import load_catalog
from medsite.review.rules import reference_pins
from medsite_mkdocs.adapter import context, log, report, source

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Read every article MkDocs will publish (from MkDocs' own list and text) into the build's catalog."""
    build = context(config)
    project = build.project
    pages = {file.src_uri: file for file in files.documentation_pages()}
    build.catalog = catalog = load_catalog(
        project.docs_dir, project.root, project.settings, pages,
        read=lambda src_uri: source(pages[src_uri], config), cache=build.caches.articles,
        bibliography=lambda: build.bibliography, notices=build.caches.notices,
        pins=reference_pins(build.references),  # the references as hooks/citations.py formatted them
        parse=build.front_matter)  # parsed once for the build, MkDocs included (hooks/context.py)
    report(catalog.problems, what="the articles")
    # Overdue reviews are shown on the page. Logged at INFO: a strict build must not start failing
    # because a date passed, or the deploy that would show readers the notice could never run.
    for notice in catalog.notices:
        log.info(str(notice))
    return None
