"""Citation groups (`[@a; @b, p 12]`) in Markdown source, found where Python-Markdown renders them.

The build (to validate every page before rendering one) and `medsite check` read Markdown with this
line scanner, so it has to agree with the renderer (`medsite.extensions.citations`) on what is prose:
- fenced and indented code blocks are left out as `medsite.markdown.prose` finds them (the model every source
  check shares), and the rest is read paragraph by paragraph, item by item;
- code spans are found with Python-Markdown's own code-span finder, and escaped characters are hidden
  as Python-Markdown's escape pattern hides them (so `\\[@a]` is no citation).
Pandoc's forms are read as pandoc reads them (tests/test_citations_syntax.py compares with pandoc's own
parser): `[@a; @b]`, prefixes and locators (`[see @a, pp. 33-35; also @b, chap. 1]`), `[-@a]`, in-text
`@a` and `@a [p. 33]`, `@{a}`. An `@` inside a word (an e-mail address), a URL or after a backslash
is no citation.
A citation as a link's text (`[@a](url)`) and an `@` that opens no citation (`[@ a]`) are problems.
Raw HTML blocks are not modelled: the build compares what it rendered with what this scanner found, and a
citation Markdown left as text (inside raw HTML) fails the build there.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate

from medsite.citations.bib_model import CITATION_KEY, Bibliography
from medsite.core.problems import Problem
from medsite.markdown.code_spans import code_spans
from medsite.markdown.prose import prose_units, source_lines

_KEY = rf"(?:\{{(?P<braced>{CITATION_KEY})\}}|(?P<key>{CITATION_KEY})(?![\w@]))"
# Where `@` can open a citation: not inside a word (an e-mail address), a URL or a path, nor after `\`.
_AT = r"(?<![\w@/\\.:#%?=&~+\-])"
# Brackets holding an `@` where pandoc reads a citation (after `[`, a space or `;`): a citation group, unless
# some part holds no key; a link's text when `(` or `[` follows (`_BRACKET`).
CITATION_GROUP = r"\[(?P<body>[^\[\]]*?(?:(?<=\[)|(?<=[\s;]))-?@[^\[\]]*)\]"
# `(` or a `[` opening no citation group after the brackets makes them a link's text.
_LINK_AFTER = r"(?P<link>\(|\[(?!\s*-?@|[^\[\]]*\s-?@))?"
_BRACKET = re.compile(CITATION_GROUP + _LINK_AFTER)
_LINK = re.compile(_LINK_AFTER)
_CITE_AT = re.compile(r"(?:^|(?<=[\s;\[(]))-?@")  # an `@` where pandoc reads a citation in a group
_GROUP_ITEM = re.compile(rf"\s*(?P<prefix>(?:[^;@]*?\s)?)(?P<minus>-?)@{_KEY}(?P<suffix>[^;]*?)\s*",
                         re.DOTALL)
# In-text, pandoc's `@key`, with an optional locator in brackets after one space: `@key [p 33]`.
IN_TEXT = rf"{_AT}@{_KEY}(?:[ ]\[(?P<locator>[^\[\]@;]*)\](?![(\[]))?"
_IN_TEXT = re.compile(IN_TEXT)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ESCAPE_BEFORE_AT = re.compile(r"\\.@", re.DOTALL)  # an escaped character right before an @
_FULL_BIBLIOGRAPHY = re.compile(r"\\full_bibliography\b")  # mkdocs-bibtex's command for every entry
# Python-Markdown's escapable characters with the project's extensions (tables adds "|", citations "@").
_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!|/@")  # "@": `\@key` is no citation (CitationsExtension)
_HIDDEN = "\x02"  # stands where Markdown keeps a placeholder: breaks a key or a separator, fits a locator
_SHOWN = re.compile(r"[^\n]{0,50}")  # how a malformed group is quoted in its problem
FORMS = "[@key], [@a; @b], [see @key, p 12], [-@key], @key or @key [p 12]"



def reference_id(key: str) -> str:
    """The HTML id of a reference's entry, in a page's list and on the References page."""
    return f"ref-{key}"

@dataclass(frozen=True)
class Cited:
    """One cited key of a group, where its `@` stands in the file."""

    key: str
    locator: str | None  # "p 12" in `[@key, p 12]`: the text after the key, as written
    line: int  # 1-based file line of the `@`
    col: int  # 1-based column of the `@`
    prefix: str | None = None  # "see" in `[see @key]`
    mode: str = "normal"  # "normal", "suppress-author" (`[-@key]`) or "in-text" (`@key`)


@dataclass(frozen=True)
class CitationGroup:
    """A citation group as written, where it starts, and its items."""

    text: str  # as written, e.g. "[@a; @b, p 12]" or "@a [p 3]"
    line: int
    col: int
    items: tuple[Cited, ...]


@dataclass(frozen=True)
class Malformed:
    """Citation syntax that is neither a citation Markdown renders nor plain text."""

    text: str
    line: int
    col: int
    expected: str = f"expected {FORMS}, with keys of letters, digits and . : - / +"


@dataclass(frozen=True)
class Scan:
    """What a scan of one file found: its citation groups and the `[@` that open none."""

    groups: list[CitationGroup]
    malformed: list[Malformed]

    @property
    def keys(self) -> list[str]:
        """Every cited key in source order, repeats included."""
        return [item.key for group in self.groups for item in group.items]


@dataclass(frozen=True)
class GroupItem:
    """One item of a group, by its offsets in the group's text."""

    key: str
    at: int  # offset of the `@` in the group's text
    locator: tuple[int, int] | None  # span of the locator ("p 12") in the group's text
    prefix: tuple[int, int] | None = None  # span of the prefix ("see") in the group's text
    mode: str = "normal"


def _suffix_span(part: re.Match[str], offset: int) -> tuple[int, int] | None:
    """The locator of an item: its suffix without the comma and spaces before it."""
    begin, end = part.span("suffix")
    suffix = part.group("suffix")
    stripped = suffix.lstrip(" \t\n,")
    return (offset + begin + len(suffix) - len(stripped), offset + end) if stripped else None


def is_link_text(text: str, end: int) -> bool:
    """Whether brackets ending at `end` in `text` are a link's text (`[@a](url)`, `[@a][ref]`)."""
    return bool(_LINK.match(text, end).group("link"))


def parse_group(text: str) -> list[GroupItem] | None:
    """The items of a bracketed citation group (`text` matching CITATION_GROUP without a link after it),
    or None when it is no citation group (no `@` where a citation can start, or a part without a key)."""
    body = text[1:-1]
    if not _CITE_AT.search(body):
        return None
    items, offset = [], 1
    for part in body.split(";"):
        match = _GROUP_ITEM.fullmatch(part)
        if match is None:
            return None
        suffix = match.group("suffix")
        if suffix and (not re.search(r"\w", suffix) or _CITE_AT.search(suffix)):
            return None
        begin, end = match.span("prefix")
        prefix = (offset + begin, offset + len(match.group("prefix").rstrip()) + begin) if (
            match.group("prefix").strip()) else None
        key_name = "braced" if match.group("braced") else "key"
        at = offset + match.start(key_name) - (2 if key_name == "braced" else 1)
        items.append(GroupItem(match.group(key_name), at, _suffix_span(match, offset), prefix,
                               "suppress-author" if match.group("minus") else "normal"))
        offset += len(part) + 1
    return items


def in_text_key(match: re.Match[str]) -> str:
    """The key of an IN_TEXT match."""
    return match.group("braced") or match.group("key")


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


def _scan_unit(text: str, prose: str, where: Callable[[int], tuple[int, int]],
               groups: list[CitationGroup], malformed: list[Malformed]) -> None:
    consumed: list[tuple[int, int]] = []
    for match in _BRACKET.finditer(prose):
        written = text[match.start():match.end("body") + 1]
        if match.group("link"):
            malformed.append(Malformed(written, *where(match.start()), "expected a citation outside a "
                                       "link's text, e.g. [text](url) [@key], never [@key](url)"))
            consumed.append(match.span())
            continue
        items = parse_group(written)
        if items is None:
            if not all(_GROUP_ITEM.fullmatch(part) for part in match.group("body").split(";")) and any(
                    _GROUP_ITEM.fullmatch(part) for part in match.group("body").split(";")):
                continue  # a part holds no key: brackets around in-text citations, as pandoc reads it
            malformed.append(Malformed(written, *where(match.start())))
            consumed.append(match.span())
            continue
        cited = tuple(Cited(item.key, written[slice(*item.locator)] if item.locator else None,
                            *where(match.start() + item.at),
                            written[slice(*item.prefix)] if item.prefix else None, item.mode)
                      for item in items)
        groups.append(CitationGroup(written, *where(match.start()), cited))
        consumed.append(match.span())
    for match in _FULL_BIBLIOGRAPHY.finditer(prose):
        malformed.append(Malformed(match.group(0), *where(match.start()), "expected a link to the References "
                                   "page, which lists every entry: [References](/references.md) "
                                   "(mkdocs-bibtex's \\full_bibliography is not supported)"))
    for match in _IN_TEXT.finditer(prose):
        if any(begin <= match.start() < end for begin, end in consumed):
            continue
        written = text[match.start():match.end()]
        locator = text[slice(*match.span("locator"))].strip() if match.group("locator") else None
        groups.append(CitationGroup(written, *where(match.start()), (
            Cited(in_text_key(match), locator or None, *where(match.start()), None, "in-text"),)))
    groups.sort(key=lambda group: (group.line, group.col))


def scan(source: str) -> Scan:
    """Every citation and every malformed citation in the prose of a Markdown file.

    `source` is the whole file: its front matter is skipped, and lines and columns are the file's own.
    """
    if "@" not in source and "\\full_bibliography" not in source:
        return Scan([], [])
    lines, expanded, front_matter_lines = source_lines(source)
    groups: list[CitationGroup] = []
    malformed: list[Malformed] = []
    for unit in prose_units(expanded, front_matter_lines):
        text = "\n".join(lines[index] for index in unit)
        if "@" not in text and "\\full_bibliography" not in text:
            continue
        starts = list(accumulate((len(lines[index]) + 1 for index in unit[:-1]), initial=0))

        def where(offset: int, unit: list[int] = unit, starts: list[int] = starts) -> tuple[int, int]:
            row = bisect_right(starts, offset) - 1
            return unit[row] + 1, offset - starts[row] + 1

        _scan_unit(text, _hide_code_and_escapes(text), where, groups, malformed)
    return Scan(groups, malformed)


def only_known_citations(source: str, keys: Container[str]) -> bool:
    """True when every `@` of `source` where a citation can start belongs to a one-line citation whose keys
    are all in `keys`, and no citation group is a link's text.

    `scan` then finds no problem: its problems are malformed citations and unknown keys in prose, and a
    citation in code or behind an escape is no problem either. A build checks every page this way (a few
    times faster than a scan) and scans only the pages that fail it, for the line and column of each.
    """
    if "\\full_bibliography" in source:
        return False
    if "@" not in source:
        return True
    if _ESCAPE_BEFORE_AT.search(source):  # `\@@key`, `\.@key`: the escape hides what stood before the @
        return False
    consumed = []
    for match in _BRACKET.finditer(source):
        items = parse_group(match.group(0)[:match.end("body") + 1 - match.start()])
        if match.group("link") or items is None or "\n" in match.group(0):
            return False
        if not all(item.key in keys for item in items):
            return False
        consumed.append(match.span())
    for match in _IN_TEXT.finditer(source):
        inside = any(begin <= match.start() < end for begin, end in consumed)
        if not inside and in_text_key(match) not in keys:
            return False
    return True


def unrendered_citations(source: str, rendered: list[str], path: str) -> list[Problem]:
    """A problem for each citation the scan finds in `source` that the renderer did not render (`rendered`,
    as written): Markdown leaves a citation inside a raw HTML block as text, and no claim may lose its
    citation silently. Pages whose every citation rendered are not scanned."""
    if "@" not in source or len(rendered) >= _candidates(source):
        return []
    left = Counter(rendered)
    problems = []
    for group in scan(source).groups:
        if left[group.text] > 0:
            left[group.text] -= 1
            continue
        problems.append(Problem(path, group.line, f"citation '{group.text}' is left as text by Markdown "
                                "(inside raw HTML?); expected it in Markdown text, or markdown=\"1\" on the "
                                "HTML element holding it", group.col))
    return problems


def _candidates(source: str) -> int:
    """How many citations `source` holds at most (code included): more than were rendered calls for a scan."""
    spans = [match.span() for match in _BRACKET.finditer(source)]
    return len(spans) + sum(not any(begin <= match.start() < end for begin, end in spans)
                            for match in _IN_TEXT.finditer(source))


def citation_problems(path: str, found: Scan, bibliography: Bibliography) -> list[Problem]:
    """Problems for one file's scan: malformed groups, and keys not in the bibliography with the nearest."""
    problems = [Problem(path, bad.line, f"'{_SHOWN.match(bad.text).group(0)}' is not a citation; "
                                        f"{bad.expected}", bad.col)
                for bad in found.malformed]
    for group in found.groups:
        for item in group.items:
            if item.key in bibliography.entries:
                continue
            problems.append(Problem(path, item.line, unknown_key(item.key, group.text, bibliography,
                                                                 in_text=item.mode == "in-text"), item.col))
    return problems


def unknown_key(key: str, written: str, bibliography: Bibliography, *, in_text: bool) -> str:
    """The one wording of an unknown citation key, with the nearest known keys: the scan's problem and the
    Markdown extension's flag (medsite.extensions.citations, for engines without the hooks) both say this."""
    nearest = bibliography.nearest(key)
    hint = f"nearest: {', '.join(nearest)}" if nearest else "no similar key"
    message = f"unknown citation key '{key}' in {written}; expected a key from the .bib files"
    if in_text:
        message += " (or \\@ for an @ that cites nothing)"
    return f"{message} ({hint})"


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
