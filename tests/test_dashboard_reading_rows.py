"""The dashboard's rows kept from one build to the next and patched (medsite.pages.dashboard,
medsite.pages.sorted_rows): after any sequence of pages whose reading-grade scores change (as an edit changes
one page's), or articles edited, added and removed, the patched rows equal the rows worked out whole (sorted,
only pages the site has), and the entries no change touched stay the same objects (their printed pieces are
reused)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from medsite.pages import dashboard
from medsite.pages.dashboard import DashboardMemo, dashboard_entries, dashboard_rows, reading_rows
from medsite.pages.readability import Score
from medsite.pages.sorted_rows import Printed
from medsite.review.catalog import CatalogCache, load_catalog
from tests.review_samples import article, with_test_board
from tests.sitebuild import PROJECT
from tests.test_topics import SETTINGS

GRADE = 8.0
URLS = {"articles/a.md": "articles/a/", "articles/b.md": "articles/b/", "c.md": "c/"}  # d.md: no page


def url_of(src_uri: str) -> str | None:
    return URLS.get(src_uri)


# A page's pieces: (line, grade); lines may repeat (two scores at one place: the sort decides their order).
pieces = st.lists(st.tuples(st.integers(1, 6), st.sampled_from([6.0, 8.0, 8.5, 9.0, 12.0])), max_size=5)
files = st.lists(st.tuples(st.sampled_from([*URLS, "d.md", None]), pieces), min_size=0, max_size=6)
edits = st.lists(st.tuples(st.integers(0, 5), pieces, st.booleans()), max_size=10)


def scored(number: int, src_uri: str | None, found: list[tuple[int, float]]) -> list[Score]:
    path = f"docs/{src_uri or f'page-{number}.md'}"
    return [Score(path, src_uri, line, "section", grade, 10 * line) for line, grade in found]


def flat(pages: list[list[Score]]) -> list[Score]:
    return [score for page in pages for score in page]


@given(files, edits)
def test_patched_rows_equal_rows_worked_out_again_after_any_edits(start, changes):
    memo = DashboardMemo()
    pages = [scored(number, src_uri, found) for number, (src_uri, found) in enumerate(start)]
    assert reading_rows(flat(pages), GRADE, url_of, memo) == reading_rows(flat(pages), GRADE, url_of)
    for position, found, same_urls in changes:
        assert memo.reading is not None
        last = memo.reading
        printed = {id(score): (score, entry)
                   for score, entry in zip(last.table.values, last.table.entries, strict=True)}
        if pages:
            where = position % len(pages)
            pages[where] = scored(where, start[where][0], found)
        rows = reading_rows(flat(pages), GRADE, url_of, memo, same_urls=same_urls)
        assert rows == reading_rows(flat(pages), GRADE, url_of)  # a fresh memo: sorted whole
        assert memo.reading.table.entries is rows and memo.reading.scores == flat(pages)
        for score, entry in zip(memo.reading.table.values, rows, strict=True):
            assert (entry.path, entry.line, entry.grade) == (score.path, score.line, score.grade)
            if (known := printed.get(id(score))) is not None and known[0] is score:
                assert entry is known[1]  # an untouched score keeps its entry (and printed piece)


def test_an_edit_of_one_page_keeps_every_other_entry_and_is_not_sorted_again(monkeypatch):
    memo = DashboardMemo()
    pages = [scored(number, "articles/a.md" if number % 2 else "c.md", [(line, 9.0 + number % 3)
                                                                         for line in (1, 3, 5)])
             for number in range(40)]
    pages = [[Score(f"docs/p{number}.md", score.src_uri, score.line, score.kind, score.grade, score.words)
              for score in page] for number, page in enumerate(pages)]
    first = reading_rows(flat(pages), GRADE, url_of, memo)
    pages[7] = [Score("docs/p7.md", "c.md", 2, "section", 30.0, 5)]  # now the hardest
    with monkeypatch.context() as patch:
        patch.setattr(dashboard, "above", None)  # patched, not sorted: `above` is not called
        second = reading_rows(flat(pages), GRADE, url_of, memo, same_urls=True)
    assert second == reading_rows(flat(pages), GRADE, url_of)
    assert second[0].grade == 30.0 and len(second) == len(first) - 2
    untouched = [entry for entry in first if entry.path != "docs/p7.md"]
    assert [id(entry) for entry in untouched] == [id(entry) for entry in second[1:]]
    # without same_urls (a whole build: URLs may have changed) the rows are worked out whole, equal again
    assert reading_rows(flat(pages), GRADE, url_of, memo) == second


TITLES = ["Does X help?", "does x help?", "Is Y safe?", "A question?"]  # two tie ignoring case
REVIEWS = ["2025-01-01", "2026-03-01", "2026-03-01", None]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from(TITLES), st.sampled_from(REVIEWS),
                          st.sampled_from(["under_review", "submitted", None])), min_size=1, max_size=8))
def test_patched_dashboard_rows_equal_rows_sorted_whole_after_any_edits(edits):
    """Articles edited (title, next review, status), removed (status None) and added back, with the catalog
    kept across the edits as `mkdocs serve` keeps it (an unchanged article stays the same object)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(PROJECT / "data", root / "data")
        with_test_board(root / "data" / "people.yml")
        texts = {f"a{n}.md": article(title=TITLES[n % 4], next_review=REVIEWS[n % 4]) for n in range(6)}
        cache, memo = CatalogCache(), DashboardMemo()
        url_of = {f"articles/a{n}.md": f"articles/a{n}/" for n in range(5)}.get  # a5: no page
        for number, title, review, status in [(0, TITLES[0], None, "submitted"), *edits]:
            if status is None:
                texts.pop(f"a{number}.md", None)
            else:
                texts[f"a{number}.md"] = article(title=title, next_review=review, status=status)
            shutil.rmtree(root / "docs", ignore_errors=True)
            (root / "docs" / "articles").mkdir(parents=True)
            for name, text in texts.items():
                (root / "docs" / "articles" / name).write_text(text, encoding="utf-8")
            catalog = load_catalog(root / "docs", root, SETTINGS, cache=cache)
            table = memo.table[0] if memo.table else Printed([], [], [])
            before = {row.src_uri: (row, entry)
                      for row, entry in zip(table.values, table.entries, strict=True)}
            rows = dashboard_rows(catalog, memo)
            entries = dashboard_entries(rows, url_of, memo, same_urls=True)
            assert rows == dashboard_rows(catalog) and entries == dashboard_entries(rows, url_of)
            for row, entry in zip(memo.table[0].values, entries, strict=True):
                if (known := before.get(row.src_uri)) is not None and known[0] is row:
                    assert entry is known[1]
