"""MkDocs' link and nav warnings in medsite's one format (`docs/a.md:12:5: error: found link ...`).

A log filter on MkDocs' page and nav loggers rewords each record in place (medsite.link_messages) before
any handler sees it; the record keeps its level, so strict builds still count and fail on it. The filter
lives on the loggers only while a build runs: installed as the config is read, removed when it ends.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from medsite_mkdocs import project_root

from medsite.link_messages import Site, reword

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

LOGGERS = ("mkdocs.structure.pages", "mkdocs.structure.nav")


class _Reword(logging.Filter):
    def __init__(self, site: Site) -> None:
        super().__init__()
        self.site = site

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING and (text := reword(record.getMessage(), self.site)):
            record.msg, record.args = text, ()
        return True


def _remove() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for stale in [f for f in logger.filters if isinstance(f, _Reword)]:
            logger.removeFilter(stale)


def on_config(config: MkDocsConfig, /) -> MkDocsConfig | None:
    _remove()  # a previous build of `mkdocs serve` that ended without on_post_build
    site = Site(docs_dir=Path(config.docs_dir).resolve(), root=project_root(config),
                config_file=Path(config.config_file_path).resolve(), strict=bool(config.strict))
    for name in LOGGERS:
        logging.getLogger(name).addFilter(_Reword(site))
    return None


def on_post_build(*, config: MkDocsConfig) -> None:
    _remove()


def on_build_error(*, error: Exception) -> None:
    _remove()
