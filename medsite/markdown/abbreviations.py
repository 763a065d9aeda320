"""The abbreviations an article defines (`*[mCRPC]: metastatic castration-resistant prostate cancer`,
Python-Markdown's abbr syntax), so that lists of articles on other pages expand them too.

The abbr extension expands abbreviations only in the page that defines them. Topic pages and the home page
list articles by their question and answer, which are full of abbreviations ("mCRPC", "IMRT"). Those lists
are rendered by the theme, so the expansion is worked out here and the theme writes the `<abbr>` elements.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from markdown.extensions.abbr import AbbrBlockprocessor

from medsite.markdown.prose import fenced_lines, source_lines

Part = tuple[str, str]  # a piece of text and the expansion of the abbreviation it is ("" for plain text)


def definitions(markdown: str) -> dict[str, str]:
    """Abbreviation → expansion, as the abbr extension reads them: the last definition wins, an empty
    expansion (`""` or `''`) removes one, and a definition in a fenced block is code. (A definition starts
    at the margin, so it is never in an indented code block.)"""
    matches = [match for start in _line_starts(markdown, "*[")
               if (match := AbbrBlockprocessor.RE.match(markdown, start))]
    if matches and ("```" in markdown or "~~~" in markdown):
        fenced = fenced_lines(source_lines(markdown)[1], 0)  # `markdown` has no front matter
        matches = [match for match in matches if not fenced[markdown.count("\n", 0, match.start())]]
    found: dict[str, str] = {}
    for match in matches:
        abbreviation, expansion = match.group("abbr").strip(), match.group("title").strip()
        if not (abbreviation and expansion):
            continue
        if expansion in ("''", '""'):
            found.pop(abbreviation, None)
        else:
            found[abbreviation] = expansion
    return found


def _line_starts(text: str, prefix: str) -> list[int]:
    """Where lines starting with `prefix` start (found by `str.find`: a `^` pattern in multi-line mode
    makes the regular expression engine try every position of the text)."""
    starts = [0] if text.startswith(prefix) else []
    position = text.find("\n" + prefix)
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n" + prefix, position + 1)
    return starts


@cache
def _pattern(abbreviations: tuple[str, ...]) -> re.Pattern[str]:
    """Whole words, longest first, as the abbr extension matches them."""
    ordered = sorted(abbreviations, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, ordered))})\b")


def expand(text: str, glossary: Mapping[str, str], expanded: set[Part]) -> list[Part]:
    """`text` in parts, each abbreviation of `glossary` with its expansion the first time it appears on
    the page (`expanded` holds those already expanded): once per page is what readers need, and each
    `<abbr title>` costs the page a tooltip."""
    if not glossary:
        return [(text, "")]
    parts: list[Part] = []
    position = 0
    for match in _pattern(tuple(glossary)).finditer(text):
        abbreviation = (match.group(0), glossary[match.group(0)])
        if abbreviation in expanded:
            continue
        expanded.add(abbreviation)
        parts += [(text[position:match.start()], ""), abbreviation]
        position = match.end()
    parts.append((text[position:], ""))
    return [part for part in parts if part[0]]
