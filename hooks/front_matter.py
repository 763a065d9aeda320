"""Every page's front matter is checked before any page is read, and what Material prints of it is text.

Articles are checked by the catalog (hooks/articles.py); here, every other page from the docs folder must be
one of the maintainers' site pages, with front matter of the site-page schema (medsite.model.site_pages).
Pages the hooks generate are ours and not checked. Registered early: a page past a limit
(medsite.core.input_limits) fails the build here, before MkDocs parses its YAML.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from medsite.model.article import is_article_path
from medsite.model.site_pages import ESCAPED_KEYS, non_article_problems
from medsite_mkdocs.adapter import context, report, source, source_path

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Check every page outside articles/ before MkDocs reads any."""
    pages = ((file.src_uri, source_path(file, config), lambda file=file: source(file, config))
             for file in files.documentation_pages()
             if file.generated_by is None and not is_article_path(file.src_uri))
    build = context(config)
    problems = non_article_problems(pages, build.project.settings, parse=build.front_matter)
    report(problems, what="the site pages")
    return None


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Material prints the title and description into <title>, <meta> and the header without escaping."""
    for key in ESCAPED_KEYS:
        if isinstance(value := page.meta.get(key), str):
            page.meta[key] = html.escape(value.strip())
    return None
