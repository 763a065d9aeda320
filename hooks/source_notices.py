"""Beside each reference whose work was retracted, corrected or given an expression of concern, a notice for
readers, from the answers `medsite refs verify` cached (.cache/medsite/sources.json): the build never asks
the network."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from medsite.refs.verify import site_notices
from medsite_mkdocs.adapter import context, page_data

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


@event_priority(5)  # after hooks/citations.py (10) has put the page's reference list in its payload
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Retraction, concern and correction notices beside the page's references."""
    data = page_data(page)
    if not data.reference_list:
        return None
    build = context(config)
    notices = site_notices(build.project.root, build.bibliography, build.caches.notices)
    if not notices:
        return None
    for key, row in zip(data.cited_keys, data.reference_list["entries"], strict=True):
        row["notices"] = [dataclasses.asdict(notice) for notice in notices.get(key, ())]
    return None
