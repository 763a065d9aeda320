"""The editorial dashboard (dashboard.md, generated, never committed): every article's review standing,
as `page.medsite.dashboard` for partials/dashboard.html."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from medsite_mkdocs import page_data, report, site_catalog
from mkdocs.structure.files import File

from medsite.dashboard import DASHBOARD, bar_chart, dashboard_page, dashboard_rows, status_counts

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    catalog = site_catalog(config)
    markdown, problems = dashboard_page(catalog, {file.src_uri for file in files})
    report(problems, what="the editorial dashboard")
    files.append(File.generated(config, DASHBOARD, content=markdown))
    return files


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if page.file.src_uri != DASHBOARD:
        return None
    rows = dashboard_rows(site_catalog(config))
    page_data(page).dashboard = {
        "chart": dataclasses.asdict(bar_chart(status_counts(rows))),
        "overdue": sum(row.overdue for row in rows),
        "rows": [
            {"url": target.url, "title": row.title, "status": row.status, "reviewers": row.reviewers,
             "reviewed": row.reviewed, "next_review": row.next_review, "flags": row.flags}
            for row in rows if (target := files.get_file_from_path(row.src_uri))
        ],
    }
    return None
