"""Topic index pages (topics/…, generated, never committed) and the home page's list of articles."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from medsite_mkdocs import project_root, report, settings
from mkdocs.structure.files import File

from medsite.catalog import cached_catalog, load_catalog
from medsite.topics import ARTICLE_LIST_MARKER, replace_article_list, topic_pages

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    catalog = load_catalog(Path(config.docs_dir), project_root(config), settings(config))
    pages, problems = topic_pages(catalog, {file.src_uri for file in files})
    report(problems, what="the topic pages")
    for src_uri, markdown in pages.items():
        files.append(File.generated(config, src_uri, content=markdown))
    return files


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if ARTICLE_LIST_MARKER not in markdown:
        return None
    catalog = cached_catalog(Path(config.docs_dir), project_root(config), settings(config))
    return replace_article_list(markdown, catalog)
