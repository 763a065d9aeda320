"""The generated References page: every bibliography entry, with links back to the pages citing it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.structure.files import File

from medsite.bibliography.reference_index import PAGE, PAGE_MARKDOWN
from medsite.core.problems import Problem
from medsite.pages.page_facts import PageFacts, PageFactsCache
from medsite_mkdocs.adapter import context, page_data, report, source_path

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Add the generated References page (a file of that name would hide it: an error)."""
    if (existing := files.get_file_from_path(PAGE)) is not None:
        report([Problem(source_path(existing, config), None, "this page would hide the generated References "
                                                             "page; expected no such file (rename it)")],
               what="the References page")
    files.append(File.generated(config, PAGE, content=PAGE_MARKDOWN))
    return files


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
    """Every page has its title now and no page is written yet: the moment to fill the References page."""
    build = context(config)
    facts = build.caches.page_facts
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    citing = [(found.title, page.url, found.cited_keys) for page in pages
              if (found := _facts(page, facts, build.unchanged)) is not None]
    page = files.get_file_from_path(PAGE).page
    page_data(page).references_index = build.caches.reference_index.rows(build.bibliography, build.references,
                                                                         citing)
    return None


def _facts(page: Page, known: PageFactsCache, unchanged: frozenset[str]) -> PageFacts | None:
    """The page's title and cited keys: from this build when it converted the page, else (a rebuild that
    skipped the unchanged page, hooks/serve.py) from the build that last did. A page of the docs folder
    that the build took unchanged from the build before (`mkdocs serve`'s rebuild of an edit: its file did
    not change since) keeps what that build learned of it."""
    source = page.file.abs_src_path
    if source and page.file.src_uri in unchanged and (facts := known.latest(source)) is not None:
        return facts
    if page.content is None and source:
        return known.recall(source)
    facts = PageFacts(page.title or page.file.src_uri, tuple(page_data(page).cited_keys))
    if source:
        known.remember(source, facts)
    return facts
