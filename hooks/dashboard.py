"""The editorial dashboard (dashboard.md, generated, never committed): every article's review standing, the
patient text above the reading grade and what `medsite refs verify` found in the sources, as
`page.medsite.dashboard` for partials/dashboard.html."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from mkdocs.structure.files import File

from medsite.pages.dashboard import (
    DASHBOARD,
    bar_chart,
    dashboard_entries,
    dashboard_page,
    dashboard_rows,
    reading_rows,
    status_counts,
)
from medsite.pages.readability import drug_names, page_of, score_pages
from medsite.pages.whats_new import RECENT, approved_changes, page_rows
from medsite.refs.verify import dashboard_sources
from medsite_mkdocs.adapter import context, page_data, report, source, source_path, url_lookup

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Add the generated dashboard page."""
    catalog = context(config).catalog
    markdown, problems = dashboard_page(catalog, {file.src_uri for file in files})
    report(problems, what="the editorial dashboard")
    files.append(File.generated(config, DASHBOARD, content=markdown))
    return files


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """The dashboard's data, into its page's payload."""
    if page.file.src_uri != DASHBOARD:
        return None
    build = context(config)
    memo = build.caches.dashboard
    rows = dashboard_rows(build.catalog, memo)
    page_data(page).dashboard = {
        "chart": dataclasses.asdict(bar_chart(status_counts(rows))),
        "overdue": sum(row.overdue for row in rows),
        "rows": dashboard_entries(rows, url_lookup(files), memo, same_urls=bool(build.unchanged)),
        "readability": _readability(config, files),
        "recent": page_rows(approved_changes(build.catalog)[:RECENT], url_lookup(files)),
        "sources": dashboard_sources(build.project.root, build.bibliography, build.caches.notices),
    }
    return None


def _readability(config: MkDocsConfig, files: Files) -> dict:
    """Patient text above the grade, hardest first, each with its page's URL."""
    build = context(config)
    root, settings, caches = build.project.root, build.project.settings, build.caches
    grade = settings.reading_grade
    # Generated pages (abs_src_path None) hold no contributor's text.
    pages = [page_of(source_path(file, config), file.src_uri, source(file, config), build.catalog,
                     caches.readability_pages)
             for file in files.documentation_pages() if file.abs_src_path is not None]
    scores = score_pages(pages, names=drug_names(root, settings), cache_root=root, memory=caches.readability,
                         digests=caches.readability_keys, scored=caches.readability_scores)
    return {
        "grade": f"{grade:g}",
        "checked": len(scores),
        # a rebuild of an edit (hooks/serve.py) keeps every page's URL: the rows last printed are patched
        "rows": reading_rows(scores, grade, url_lookup(files), caches.dashboard,
                             same_urls=bool(build.unchanged)),
    }
