"""MkDocs' link and nav warnings in medsite's one format (`docs/a.md:12:5: error: found link ...`).

A log filter on MkDocs' page and nav loggers rewords each record in place (medsite.checks.link_messages)
before any handler sees it; the record keeps its level, so strict builds still count and fail on it. The
filter lives on the loggers only while a build runs: installed as the config is read, removed when it ends.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from medsite.checks.link_messages import Site, reword
from medsite_mkdocs.adapter import context

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
    """Reword link and nav warnings for this build (a filter on MkDocs' page and nav loggers)."""
    _remove()  # a previous build of `mkdocs serve` that ended without on_post_build
    build = context(config)
    docs_dir = build.project.docs_dir
    site = Site(docs_dir=docs_dir, root=build.project.root, config_file=build.project.config_file,
                strict=bool(config.strict),
                page=lambda src_uri: build.source(src_uri, (docs_dir / src_uri).read_bytes))
    for name in LOGGERS:
        logging.getLogger(name).addFilter(_Reword(site))
    return None


def on_post_build(*, config: MkDocsConfig) -> None:
    """The build is over: MkDocs' loggers speak for themselves again."""
    _remove()


def on_build_error(*, error: Exception) -> None:
    """The build failed: remove the filter all the same."""
    _remove()
