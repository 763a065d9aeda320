"""Every HTML page carries a Content-Security-Policy computed from its own final HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from medsite.csp import with_policy

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


@event_priority(-100)  # last: the hashes must cover every inline script other hooks added
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
    # hooks/sanitize.py cleaned page.content. main.html puts the article's status right after its title,
    # so what follows the title is the part found unchanged in the output.
    content = page.content or ""
    return with_policy(output, sanitized=content.partition("</h1>")[2] or content)


@event_priority(-100)
def on_post_template(output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str | None:
    if not template_name.endswith(".html"):  # 404.html is a page too; sitemap.xml is not
        return None
    return with_policy(output_content)
