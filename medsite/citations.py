"""Citation groups (`[@a; @b, p 12]`) in Markdown source, found where Python-Markdown renders them.

The build (to validate every page before rendering one) and `medsite check` read Markdown with this
line scanner, so it has to agree with the renderer (`medsite.markdown_citations`) on what is prose:
- fenced and indented code blocks are left out as `medsite.prose` finds them (the model every source
  check shares), and the rest is read paragraph by paragraph, item by item;
- code spans are found with Python-Markdown's own code-span finder, and escaped characters are hidden
  as Python-Markdown's escape pattern hides them (so `\\[@a]` is no citation).
Raw HTML blocks are not modelled: a citation inside one is reported here although Markdown leaves it.
Pandoc's bare `@key` form is not supported, so an e-mail address is never a citation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING

from medsite.code_spans import code_spans
from medsite.problems import Problem
from medsite.prose import prose_units, source_lines

if TYPE_CHECKING:
    from medsite.bibliography import Bibliography

CITATION_KEY = r"\w(?:\w|[.:/+\-](?=\w))*"
_LOCATOR = r"[^;\[\]]*+"
_ITEM = rf"@{CITATION_KEY}(?:\s*,{_LOCATOR})?"
CITATION_GROUP = rf"\[{_ITEM}(?:\s*;\s*{_ITEM})*\s*\]"
_GROUP = re.compile(CITATION_GROUP)
_ITEM_PARTS = re.compile(rf"\s*@(?P<key>{CITATION_KEY})(?:\s*,\s*(?P<locator>[^;\[\]]*?))?\s*")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
# Python-Markdown's escapable characters with the project's extensions (tables adds "|").
_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!|/")
_HIDDEN = "\x02"  # stands where Markdown keeps a placeholder: breaks a key or a separator, fits a locator
_SHOWN = re.compile(r"\[@[^\]\n]{0,40}\]?")  # how a malformed group is quoted in its problem
_KEY_IN_GROUP = re.compile(rf"@({CITATION_KEY})")  # every key of a group, and any `@word` in a locator


@dataclass(frozen=True)
class Cited:
    key: str
    locator: str | None  # "p 12" in `[@key, p 12]`
    line: int  # 1-based file line of the `@`
    col: int  # 1-based column of the `@`


@dataclass(frozen=True)
class CitationGroup:
    text: str  # as written, e.g. "[@a; @b, p 12]"
    line: int
    col: int
    items: tuple[Cited, ...]


@dataclass(frozen=True)
class Malformed:
    """`[@` in prose that does not open a citation group."""

    text: str
    line: int
    col: int


@dataclass(frozen=True)
class Scan:
    groups: list[CitationGroup]
    malformed: list[Malformed]

    @property
    def keys(self) -> list[str]:
        """Every cited key in source order, repeats included."""
        return [item.key for group in self.groups for item in group.items]


@dataclass(frozen=True)
class GroupItem:
    key: str
    at: int  # offset of the `@` in the group's text
    locator: tuple[int, int] | None  # span of the locator ("p 12") in the group's text


def parse_group(text: str) -> list[GroupItem]:
    """The items of one citation group, `text` being a match of CITATION_GROUP."""
    items = []
    offset = 1
    for part in text[1:-1].split(";"):
        match = _ITEM_PARTS.fullmatch(part)  # matches every part of a CITATION_GROUP match
        begin, end = match.span("locator")
        locator = (offset + begin, offset + end) if begin < end else None
        items.append(GroupItem(match.group("key"), offset + match.start("key") - 1, locator))
        offset += len(part) + 1
    return items


def _hide_code_and_escapes(text: str) -> str:
    """`text` with code spans and escaped characters replaced, as Python-Markdown stashes them."""
    if "`" not in text and "\\" not in text:
        return text
    hidden = list(text)
    for begin, end in code_spans(text):
        hidden[begin:end] = _HIDDEN * (end - begin)
    for match in _ESCAPE.finditer("".join(hidden)):
        if match.group(1) in _ESCAPABLE:
            hidden[match.start():match.end()] = _HIDDEN * 2
    return "".join(hidden)


def scan(source: str) -> Scan:
    """Every citation group and every malformed `[@` in the prose of a Markdown file.

    `source` is the whole file: its front matter is skipped, and lines and columns are the file's own.
    """
    if "[@" not in source:
        return Scan([], [])
    lines, expanded, front_matter_lines = source_lines(source)
    groups, malformed = [], []
    for unit in prose_units(expanded, front_matter_lines):
        text = "\n".join(lines[index] for index in unit)
        if "[@" not in text:
            continue
        starts = list(accumulate((len(lines[index]) + 1 for index in unit[:-1]), initial=0))

        def where(offset: int, unit: list[int] = unit, starts: list[int] = starts) -> tuple[int, int]:
            row = bisect_right(starts, offset) - 1
            return unit[row] + 1, offset - starts[row] + 1

        prose = _hide_code_and_escapes(text)
        position = prose.find("[@")
        while position != -1:
            match = _GROUP.match(prose, position)
            if match is None:
                shown = _SHOWN.match(text, position)
                malformed.append(Malformed(shown.group(0) if shown else "[@", *where(position)))
                position = prose.find("[@", position + 2)
                continue
            written = text[match.start():match.end()]
            items = tuple(Cited(item.key, written[slice(*item.locator)] if item.locator else None,
                                *where(match.start() + item.at))
                          for item in parse_group(match.group(0)))
            groups.append(CitationGroup(written, *where(match.start()), items))
            position = prose.find("[@", match.end())
    return Scan(groups, malformed)


def only_known_citations(source: str, keys: Container[str]) -> bool:
    """True when every `[@` in `source` opens a one-line citation group whose keys are all in `keys`.

    `scan` then finds no problem: its problems are a malformed `[@` or an unknown key in prose, and a group
    in code or behind an escape is no problem either. A build checks every page this way (a few times faster
    than a scan) and scans only the pages that fail it, for the line and column of each problem.
    """
    position = source.find("[@")
    while position != -1:
        match = _GROUP.match(source, position)
        if match is None or "\n" in match.group(0):
            return False
        if not all(key in keys for key in _KEY_IN_GROUP.findall(match.group(0))):
            return False
        position = source.find("[@", match.end())
    return True


def citation_problems(path: str, found: Scan, bibliography: Bibliography) -> list[Problem]:
    """Problems for one file's scan: malformed groups, and keys not in the bibliography with the nearest."""
    problems = [Problem(path, bad.line, f"'{bad.text}' is not a citation; expected [@key], [@a; @b] or "
                                        "[@key, p 12] with keys of letters, digits and . : - / +", bad.col)
                for bad in found.malformed]
    for group in found.groups:
        for item in group.items:
            if item.key in bibliography.entries:
                continue
            nearest = bibliography.nearest(item.key)
            hint = f"nearest: {', '.join(nearest)}" if nearest else "no similar key"
            message = f"unknown citation key '{item.key}' in {group.text}; expected a key from the .bib files"
            problems.append(Problem(path, item.line, f"{message} ({hint})", item.col))
    return problems


def check_citations(path: str, source: str, bibliography: Bibliography) -> list[Problem]:
    """Problems with the citations of one Markdown file (`source` is the whole file, front matter too)."""
    return citation_problems(path, scan(source), bibliography)


def uncited_entries(bibliography: Bibliography, cited_keys: Iterable[str]) -> list[Problem]:
    """A warning for each bibliography entry that no page cites (for `medsite check`)."""
    cited = set(cited_keys)
    return [Problem(entry.path, entry.line, f"entry '{key}' is not cited by any page; expected every "
                                            "reference to be cited, or removed", severity="warning")
            for key, entry in bibliography.entries.items() if key not in cited]


def check_site_citations(sources: Mapping[str, str], bibliography: Bibliography) -> list[Problem]:
    """All `medsite check` reports about citations: the bibliography's own problems (errors, and warnings
    for articles without doi or pmid), each file's citations (path → whole source), and uncited entries."""
    problems = list(bibliography.problems)
    cited: list[str] = []
    for path, source in sources.items():
        found = scan(source)
        cited += found.keys
        problems += citation_problems(path, found, bibliography)
    return problems + uncited_entries(bibliography, cited)
