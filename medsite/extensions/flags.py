"""Markup the project's Markdown extensions could not render, turned into file:line problems.

A Markdown extension knows neither the file nor the line it renders, but it knows for certain what is
code and what is prose (Markdown itself parsed that). So an extension flags the element it could not
render with a message and a pattern for the source line; after rendering, the build finds the flagged
elements in the page's HTML and the matching lines in the page's source. A page without flags costs one
substring test.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from medsite.core.problems import Problem, sort_key
from medsite.markdown.prose import prose_line_numbers, source_lines

MESSAGE = "data-medsite-unknown"
SOURCE = "data-medsite-source"

_FLAGGED_TAG = re.compile(rf'<[^<>]*\b{MESSAGE}="[^"]*"[^<>]*>')
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def flag(element: etree.Element, *, message: str, source_pattern: str) -> None:
    """Mark `element` as unrenderable: `message` says what was found and expected; `source_pattern` is a
    regular expression matching the source line that produced it."""
    element.set(MESSAGE, message)
    element.set(SOURCE, source_pattern)


def problems(path: str, source: str, rendered: str) -> list[Problem]:
    """One problem per flagged element of `rendered` (a page's HTML) and line of `source` it matches."""
    if MESSAGE not in rendered:
        return []
    found: set[Problem] = set()
    for tag in _FLAGGED_TAG.finditer(rendered):
        attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(tag.group(0))}
        message = attributes[MESSAGE]
        lines = _lines_matching(source, re.compile(attributes.get(SOURCE, r"(?!)")))
        found.update(Problem(path, line, message) for line in lines or [None])
    return sorted(found, key=sort_key)


def _lines_matching(source: str, pattern: re.Pattern[str]) -> list[int]:
    """Line numbers (from 1) of prose lines matching `pattern`: code blocks and front matter, as
    `medsite.markdown.prose` finds them, are left out."""
    lines = source_lines(source)[0]
    return [number for number in sorted(prose_line_numbers(source)) if pattern.search(lines[number - 1])]
