"""Fail the build with file:line for markup the project's Markdown extensions flagged (unknown evidence
grades, unknown audiences)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from medsite.extensions.flags import MESSAGE, problems
from medsite_mkdocs.adapter import report, source, source_path

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


@event_priority(50)  # before anything that could rewrite or sanitise the HTML and drop the flags
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Report each flagged element of the page at its source line."""
    if MESSAGE not in html:
        return None
    report(problems(source_path(page.file, config), source(page.file, config), html), what=page.file.src_uri)
    return None
