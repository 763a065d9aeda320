"""The editorial dashboard: where every article stands in review, generated at build time from front matter.

Editors need one page that shows what is overdue or changed since review; it is generated (never committed)
so it cannot go stale, and kept out of the search index so it does not crowd out the articles.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass

from medsite.catalog import Catalog
from medsite.problems import Problem
from medsite.review import STEPS
from medsite.topics import escape_markdown

DASHBOARD = "dashboard.md"
# Mutually exclusive buckets: approved content that changed counts as changed, not as approved.
BUCKETS: tuple[tuple[str, str], ...] = (*STEPS, ("changed", "Changed since review"))
BAR_WIDTH, LABEL_WIDTH, ROW_HEIGHT = 200, 180, 24  # chart geometry in SVG user units


@dataclass(frozen=True)
class Row:
    title: str
    src_uri: str
    bucket: str  # a key of BUCKETS
    reviewers: tuple[str, ...]  # names from the registry (the id when a name is missing)
    reviewed: dt.date | None
    next_review: dt.date | None
    overdue: bool
    changed: bool


def dashboard_rows(catalog: Catalog) -> list[Row]:
    """One row per article, the next review due first (overdue ones on top), undated last."""
    rows = []
    for article in catalog.articles.values():
        state = catalog.state(article)
        people = catalog.registry.people
        rows.append(Row(
            title=article.title,
            src_uri=article.src_uri,
            bucket="changed" if state.changed else state.status,
            reviewers=tuple(people[r].name if r in people else r for r in article.reviewers),
            reviewed=article.reviewed,
            next_review=article.next_review,
            overdue=state.overdue,
            changed=state.changed,
        ))
    rows.sort(key=lambda r: (r.next_review is None, r.next_review or dt.date.min, r.title.casefold(),
                             r.src_uri))
    return rows


def status_counts(rows: list[Row]) -> dict[str, int]:
    """Articles per bucket, every bucket present (zero included), in BUCKETS order."""
    found = Counter(row.bucket for row in rows)
    return {key: found[key] for key, _ in BUCKETS}


def dashboard_page(catalog: Catalog, existing: Container[str]) -> tuple[str, list[Problem]]:
    """The dashboard's Markdown, and a problem when a docs file is in the way of the generated page."""
    problems = []
    if DASHBOARD in existing:
        problems.append(Problem(catalog.display(DASHBOARD), None, f"this file is in the way of the generated "
                                f"page `{DASHBOARD}`; expected no such file in the docs folder"))
    return render(dashboard_rows(catalog)), problems


def render(rows: list[Row]) -> str:
    counts = status_counts(rows)
    overdue = sum(row.overdue for row in rows)
    labels = dict(BUCKETS)
    summary = "\n".join(f"- {labels[key]}: {count}" for key, count in counts.items())
    table = "\n".join(_table_row(row, labels) for row in rows)
    return (
        "---\nsearch:\n  exclude: true\n---\n\n# Editorial dashboard\n\n"
        f"Where each of the {len(rows)} articles stands in review; generated at every build.\n\n"
        f"{summary}\n- Review overdue: {overdue}\n\n{bar_chart(counts)}\n\n"
        + ("| Article | Status | Reviewers | Last reviewed | Next review due | Flags |\n"
           "|---|---|---|---|---|---|\n" + table + "\n" if rows else "No articles yet.\n")
    )


def bar_chart(counts: dict[str, int]) -> str:
    """A horizontal bar per bucket as one line of inline SVG: labels and counts are text (not colour
    alone), the colour is the text colour (so dark mode works) and no style attribute is needed (CSP)."""
    labels = dict(BUCKETS)
    most = max(counts.values(), default=0) or 1
    summary = "Articles by status: " + ", ".join(f"{labels[k]} {n}" for k, n in counts.items())
    parts = []
    for index, (key, count) in enumerate(counts.items()):
        y = index * ROW_HEIGHT
        width = round(BAR_WIDTH * count / most)
        parts.append(
            f'<text x="0" y="{y + 16}">{html.escape(labels[key])}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" height="{ROW_HEIGHT - 8}"></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 16}">{count}</text>'
        )
    total_width, height = LABEL_WIDTH + BAR_WIDTH + 40, ROW_HEIGHT * len(counts)
    return (f'<svg role="img" aria-label="{html.escape(summary)}" '
            f'viewBox="0 0 {total_width} {height}" width="{total_width}" height="{height}" '
            f'fill="currentColor">{"".join(parts)}</svg>')


def _table_row(row: Row, labels: dict[str, str]) -> str:
    flags = [text for on, text in ((row.overdue, "Review overdue"), (row.changed, "Changed since review"))
             if on]
    cells = [
        f"[{_cell(row.title)}](</{row.src_uri}>)",
        _cell(labels[row.bucket]),
        _cell(", ".join(row.reviewers)) or "—",
        row.reviewed.isoformat() if row.reviewed else "—",
        row.next_review.isoformat() if row.next_review else "—",
        _cell(", ".join(flags)) or "—",
    ]
    return "| " + " | ".join(cells) + " |"


def _cell(text: str) -> str:
    """Plain text as a Markdown table cell: escaped as inline text, and a `|` does not end the cell."""
    return escape_markdown(text).replace("|", "\\|")
