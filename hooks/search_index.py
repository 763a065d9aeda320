"""Site search (Pagefind): each page's search metadata for its template, then the index of the whole
built site. What goes into the metadata is medsite.search.data; running the indexer,
medsite.search.pagefind."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from medsite.core import json_cache
from medsite.core.problems import ProblemsError
from medsite.pipeline.page_cache import code_version
from medsite.search import index_cache
from medsite.search.data import article_search_data, page_search_data
from medsite.search.feed import stop_feeds
from medsite.search.pagefind import SITE_FOLDERS, feed_pages, index_site, reserved_folder, reserved_problem
from medsite.search.synonyms import load_synonyms
from medsite_mkdocs.adapter import context, log, page_data, report, source_path

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Read the synonyms into the build's context; stop on a file the search index's folders would delete."""
    build = context(config)
    display = build.project.settings.synonyms
    build.synonyms, problems = load_synonyms(build.project.root / display, display)
    report(problems, what=display)
    report([reserved_problem(source_path(file, config), folder, SITE_FOLDERS) for file in files
            if (folder := reserved_folder(file.dest_uri, SITE_FOLDERS))], what="the files to publish")
    return None


@event_priority(-90)  # after the other hooks changed the content, before the sanitiser (which keeps it)
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """The page's search metadata, into its payload."""
    build = context(config)
    catalog, synonyms = build.catalog, build.synonyms
    article = catalog.article(page.file.src_uri)
    page_data(page).search = (article_search_data(article, catalog.state(article), html, synonyms)
                              if article else page_search_data(page.title or "", html, synonyms))
    return None


@event_priority(-110)  # after every other hook's on_post_page: MkDocs writes the page as it leaves this
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
    """MkDocs writes this page next, so the one before it is written: it goes to Pagefind's service
    (medsite.search.feed), which parses it while the build goes on."""
    build = context(config)
    if not build.project.settings.search_index:  # `make serve` indexes in the background (serve.py)
        return None
    if build.search_feed is None:
        build.search_feed = feed_pages(Path(config.site_dir), language=_language(config),
                                       display="mkdocs.yml", cache=_cache(config), code=code_version())
    build.search_feed.writing(Path(page.file.abs_dest_path))
    return None


@event_priority(-100)  # last: every page is written
def on_post_build(*, config: MkDocsConfig) -> None:
    """Index the whole built site, or reuse the previous build's index when no page changed (not when
    `extra.medsite.page_cache` is false: then nothing of an earlier build is reused)."""
    build = context(config)
    if not build.project.settings.search_index:  # `make serve` indexes in the background (serve.py)
        return
    feed, build.search_feed = build.search_feed, None
    try:
        indexed = index_site(Path(config.site_dir), language=_language(config), display="mkdocs.yml",
                             cache=_cache(config), code=code_version(), feed=feed)
    except ProblemsError as error:
        report(error.problems, what="the search index")
        return
    if indexed.output:
        log.warning(f"Pagefind: {indexed.output}")
    if indexed.reused:
        log.info("Search index: no page changed since the last build; its index reused")
    if indexed.recut is not None:
        log.info(str(indexed.recut))


def on_build_error(*, error: Exception) -> None:
    """A failed build's service is ended (MkDocs gives this event no config, so no context: every feed of
    this process that has not finished is)."""
    stop_feeds()


def _language(config: MkDocsConfig) -> str:
    return config.theme.get("language") or "en"


def _cache(config: MkDocsConfig) -> Path | None:
    """The stored index (`extra.medsite.page_cache` false: none, nothing of an earlier build is reused)."""
    project = context(config).project
    return project.root / json_cache.CACHE_FOLDER / index_cache.NAME if project.settings.page_cache else None

