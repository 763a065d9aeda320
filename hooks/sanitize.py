"""Contributed HTML cannot attack readers: articles are checked with file:line, every page is sanitised."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from medsite.safety.html_safety import check_markdown, sanitize_html
from medsite_mkdocs.adapter import report, source, source_path

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Refuse an article's raw HTML that could attack a reader, with file:line."""
    if not page.file.src_uri.startswith("articles/"):
        return None
    if found := check_markdown(source(page.file, config), page.file.src_uri):
        path = source_path(page.file, config)  # resolved only when there is something to report
        report([replace(problem, path=path) for problem in found], what=path)
    return None


@event_priority(-100)  # last, so that the HTML every other hook produced is sanitised too
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Sanitise the page's HTML, whoever produced it."""
    return sanitize_html(html)
