"""The data of the generated References page: every bibliography entry and the pages that cite it.

`mkdocs serve` rebuilds the page after every edit. At thousands of articles, working out who cites what
from every page again cost a tenth of a rebuild, although an edit changes the citations of one page:
`ReferenceIndex` keeps the last index and works out again only the entries whose citing pages changed,
giving exactly what `reference_index(bibliography, references, citing_pages(pages))` gives (tested
against it).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from medsite.citations.bib_model import Bibliography, FormattedReference
from medsite.citations.syntax import reference_id
from medsite.core.frozen import Frozen

PAGE = "references.md"
PAGE_MARKDOWN = """---
title: References
template: references.html
---
Every entry of the site's bibliography, alphabetically, with the answers that cite it. Within an answer,
references are numbered in the order they are first cited and listed at its end.
"""

CitingPage = tuple[str, str, Sequence[str]]  # a page's title, URL and cited keys


@dataclass(frozen=True)
class Citing(Frozen):
    """A page citing an entry, as the References page links it."""

    title: str
    url: str


@dataclass(frozen=True)
class IndexEntry(Frozen):
    """One entry of the References page (partials/reference-entry.html): `html` is the formatter's
    sanitised output, `citing` the pages citing it by title."""

    key: str
    id: str
    html: str
    text: str
    citing: tuple[Citing, ...]


def citing_pages(pages: Iterable[CitingPage]) -> dict[str, list[Citing]]:
    """key → the pages citing it, from (title, url, cited keys) for each page, in the order given."""
    citing: dict[str, list[Citing]] = {}
    for title, url, keys in pages:
        for key in dict.fromkeys(keys):
            citing.setdefault(key, []).append(Citing(title, url))
    return citing


def reference_index(bibliography: Bibliography, references: Mapping[str, FormattedReference],
                    citing: Mapping[str, list[Citing]]) -> list[IndexEntry]:
    """One row per entry, sorted by its formatted text (so by first author), for the page template."""
    rows = [_entry(key, references[key], citing.get(key, ())) for key in bibliography.entries]
    return sorted(rows, key=lambda row: (row.text.casefold(), row.key))


def _entry(key: str, reference: FormattedReference, citing: Iterable[Citing]) -> IndexEntry:
    return IndexEntry(key, reference_id(key), reference.html, reference.text,
                      tuple(sorted(citing, key=lambda page: page.title.casefold())))


class ReferenceIndex:
    """The References page's rows, kept from one build to the next by the process (`mkdocs serve`). Given
    the same bibliography, formatted references and number of pages as the last time, only the entries
    cited by pages whose (title, URL, cited keys) changed are made again, in place: the order of the rows
    depends on the entries alone, and each entry's citing pages are sorted by title with ties in page
    order, as `reference_index` sorts them."""

    def __init__(self) -> None:
        self._made_from: tuple[str, tuple[str, ...], dict[str, FormattedReference]] | None = None
        self._pages: list[CitingPage] = []
        self._rows: list[IndexEntry] = []
        self._row_of: dict[str, int] = {}  # entry key -> its row
        self._cited_by: dict[str, list[int]] = {}  # key -> the positions of the pages citing it, ascending

    def rows(self, bibliography: Bibliography, references: Mapping[str, FormattedReference],
             pages: Sequence[CitingPage]) -> list[IndexEntry]:
        """What `reference_index(bibliography, references, citing_pages(pages))` gives."""
        pages = list(pages)
        made_from = (bibliography.digest, tuple(bibliography.entries), dict(references))
        if self._made_from != made_from or len(pages) != len(self._pages):
            self._start(made_from, bibliography, references, pages)
            return self._rows
        changed = [position for position, (before, now) in enumerate(zip(self._pages, pages, strict=True))
                   if before != now]
        if not changed:
            self._pages = pages
            return self._rows
        touched: set[str] = set()
        for position in changed:
            for key in dict.fromkeys(self._pages[position][2]):
                self._cited_by[key].remove(position)
                touched.add(key)
            for key in dict.fromkeys(pages[position][2]):
                bisect.insort(self._cited_by.setdefault(key, []), position)
                touched.add(key)
        self._pages = pages
        rows = list(self._rows)
        for key in touched:
            if (row := self._row_of.get(key)) is not None:
                rows[row] = _entry(key, references[key], self._citing(key))
        self._rows = rows
        return rows

    def _start(self, made_from: tuple, bibliography: Bibliography,
               references: Mapping[str, FormattedReference], pages: list[CitingPage]) -> None:
        self._made_from, self._pages = made_from, pages
        self._cited_by = {}
        for position, (_, _, keys) in enumerate(pages):
            for key in dict.fromkeys(keys):
                self._cited_by.setdefault(key, []).append(position)
        self._rows = reference_index(bibliography, references,
                                     {key: list(self._citing(key)) for key in self._cited_by})
        self._row_of = {row.key: position for position, row in enumerate(self._rows)}

    def _citing(self, key: str) -> Iterable[Citing]:
        return (Citing(self._pages[position][0], self._pages[position][1])
                for position in self._cited_by.get(key, ()))
