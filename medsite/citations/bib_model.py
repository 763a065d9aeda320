"""The bibliography's data: an entry as the .bib files give it, the whole bibliography, and an entry as a
reader sees it once formatted. No reading, parsing or formatting here, so that the loader
(medsite.bibliography.load), the parser (medsite.bibliography.bibtex_parse), the formatters
(medsite.bibliography.reference_format, medsite.bibliography.citeproc_format) and everything that shows
references share these types without importing each other.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from medsite.core.problems import Problem

# What a citation key may be: in .bib files and in `[@key]`; here so that loading a cached bibliography
# imports no Markdown (medsite.citations.syntax).
CITATION_KEY = r"\w(?:\w|[.:/+\-](?=\w))*"


@dataclass(frozen=True)
class Entry:
    """One entry of a .bib file, with where it starts."""

    key: str
    kind: str  # BibTeX entry type in lower case: "article", "misc", ...
    path: str  # the .bib file as problem lines name it
    line: int  # 1-based line of `@type{key,`
    csl: dict  # CSL-JSON item without `id` (see medsite.bibliography.csl_json)
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None

    @property
    def where(self) -> str:
        """`file:line` of the entry, for problems about it."""
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Bibliography:
    """Every entry of the references folder by key, with the problems found reading them."""

    entries: dict[str, Entry]
    problems: list[Problem]
    digest: str  # content hash of every .bib file: the key of caches built from the entries

    def nearest(self, key: str, count: int = 3) -> list[str]:
        """Existing keys closest to a mistyped one, a case-only difference first."""
        same_case = [known for known in self.entries if known.lower() == key.lower()]
        close = difflib.get_close_matches(key, list(self.entries), n=count, cutoff=0.6)
        return list(dict.fromkeys(same_case + close))[:count]


@dataclass(frozen=True)
class FormattedReference:
    """One bibliography entry as a reader sees it."""

    html: str  # the formatted entry with its links, sanitised
    text: str  # the same as plain text, for a title attribute (tooltip)
