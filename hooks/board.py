"""Fill the Medical Advisory Board page from the people registry (`page.medsite.board`)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from medsite.review.rules import BOARD_PAGE
from medsite_mkdocs.adapter import context, page_data

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """The board members from the registry, into the board page's payload."""
    if page.file.src_uri != BOARD_PAGE:
        return None
    registry = context(config).catalog.registry
    page_data(page).board = [dataclasses.asdict(person) for person in registry.board()]
    return None
