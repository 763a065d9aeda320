"""Fill the Medical Advisory Board page from the people registry (`page.meta["medsite_board"]`)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from medsite_mkdocs import project_root, settings

from medsite.catalog import cached_catalog
from medsite.review import BOARD_PAGE

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if page.file.src_uri != BOARD_PAGE:
        return None
    registry = cached_catalog(Path(config.docs_dir), project_root(config), settings(config)).registry
    page.meta["medsite_board"] = [dataclasses.asdict(person) for person in registry.board()]
    return None
