"""Topic index pages (topics/…, generated, never committed) and the article lists of those pages and the
home page (`page.medsite.article_list`, rendered by partials/article-list.html)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.structure.files import File

from medsite.pages.topics import HOME_LIST, article_lists, list_entries, topic_pages
from medsite_mkdocs.adapter import context, page_data, report, url_lookup

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Add the generated topic pages, and every article list to the build's context."""
    build = context(config)
    catalog = build.catalog
    pages, topics, problems = topic_pages(catalog, {file.src_uri for file in files},
                                          build.caches.lists.topics)
    report(problems, what="the topic pages")
    for src_uri, markdown in pages.items():
        files.append(File.generated(config, src_uri, content=markdown))
    build.topic_lists = article_lists(catalog, topics, memo=build.caches.lists)
    return files


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """The page's list of articles, if it shows one, into its payload."""
    build = context(config)
    src_uri = HOME_LIST if page.is_homepage else page.file.src_uri
    listing = build.topic_lists.get(src_uri)
    if listing is None:
        return None
    page_data(page).article_list = {
        "total": listing.total,
        # a rebuild of an edit (hooks/serve.py) keeps every page's URL: an unchanged list is printed again
        "articles": list_entries(src_uri, listing, url_lookup(files), build.caches.lists,
                                 same_urls=bool(build.unchanged)),
    }
    return None
