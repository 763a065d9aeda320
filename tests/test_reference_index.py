"""The References page's rows kept from one build to the next (medsite.bibliography.reference_index): after
any sequence of pages changing their titles, URLs and citations, the kept rows equal the rows worked out
from every page again, and rows no change touched stay the same objects (their printed pieces are reused)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medsite.bibliography.reference_index import Citing, ReferenceIndex, citing_pages, reference_index
from medsite.citations.bib_model import Bibliography, FormattedReference

KEYS = ["smith2020", "jones2019", "adams2021", "brown2018", "nobody2099"]  # the last is in no bibliography


def bibliography(keys: list[str]) -> tuple[Bibliography, dict[str, FormattedReference]]:
    # Two entries format to the same text: the key breaks the tie.
    texts = {"smith2020": "Smith J. Trial.", "jones2019": "Jones A. Study.", "adams2021": "Adams B. Trial.",
             "brown2018": "Smith J. Trial."}
    entries = {key: object() for key in keys}
    return (Bibliography(entries, [], digest="-".join(keys)),  # type: ignore[arg-type]
            {key: FormattedReference(f"<i>{texts[key]}</i>", texts[key]) for key in keys})


# Titles that tie ignoring case, so that ties keep page order.
titles = st.sampled_from(["Does X help?", "does x help?", "Is Y safe?", "Another question?", "a"])
pages = st.lists(st.tuples(titles, st.sampled_from(["articles/a/", "articles/b/", "x/"]),
                           st.lists(st.sampled_from(KEYS), max_size=5)), min_size=0, max_size=8)
edits = st.lists(st.tuples(st.integers(0, 7), titles, st.lists(st.sampled_from(KEYS), max_size=5)),
                 max_size=12)


@given(pages, edits, st.booleans())
def test_kept_rows_equal_rows_worked_out_again_after_any_edits(start, changes, new_bibliography):
    bib, references = bibliography(KEYS[:4])
    index = ReferenceIndex()
    current = list(start)
    assert index.rows(bib, references, current) == reference_index(bib, references, citing_pages(current))
    for step, (position, title, keys) in enumerate(changes):
        if current:
            before = index.rows(bib, references, current)
            where = position % len(current)
            touched = set(current[where][2]) | set(keys)
            current[where] = (title, current[where][1], keys)
            after = index.rows(bib, references, current)
            assert after == reference_index(bib, references, citing_pages(current))
            assert all(row_after is row_before for row_before, row_after in zip(before, after, strict=True)
                       if row_before.key not in touched)
        if new_bibliography and step == 3:  # another bibliography: worked out afresh
            bib, references = bibliography(KEYS[1:4])
            assert index.rows(bib, references, current) == reference_index(bib, references,
                                                                            citing_pages(current))
    current.append(("New page?", "articles/new/", ["smith2020"]))  # a page added: worked out afresh
    assert index.rows(bib, references, current) == reference_index(bib, references, citing_pages(current))


def test_rows_sort_by_text_then_key_and_citing_pages_by_title_in_page_order():
    bib, references = bibliography(KEYS[:4])
    current = [("b page", "b/", ["smith2020", "smith2020"]), ("A page", "a/", ["brown2018", "smith2020"]),
               ("a page", "c/", ["smith2020"])]
    rows = ReferenceIndex().rows(bib, references, current)
    assert [row.key for row in rows] == ["adams2021", "jones2019", "brown2018", "smith2020"]
    assert rows[3].citing == (Citing("A page", "a/"), Citing("a page", "c/"), Citing("b page", "b/"))
    assert rows[0].citing == () and rows[3].id and rows[3].html == "<i>Smith J. Trial.</i>"
