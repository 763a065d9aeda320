"""An article's schema.org MedicalWebPage JSON-LD, into its payload (`page.medsite.jsonld`) for the head."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urljoin

from medsite.pages.jsonld import cited_works, medical_web_page, script_json
from medsite.review.rules import BOARD_PAGE
from medsite_mkdocs.adapter import context, page_data

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


# After the Markdown is converted, so the citations hook has put the cited keys in the payload.
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """An article's JSON-LD, into its payload."""
    build = context(config)
    catalog = build.catalog
    article = catalog.article(page.file.src_uri)
    if article is None:
        return None
    board = files.get_file_from_path(BOARD_PAGE)
    site_url = config.site_url or ""
    data = page_data(page)
    data.jsonld = script_json(
        medical_web_page(
            article,
            catalog.state(article),
            catalog.registry,
            url=page.canonical_url,
            board_url=urljoin(site_url, board.url) if board and site_url else None,
            updated=catalog.last_updated(article),
            citations=cited_works(data.cited_keys, build.bibliography, build.references),
        )
    )
    return None
