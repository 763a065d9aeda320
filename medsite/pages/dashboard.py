"""The editorial dashboard: where every article stands in review, generated at build time from front matter.

Editors need one page that shows what is overdue or changed since review; it is generated (never committed)
so it cannot go stale, and kept out of the search index so it does not crowd out the articles. The rows and
the chart are data for the theme (partials/dashboard.html): a table of thousands of rows in Markdown would
take longer to convert than the rest of the page is worth.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass

from medsite.core.problems import Problem
from medsite.review.catalog import Catalog
from medsite.review.rules import STEPS

DASHBOARD = "dashboard.md"
# Mutually exclusive buckets: approved content that changed counts as changed, not as approved.
BUCKETS: tuple[tuple[str, str], ...] = (*STEPS, ("changed", "Changed since review"))
BAR_WIDTH, LABEL_WIDTH, ROW_HEIGHT = 200, 180, 24  # chart geometry in SVG user units


@dataclass(frozen=True)
class Row:
    """One article's row on the editorial dashboard."""

    title: str
    src_uri: str
    bucket: str  # a key of BUCKETS
    reviewers: tuple[str, ...]  # names from the registry (the id when a name is missing)
    reviewed: dt.date | None
    next_review: dt.date | None
    overdue: bool
    changed: bool
    retracted: bool = False  # cites a source retracted since its approval (or never acknowledged)

    @property
    def status(self) -> str:
        """The status bucket as the dashboard names it."""
        return dict(BUCKETS)[self.bucket]

    @property
    def flags(self) -> list[str]:
        """What needs the board's attention: overdue, changed since review, a retracted source."""
        flagged = ((self.overdue, "Review overdue"), (self.changed, "Changed since review"),
                   (self.retracted, "Cites a retracted source"))
        return [text for on, text in flagged if on]


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
            retracted=bool(state.retracted),
            changed=state.changed,
        ))
    rows.sort(key=lambda r: (r.next_review is None, r.next_review or dt.date.min, r.title.casefold(),
                             r.src_uri))
    return rows


def status_counts(rows: list[Row]) -> dict[str, int]:
    """Articles per bucket, every bucket present (zero included), in BUCKETS order."""
    found = Counter(row.bucket for row in rows)
    return {key: found[key] for key, _ in BUCKETS}


@dataclass(frozen=True)
class Bar:
    """One bar of the status chart with its label and count, in SVG user units."""

    label: str
    count: int
    text_y: int  # baseline of the label and the count
    bar_y: int
    width: int
    count_x: int


@dataclass(frozen=True)
class Chart:
    """The status chart partials/dashboard.html draws; `summary` is its accessible name."""

    summary: str
    bars: list[Bar]
    label_width: int
    bar_height: int
    width: int
    height: int


def dashboard_page(catalog: Catalog, existing: Container[str]) -> tuple[str, list[Problem]]:
    """The dashboard's Markdown (out of search; its heading and one sentence: the theme renders the rest
    from `dashboard_rows`), and a problem when a docs file is in the way of the generated page."""
    problems = []
    if DASHBOARD in existing:
        problems.append(Problem(catalog.display(DASHBOARD), None, f"this file is in the way of the generated "
                                f"page `{DASHBOARD}`; expected no such file in the docs folder"))
    count = len(catalog.articles)
    return ("---\nsearch:\n  exclude: true\n---\n\n# Editorial dashboard\n\n"
            f"Where each of the {count} article{'s' if count != 1 else ''} stands in review; generated at "
            "every build.\n"), problems


def bar_chart(counts: dict[str, int]) -> Chart:
    """A horizontal bar per bucket. Labels and counts are text, so no number is shown by length or colour
    alone; the theme draws it in the text colour (dark mode works) without a style attribute (CSP)."""
    labels = dict(BUCKETS)
    most = max(counts.values(), default=0) or 1
    bars = []
    for index, (key, count) in enumerate(counts.items()):
        y, width = index * ROW_HEIGHT, round(BAR_WIDTH * count / most)
        bars.append(Bar(labels[key], count, y + 16, y + 4, width, LABEL_WIDTH + width + 6))
    summary = "Articles by status: " + ", ".join(f"{bar.label} {bar.count}" for bar in bars)
    return Chart(summary, bars, LABEL_WIDTH, bar_height=ROW_HEIGHT - 8, width=LABEL_WIDTH + BAR_WIDTH + 40,
                 height=ROW_HEIGHT * len(bars))
