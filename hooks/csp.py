"""Every HTML page carries a Content-Security-Policy allowing only the inline scripts and styles the
templates wrote (medsite.safety.csp): the allow-list comes from the template sources, rendered for each page's
`base_url`, never from the pages. An inline script or style in a page that no template wrote fails the
build, naming the page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url, is_error_template

from medsite.core.problems import Problem
from medsite.safety.csp import InlineCode, TemplateAllowList, template_snippets, with_policy
from medsite_mkdocs.adapter import context, report, source_path

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


def on_env(env: Environment, /, *, config: MkDocsConfig, files) -> Environment | None:
    """Before any page is written: the inline code of every template of the theme (ours and Material's)."""
    sources = [path.read_text(encoding="utf-8") for folder in config.theme.dirs
               for path in sorted(Path(folder).rglob("*.html"))]

    def render(snippet: str, base_url: str) -> str | None:
        try:
            return env.from_string(snippet).render(config=config, base_url=base_url)
        except jinja2.TemplateError:
            return None

    context(config).inline_code = TemplateAllowList(template_snippets(sources), render)
    return None


def _allowed(config: MkDocsConfig, base_url: str) -> InlineCode:
    """The template snippets as a page at `base_url` shows them (computed once per depth)."""
    return context(config).inline_code.allowed(base_url)


def _checked(output: str, allowed: InlineCode, where: str, sanitized: str = "",
             inert: list[str] | None = None) -> str:
    page, unexpected = with_policy(output, allowed, sanitized=sanitized, inert=inert or ())
    problems = [Problem(where, None, f"an inline script or style no template wrote ({text[:60]!r}); expected "
                                     "only the templates' own inline code (the CSP would block it)")
                for text in unexpected]
    if page == output:  # with_policy found no `<meta charset>` to put the policy after
        problems.append(Problem(where, None, "found a page without <meta charset>, so without its "
                                             "Content-Security-Policy; expected the theme's head on it"))
    report(problems, what=where)
    return page


@event_priority(-100)  # last: every other hook has added what it adds to the page
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
    """Every page: its policy, and a failure for inline code no template wrote."""
    allowed = _allowed(config, get_relative_url(".", page.url))
    # hooks/sanitize.py cleaned page.content: it is not scanned. main.html puts the article's status right
    # after its title, so what follows the title is the part found unchanged in the output.
    content = page.content or ""
    # The long lists hooks/fragments.py printed of pieces each found inert need not be read again.
    inert = context(config).inert_html.pop(page.url, None)
    return _checked(output, allowed, source_path(page.file, config),
                    sanitized=content.partition("</h1>")[2] or content, inert=inert)


@event_priority(-100)
def on_post_template(output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str | None:
    """The theme's own pages (404.html): the same policy and the same check."""
    if not template_name.endswith(".html"):  # 404.html is a page too; sitemap.xml is not
        return None
    # MkDocs renders error pages with the site's root path as base_url, other theme templates relative.
    base_url = (urlsplit(config.site_url or "/").path if is_error_template(template_name)
                else get_relative_url(".", template_name))
    return _checked(output_content, _allowed(config, base_url), template_name)
