"""Site search (Pagefind): each page's search metadata for its template, then the index of the whole
built site. What goes into the metadata is medsite.search_data; running the indexer, medsite.pagefind."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from medsite_mkdocs import log, page_data, project_root, report, settings, site_catalog
from mkdocs.plugins import event_priority

from medsite.pagefind import index_site
from medsite.problems import ProblemsError
from medsite.search_data import article_search_data, page_search_data
from medsite.synonyms import Synonyms, load_synonyms

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

_synonyms: dict[str, Synonyms] = {}  # this build's synonym groups (read in on_files)


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    display = settings(config).synonyms
    synonyms, problems = load_synonyms(project_root(config) / display, display)
    report(problems, what=display)
    _synonyms["current"] = synonyms
    return None


@event_priority(-90)  # after the other hooks changed the content, before the sanitiser (which keeps it)
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    catalog = site_catalog(config)
    article = catalog.article(page.file.src_uri)
    synonyms = _synonyms["current"]
    page_data(page).search = (article_search_data(article, catalog.state(article), html, synonyms)
                              if article else page_search_data(page.title or "", html, synonyms))
    return None


@event_priority(-100)  # last: every page is written
def on_post_build(*, config: MkDocsConfig) -> None:
    if not settings(config).search_index:  # `make serve` indexes in the background (serve.py)
        return
    try:
        output = index_site(Path(config.site_dir), language=config.theme.get("language") or "en",
                            display="mkdocs.yml")
    except ProblemsError as error:
        report(error.problems, what="the search index")
        return
    if output:
        log.warning(f"Pagefind: {output}")
