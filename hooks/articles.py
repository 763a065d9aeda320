"""Check every article before any page is written: all problems together; any error fails the build."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medsite_mkdocs import log, report, site_catalog

from medsite.problems import ProblemsError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    try:
        catalog = site_catalog(config, files=files)
    except ProblemsError as error:
        report(error.problems, what="mkdocs.yml")
        return None
    report(catalog.problems, what="the articles")
    # Overdue reviews are shown on the page. Logged at INFO: a strict build must not start failing
    # because a date passed, or the deploy that would show readers the notice could never run.
    for notice in catalog.notices:
        log.info(str(notice))
    return None
