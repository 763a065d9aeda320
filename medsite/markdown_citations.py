"""`[@a; @b, p 12]` in Markdown → superscript numbers linked to one "References" list at the end of the page.

Two processors, because numbering needs document order and inline patterns do not run in it:
- `CitationProcessor`, an inline pattern at priority 172 (after code spans at 190 and escapes at 180, so
  code and `\\[` are never citations; before links at 170, so a group is never a link), turns each group
  into a placeholder `<sup>` listing its keys and locators;
- `CitationTreeprocessor`, at priority 19 (just after the inline treeprocessor at 20), walks the tree in
  document order, numbers keys by first use, writes each group as journals print it (sorted, three or
  more consecutive numbers as a range "1–3"), each number a link whose `title` is the formatted reference
  (Material's `content.tooltips` shows it on hover and on keyboard focus), and appends the list.
An unknown key is flagged (`medsite.markup_flags`), never dropped, so the build fails with file and line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from medsite.bibliography import Bibliography
from medsite.citations import CITATION_GROUP, parse_group
from medsite.markup_flags import flag
from medsite.reference_format import FormattedReference

CITED_KEYS = "medsite_cited_keys"  # page.meta: the keys a page cites, in source order
PLACEHOLDER = "data-medsite-citation"
KEY = "data-medsite-key"
CITE_CLASS = "medsite-cite"
LIST_CLASS = "medsite-references"
LIST_ID = "references"
EN_DASH = "\u2013"


def reference_id(key: str) -> str:
    return f"ref-{key}"


def compress(numbers: list[int]) -> list[tuple[int, int]]:
    """Distinct numbers, sorted, as journals print them: a run of three or more becomes (first, last)."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    printed: list[tuple[int, int]] = []
    for first, last in runs:
        printed.extend([(first, last)] if last - first >= 2 else [(n, n) for n in range(first, last + 1)])
    return printed


class CitationProcessor(InlineProcessor):
    def __init__(self, md: Markdown, bibliography: Bibliography) -> None:
        super().__init__(CITATION_GROUP, md)
        self.bibliography = bibliography

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        items = parse_group(m.group(0))
        unknown = [item.key for item in items if item.key not in self.bibliography.entries]
        if unknown:
            element = etree.Element("span")
            element.text = AtomicString(m.group(0))
            nearest = [near for key in unknown for near in self.bibliography.nearest(key)]
            written = ", ".join(repr(key) for key in unknown)
            flag(element, message=f"unknown citation key {written}; expected a key from the .bib files "
                                  f"(nearest: {', '.join(nearest) or 'none'})",
                 source_pattern="|".join(rf"@{re.escape(key)}(?!\w)" for key in unknown))
            return element, m.start(0), m.end(0)
        group = etree.Element("sup", {PLACEHOLDER: ""})
        for item in items:
            child = etree.SubElement(group, "span", {KEY: item.key})
            if item.locator:
                child.text = m.group(0)[slice(*item.locator)]
        # The number sits against the word it follows, as journals print it ("survival¹"), never alone
        # at the start of a line.
        start = len(data[:m.start(0)].rstrip(" \t\n"))
        return group, start, m.end(0)


def _append_text(parent: etree.Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class CitationTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, references: Mapping[str, FormattedReference]) -> None:
        super().__init__(md)
        self.references = references

    def run(self, root: etree.Element) -> None:
        groups = [element for element in root.iter("sup") if PLACEHOLDER in element.attrib]
        if not groups:
            return
        numbers: dict[str, int] = {}
        for group in groups:
            for item in group:
                numbers.setdefault(item.get(KEY, ""), len(numbers) + 1)
            self._render(group, numbers)
        self._append_list(root, numbers)

    def _title(self, keys: list[str], numbers: dict[str, int]) -> str:
        if len(keys) == 1:
            return self.references[keys[0]].text
        return "\n".join(f"{numbers[key]}. {self.references[key].text}" for key in keys)

    def _link(self, group: etree.Element, keys: list[str], numbers: dict[str, int]) -> None:
        first, last = numbers[keys[0]], numbers[keys[-1]]
        link = etree.SubElement(group, "a", {"href": f"#{reference_id(keys[0])}",
                                             "title": self._title(keys, numbers)})
        link.text = str(first) if first == last else f"{first}{EN_DASH}{last}"

    def _render(self, group: etree.Element, numbers: dict[str, int]) -> None:
        items = sorted(group, key=lambda item: numbers[item.get(KEY, "")])
        plain = [item.get(KEY, "") for item in items if not (item.text or len(item))]
        by_number = {numbers[key]: key for key in plain}
        parts: list[tuple[int, list[str], etree.Element | None]] = [
            (first, [by_number[n] for n in range(first, last + 1)], None)
            for first, last in compress(list(by_number))]
        parts += [(numbers[item.get(KEY, "")], [item.get(KEY, "")], item) for item in items
                  if item.text or len(item)]
        tail = group.tail
        group.clear()  # also clears the text after the group, kept in `tail`
        group.tail = tail
        group.set("class", CITE_CLASS)
        for index, (_, keys, locator) in enumerate(sorted(parts, key=lambda part: part[0])):
            if index:
                _append_text(group, ",")
            self._link(group, keys, numbers)
            if locator is not None:
                locator.attrib.clear()
                locator.text = "(" + (locator.text or "")
                _append_text(locator, ")")
                group.append(locator)

    def _append_list(self, root: etree.Element, numbers: dict[str, int]) -> None:
        heading = etree.SubElement(root, "h2", {"id": LIST_ID, "data-search-exclude": ""})
        heading.text = "References"
        listing = etree.SubElement(root, "ol", {"class": LIST_CLASS, "data-search-exclude": ""})
        for key in numbers:  # insertion order is number order
            entry = etree.SubElement(listing, "li", {"id": reference_id(key)})
            entry.text = self.md.htmlStash.store(self.references[key].html)


class CitationsExtension(Extension):
    """Registered by the build with the bibliography and its formatted references."""

    def __init__(self, bibliography: Bibliography, references: Mapping[str, FormattedReference]) -> None:
        super().__init__()
        self.bibliography = bibliography
        self.references = references

    @classmethod
    def of(cls, extensions: list) -> CitationsExtension:
        """The instance the build registered among a config's Markdown extensions."""
        return next(extension for extension in extensions if isinstance(extension, cls))

    def extendMarkdown(self, md: Markdown) -> None:
        md.inlinePatterns.register(CitationProcessor(md, self.bibliography), "medsite_citation", 172)
        md.treeprocessors.register(CitationTreeprocessor(md, self.references), "medsite_citation_numbers", 19)
