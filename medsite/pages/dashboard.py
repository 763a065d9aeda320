"""The editorial dashboard: where every article stands in review, generated at build time from front matter.

Editors need one page that shows what is overdue or changed since review; it is generated (never committed)
so it cannot go stale, and kept out of the search index so it does not crowd out the articles. The rows and
the chart are data for the theme (partials/dashboard.html): a table of thousands of rows in Markdown would
take longer to convert than the rest of the page is worth.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field

from medsite.core.frozen import Frozen
from medsite.core.problems import Problem
from medsite.model.article import Article
from medsite.pages.readability import Score, above, hardest_first
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
    """The reading-grade rows as last printed: the scores they were made from (in page order) and the grade,
    then the scores listed (above the grade, with a page), hardest first, each with its sort key and entry."""

    scores: list[Score]
    grade: float
    listed: list[Score]
    keys: list[tuple[float, str, int]]
    entries: list[ReadingEntry]


@dataclass
class DashboardMemo:
    """What one process keeps from one dashboard to the next (`mkdocs serve` rebuilds it after every edit):
    each article's row by the article object, its review state and its reviewers' names, and each row's
    entry by the row and its URL. An unchanged article keeps the same objects, so its printed row is found
    again by identity (medsite.pipeline.fragments); only the edited articles' rows are made again."""

    rows: dict[str, tuple[Article, ReviewState, tuple[str, ...], Row]] = field(default_factory=dict)
    entries: dict[str, tuple[Row, str, Entry]] = field(default_factory=dict)
    readings: dict[int, tuple[Score, str, ReadingEntry]] = field(default_factory=dict)  # by id of the score
    reading: ReadingRows | None = None  # the reading-grade rows last printed (see reading_rows)


def dashboard_rows(catalog: Catalog, memo: DashboardMemo | None = None) -> list[Row]:
    """One row per article, the next review due first (overdue ones on top), undated last."""
    known = memo.rows if memo is not None else {}
    kept: dict[str, tuple[Article, ReviewState, tuple[str, ...], Row]] = {}
    people = catalog.registry.people
    for article in catalog.articles.values():
        state = catalog.state(article)
        reviewers = tuple(people[r].name if r in people else r for r in article.reviewers)
        before = known.get(article.src_uri)
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
    if memo is not None:
        memo.rows = kept
    rows = [item[3] for item in kept.values()]
    rows.sort(key=lambda r: (r.next_review is None, r.next_review or dt.date.min, r.title.casefold(),
                             r.src_uri))
    return rows


def dashboard_entries(rows: Iterable[Row], url_of: Callable[[str], str | None],
                      memo: DashboardMemo | None = None) -> list[Entry]:
    """The rows as the dashboard prints them, those of pages the site has (`url_of` gives a page's URL)."""
    known = memo.entries if memo is not None else {}
    kept: dict[str, tuple[Row, str, Entry]] = {}
    entries = []
    for row in rows:
        if (url := url_of(row.src_uri)) is None:
            continue
        before = known.get(row.src_uri)
        if before is None or before[0] is not row or before[1] != url:
            before = (row, url, Entry(url, row.title, row.status, row.reviewers, row.reviewed,
                                      row.next_review, tuple(row.flags)))
        kept[row.src_uri] = before
        entries.append(before[2])
    if memo is not None:
        memo.entries = kept
    return entries


def reading_rows(scores: list[Score], grade: float, url_of: Callable[[str], str | None],
                 memo: DashboardMemo | None = None, *, same_urls: bool = False) -> list[ReadingEntry]:
    """The pieces of patient text above `grade`, hardest first (medsite.pages.readability.above), as the
    dashboard prints them, those of pages the site has (`url_of` gives a page's URL).

    At thousands of articles there are tens of thousands of scores, and sorting them and looking up their
    pages again was a sixth of a `mkdocs serve` rebuild, although an edit changes one page's scores (the
    others keep their Score objects: medsite.pages.readability.score_pages). So when `same_urls` (a rebuild
    from the last build: every page keeps its URL) and the grade is the same, the rows last printed are
    patched: the scores that differ from the last list (by identity) leave them and enter them at their
    place, and nothing else is sorted or looked up. Otherwise, or when a patch cannot give what sorting
    gives (many scores changed, two with the same place), the rows are worked out whole."""
    last = memo.reading if memo is not None else None
    if last is not None and same_urls and last.grade == grade:
        patched = _patched(last, scores, grade, url_of, memo)
        if patched is not None:
            return patched.entries
    listed, entries = _reading_entries(above(scores, grade), url_of, memo)
    if memo is not None:
        memo.reading = ReadingRows(list(scores), grade, listed, [hardest_first(score) for score in listed],
                                   entries)
    return entries


_PATCHED_AT_MOST = 200  # scores that differ from the last list, beyond which sorting them all is as quick


def _patched(last: ReadingRows, scores: list[Score], grade: float, url_of: Callable[[str], str | None],
             memo: DashboardMemo) -> ReadingRows | None:
    """`last` with the scores that differ from its list (one run of them, between what both lists start and
    end with) taken out and put in; None when sorting is needed."""
    old, new = last.scores, scores
    same, most = 0, min(len(old), len(new))
    while same < most and old[same] is new[same]:
        same += 1
    tail = 0
    while tail < most - same and old[len(old) - 1 - tail] is new[len(new) - 1 - tail]:
        tail += 1
    gone, came = old[same:len(old) - tail], new[same:len(new) - tail]
    if len(gone) + len(came) > _PATCHED_AT_MOST:
        return None
    # copies: the record of the page written last (hooks/serve.py) holds the lists it printed
    listed, keys, entries = list(last.listed), list(last.keys), list(last.entries)
    for score in gone:
        key = hardest_first(score)
        at = bisect_left(keys, key)
        if at < len(keys) and keys[at] == key:
            if listed[at] is not score:
                return None  # two scores at one place: the order is the sort's
            del listed[at], keys[at], entries[at]
    for score in came:
        if score.grade <= grade or score.src_uri is None or (url := url_of(score.src_uri)) is None:
            continue
        key = hardest_first(score)
        at = bisect_left(keys, key)
        if at < len(keys) and keys[at] == key:
            return None
        entry = ReadingEntry(url, score.path, score.line, score.kind, score.grade, score.words)
        memo.readings[id(score)] = (score, url, entry)
        listed.insert(at, score)
        keys.insert(at, key)
        entries.insert(at, entry)
    memo.reading = ReadingRows(list(new), grade, listed, keys, entries)
    return memo.reading


def _reading_entries(scores: Iterable[Score], url_of: Callable[[str], str | None],
                     memo: DashboardMemo | None = None) -> tuple[list[Score], list[ReadingEntry]]:
    """The scores of pages the site has, and their entries. Each score's entry is kept by the score object
    (medsite.pages.readability keeps those per content)."""
    known = memo.readings if memo is not None else {}
    kept: dict[int, tuple[Score, str, ReadingEntry]] = {}
    listed, entries = [], []
    for score in scores:
        if score.src_uri is None or (url := url_of(score.src_uri)) is None:
            continue
        before = known.get(id(score))
        if before is None or before[0] is not score or before[1] != url:
            entry = ReadingEntry(url, score.path, score.line, score.kind, score.grade, score.words)
            before = (score, url, entry)
        kept[id(score)] = before
        listed.append(score)
        entries.append(before[2])
    if memo is not None:
        memo.readings = kept
    return listed, entries


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
