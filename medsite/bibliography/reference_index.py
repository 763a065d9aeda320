"""The data of the generated References page: every bibliography entry and the pages that cite it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from medsite.citations.bib_model import Bibliography, FormattedReference
from medsite.citations.syntax import reference_id

PAGE = "references.md"
PAGE_MARKDOWN = """---
title: References
template: references.html
---
Every entry of the site's bibliography, alphabetically, with the answers that cite it. Within an answer,
references are numbered in the order they are first cited and listed at its end.
"""


def citing_pages(pages: Iterable[tuple[str, str, list[str]]]) -> dict[str, list[dict[str, str]]]:
    """key → the pages citing it, from (title, url, cited keys) for each page, in the order given."""
    citing: dict[str, list[dict[str, str]]] = {}
    for title, url, keys in pages:
        for key in dict.fromkeys(keys):
            citing.setdefault(key, []).append({"title": title, "url": url})
    return citing


def reference_index(bibliography: Bibliography, references: Mapping[str, FormattedReference],
                    citing: Mapping[str, list[dict[str, str]]]) -> list[dict]:
    """One row per entry, sorted by its formatted text (so by first author), for the page template."""
    rows = [{"key": key, "id": reference_id(key), "html": references[key].html, "text": references[key].text,
             "citing": sorted(citing.get(key, []), key=lambda page: page["title"].casefold())}
            for key in bibliography.entries]
    return sorted(rows, key=lambda row: (row["text"].casefold(), row["key"]))
