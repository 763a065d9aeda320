"""The editorial dashboard: where every article stands in review, generated at build time from front matter.

Editors need one page that shows what is overdue or changed since review; it is generated (never committed)
so it cannot go stale, and kept out of the search index so it does not crowd out the articles. The rows and
the chart are data for the theme (partials/dashboard.html): a table of thousands of rows in Markdown would
take longer to convert than the rest of the page is worth.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Container
from dataclasses import dataclass, field

from medsite.core.frozen import Frozen
from medsite.core.problems import Problem
from medsite.model.article import Article
from medsite.pages.readability import Score, above, hardest_first
from medsite.pages.sorted_rows import PATCHED_AT_MOST, Printed, patched, printed
from medsite.review.catalog import Catalog
from medsite.review.rules import STEPS, ReviewState

DASHBOARD = "dashboard.md"
# Mutually exclusive buckets: approved content that changed counts as changed, not as approved.
BUCKETS: tuple[tuple[str, str], ...] = (*STEPS, ("changed", "Changed since review"))
BAR_WIDTH, LABEL_WIDTH, ROW_HEIGHT = 200, 180, 24  # chart geometry in SVG user units


@dataclass(frozen=True)
class Row(Frozen):
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


@dataclass(frozen=True)
class Entry(Frozen):
    """A row as partials/dashboard-row.html prints it, with the article's URL."""

    url: str
    title: str
    status: str
    reviewers: tuple[str, ...]
    reviewed: dt.date | None
    next_review: dt.date | None
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ReadingEntry(Frozen):
    """A piece of patient text above the reading grade as partials/dashboard-reading-row.html prints it."""

    url: str
    path: str
    line: int
    kind: str
    grade: float
    words: int


@dataclass
class ReadingRows:
    """The reading-grade rows as last printed: the scores they were made from (in page order), the grade,
    and the scores printed (above the grade, with a page), hardest first, with their entries."""

    scores: list[Score]
    grade: float
    table: Printed


@dataclass
class DashboardMemo:
    """What one process keeps from one dashboard to the next (`mkdocs serve` rebuilds it after every edit):
    each article's row by the article object, its review state and its reviewers' names, and each row's
    entry by the row and its URL. An unchanged article keeps the same objects, so its printed row is found
    again by identity (medsite.pipeline.fragments); only the edited articles' rows are made again. The rows
    in order and the rows printed are kept too, and patched (medsite.pages.sorted_rows), not sorted again."""

    rows: dict[str, tuple[Article, ReviewState, tuple[str, ...], Row]] = field(default_factory=dict)
    basis: tuple[object, frozenset[str]] | None = None  # Catalog.state_basis of the rows kept
    order: Printed | None = None  # every row, in the dashboard's order (each its own entry)
    before: Printed | None = None  # the order before the last dashboard_rows, and what it changed in it:
    changes: tuple[list[Row], list[Row]] = ([], [])  # (the rows taken out, the rows put in)
    entries: dict[str, tuple[Row, str, Entry]] = field(default_factory=dict)
    table: tuple[Printed, Printed] | None = None  # the rows printed with their entries, and the order they
    # were printed from
    readings: dict[int, tuple[Score, str, ReadingEntry]] = field(default_factory=dict)  # by id of the score
    reading: ReadingRows | None = None  # the reading-grade rows last printed (see reading_rows)


def _row_order(row: Row) -> tuple:
    """The next review due first (overdue ones on top), undated last; then by title and file."""
    return (row.next_review is None, row.next_review or dt.date.min, row.title.casefold(), row.src_uri)


def dashboard_rows(catalog: Catalog, memo: DashboardMemo | None = None) -> list[Row]:
    """One row per article, the next review due first (overdue ones on top), undated last. With a memo,
    an article object whose review state rests on the same basis as last time (Catalog.state_basis) keeps
    its row without being asked again, and the rows in order are patched where rows changed."""
    known = memo.rows if memo is not None else {}
    kept: dict[str, tuple[Article, ReviewState, tuple[str, ...], Row]] = {}
    basis = catalog.state_basis()
    same_basis = memo is not None and memo.basis is not None and memo.basis[0] is basis[0] and (
        memo.basis[1] == basis[1])
    gone: list[Row] = []
    came: list[Row] = []
    people = catalog.registry.people
    for article in catalog.articles.values():
        before = known.get(article.src_uri)
        if before is not None and before[0] is article and same_basis:
            kept[article.src_uri] = before
            continue
        state = catalog.state(article)
        reviewers = tuple(people[r].name if r in people else r for r in article.reviewers)
        if before is not None and before[0] is article and before[1] == state and before[2] == reviewers:
            kept[article.src_uri] = before
            continue
        row = Row(
            title=article.title,
            src_uri=article.src_uri,
            bucket="changed" if state.changed else state.status,
            reviewers=reviewers,
            reviewed=article.reviewed,
            next_review=article.next_review,
            overdue=state.overdue,
            retracted=bool(state.retracted),
            changed=state.changed,
        )
        kept[article.src_uri] = (article, state, reviewers, row)
        gone += [before[3]] if before is not None else []
        came.append(row)
    gone += [known[uri][3] for uri in known.keys() - kept.keys()]  # articles no longer there
    last = memo.order if memo is not None else None
    order = patched(last, gone, came, _row_order, _itself) if (
        last is not None and len(gone) + len(came) <= PATCHED_AT_MOST) else None
    if order is None:
        order = printed(sorted((item[3] for item in kept.values()), key=_row_order), _row_order, _itself)
    if memo is not None:
        memo.rows, memo.basis, memo.before, memo.order, memo.changes = kept, basis, last, order, (gone, came)
    return order.values


def _itself(value: object) -> object:
    return value


def dashboard_entries(rows: list[Row], url_of: Callable[[str], str | None],
                      memo: DashboardMemo | None = None, *, same_urls: bool = False) -> list[Entry]:
    """The rows as the dashboard prints them, those of pages the site has (`url_of` gives a page's URL).
    When `same_urls` (a rebuild from the last build: every page keeps its URL) and `rows` are the rows
    dashboard_rows patched from those printed last, the rows printed are patched the same way."""
    known = memo.entries if memo is not None else {}

    def entry(row: Row) -> Entry | None:
        if (url := url_of(row.src_uri)) is None:
            return None
        before = known.get(row.src_uri)
        if before is None or before[0] is not row or before[1] != url:
            before = (row, url, Entry(url, row.title, row.status, row.reviewers, row.reviewed,
                                      row.next_review, tuple(row.flags)))
        kept[row.src_uri] = before
        return before[2]

    if memo is not None and same_urls and memo.table is not None and memo.order is not None and (
            memo.order.values is rows and memo.table[1] is memo.before
            and sum(map(len, memo.changes)) <= PATCHED_AT_MOST):
        kept = known
        table = patched(memo.table[0], *memo.changes, _row_order, entry)
        if table is not None:
            memo.table = (table, memo.order)
            return table.entries
    kept = {}
    table = printed(rows, _row_order, entry)
    if memo is not None:
        memo.entries = kept
        memo.table = (table, memo.order) if memo.order is not None and memo.order.values is rows else None
    return table.entries


def reading_rows(scores: list[Score], grade: float, url_of: Callable[[str], str | None],
                 memo: DashboardMemo | None = None, *, same_urls: bool = False) -> list[ReadingEntry]:
    """The pieces of patient text above `grade`, hardest first (medsite.pages.readability.above), as the
    dashboard prints them, those of pages the site has (`url_of` gives a page's URL).

    At thousands of articles there are tens of thousands of scores, and sorting them and looking up their
    pages again was a sixth of a `mkdocs serve` rebuild, although an edit changes one page's scores (the
    others keep their Score objects: medsite.pages.readability.score_pages). So when `same_urls` (a rebuild
    from the last build: every page keeps its URL) and the grade is the same, the rows last printed are
    patched (medsite.pages.sorted_rows): the scores that differ from the last list (by identity, one run of
    them between what both lists start and end with) leave them and enter them at their place. Otherwise,
    or when a patch cannot give what sorting gives, the rows are worked out whole."""
    known = memo.readings if memo is not None else {}
    kept: dict[int, tuple[Score, str, ReadingEntry]] = {}

    def entry(score: Score) -> ReadingEntry | None:
        if score.grade <= grade or score.src_uri is None or (url := url_of(score.src_uri)) is None:
            return None
        before = known.get(id(score))
        if before is None or before[0] is not score or before[1] != url:
            before = (score, url, ReadingEntry(url, score.path, score.line, score.kind, score.grade,
                                               score.words))
        kept[id(score)] = before
        return before[2]

    last = memo.reading if memo is not None else None
    if memo is not None and last is not None and same_urls and last.grade == grade:
        kept = known
        gone, came = _differing(last.scores, scores)
        table = patched(last.table, gone, came, hardest_first, entry) if (
            len(gone) + len(came) <= PATCHED_AT_MOST) else None
        if table is not None:
            memo.reading = ReadingRows(list(scores), grade, table)
            return table.entries
        kept = {}
    table = printed(above(scores, grade), hardest_first, entry)
    if memo is not None:
        memo.readings, memo.reading = kept, ReadingRows(list(scores), grade, table)
    return table.entries


def _differing(old: list, new: list) -> tuple[list, list]:
    """The values of `old` and of `new` between what both lists start and end with (by identity)."""
    same, most = 0, min(len(old), len(new))
    while same < most and old[same] is new[same]:
        same += 1
    tail = 0
    while tail < most - same and old[len(old) - 1 - tail] is new[len(new) - 1 - tail]:
        tail += 1
    return old[same:len(old) - tail], new[same:len(new) - tail]


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
