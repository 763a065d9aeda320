"""Start the build's context (medsite.pipeline.context, through hooks/medsite_mkdocs/adapter.py): its project
and settings as the build starts, where a wrong value under `extra.medsite` fails the build naming mkdocs.yml
before any file is read; and each page's source, read once for every hook and handed to MkDocs too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medsite_mkdocs.adapter import context, report, source

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    """Make the build's context, and stop on any wrong setting."""
    report(list(context(config).project.settings.problems), what="mkdocs.yml")
    return None


def on_page_read_source(*, page: Page, config: MkDocsConfig) -> str | None:
    """The page's text as the hooks read it, so MkDocs does not read the file again."""
    return source(page.file, config)
