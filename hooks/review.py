"""Put each article's review banner data into its payload (`page.medsite.review`) and generate its H1."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medsite.model.article import title_heading
from medsite.review.rules import BOARD_PAGE, POLICY_PAGE, banner, follow_up_url
from medsite_mkdocs.adapter import context, page_data

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """The review banner of an article into its payload, and its title as the page's H1."""
    build = context(config)
    catalog = build.catalog
    article = catalog.article(page.file.src_uri)
    if article is None:
        return None
    issue_form = build.project.settings.issue_form
    page_data(page).review = banner(
        article,
        catalog.state(article),
        catalog.registry,
        updated=catalog.last_updated(article),
        board_url=_url(BOARD_PAGE, page, files),
        policy_url=_url(POLICY_PAGE, page, files),
        follow_up_url=follow_up_url(issue_form, article.path) if issue_form else None,
    )
    return f"{title_heading(article.title)}\n\n{markdown}"


def _url(src_uri: str, page: Page, files: Files) -> str | None:
    """A site page's URL relative to this page, or None when the site has no such page."""
    target = files.get_file_from_path(src_uri)
    return target.url_relative_to(page.file) if target else None
