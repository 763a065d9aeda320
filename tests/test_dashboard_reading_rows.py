"""The dashboard's reading-grade rows kept from one build to the next (medsite.pages.dashboard.reading_rows):
after any sequence of pages whose scores change (as an edit changes one page's), the patched rows equal the
rows worked out from every score again (sorted hardest first, only pages the site has), and the entries of
scores no change touched stay the same objects (their printed pieces are reused)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medsite.pages import dashboard
from medsite.pages.dashboard import DashboardMemo, reading_rows
from medsite.pages.readability import Score

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
        printed = {id(score): (score, entry) for score, entry in zip(last.listed, last.entries, strict=True)}
        if pages:
            where = position % len(pages)
            pages[where] = scored(where, start[where][0], found)
        rows = reading_rows(flat(pages), GRADE, url_of, memo, same_urls=same_urls)
        assert rows == reading_rows(flat(pages), GRADE, url_of)  # a fresh memo: sorted whole
        assert memo.reading.entries is rows and memo.reading.scores == flat(pages)
        for score, entry in zip(memo.reading.listed, rows, strict=True):
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
