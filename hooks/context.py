"""Start the build's context (medsite.pipeline.context, through hooks/medsite_mkdocs/adapter.py): its project
and settings as the build starts, where a wrong value under `extra.medsite` fails the build naming mkdocs.yml
before any file is read; and each page's source, read once and its front matter parsed once, for every hook
and for MkDocs too."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from medsite.core.problems import ProblemsError
from medsite_mkdocs.adapter import context, fresh_page_data, mkdocs_text, report, source, source_path

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    """Make the build's context, and stop on any wrong setting."""
    report(list(context(config).project.settings.problems), what="mkdocs.yml")
    return None


def on_page_read_source(*, page: Page, config: MkDocsConfig) -> str | None:
    """The page's text as the hooks read it, so MkDocs does not read the file again; when its front matter
    parsed cleanly (the checks parsed it already), only its body, so MkDocs does not parse the YAML again
    either: on_page_markdown gives the page that parse as its metadata. The page's payload starts empty, as
    every hook fills it again from this text."""
    fresh_page_data(page)
    build = context(config)
    text = source(page.file, config)
    path = source_path(page.file, config)
    try:
        front = build.front_matter(text, path)
    except ProblemsError:
        return text  # the checks fail the build on it; MkDocs reads it as it always does
    body = mkdocs_text(front)
    if body is None:
        return text
    build.page_meta[page.file.src_uri] = front.data  # type: ignore[assignment]  # a mapping, by mkdocs_text
    build.forget_front_matter(path)
    return body


@event_priority(100)  # first: every other hook reads the page's metadata
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """The page's metadata, from the one parse of its front matter (a copy: hooks and themes may change a
    page's metadata, and MkDocs gives each page a fresh one)."""
    data = context(config).page_meta.pop(page.file.src_uri, None)
    if data is not None:
        page.meta = copy.deepcopy(data)
    return None
