"""Pandoc's citations in Markdown → superscript numbers linked to one "References" list after the page.

`[@a; @b, p 12]`, `[see @a, pp. 33-35; also @b]` and `[-@a]` print a superscript group ("see 1(pp. 33-35),
2"); in-text `@a` and `@a [p 33]` print the authors' names, then the number ("Doe et al¹"). Adjacent groups
`[@a] [@b]` print "¹,²", never "¹²".

Two processors, because numbering needs document order and inline patterns do not run in it:
- `CitationProcessor`, an inline pattern at priority 172 (after code spans at 190 and escapes at 180, so
  code and `\\[` are never citations; before links at 170, so a group is never a link), turns each group
  into a placeholder `<sup>` listing its keys and locators;
- `CitationTreeprocessor`, at priority 19 (just after the inline treeprocessor at 20), walks the tree in
  document order, numbers keys by first use and writes each group as journals print it (sorted, three or
  more consecutive numbers as a range "1–3"), each printed number a `footnote-ref` link to its entry:
  Material's `content.footnote.tooltips` shows that entry on hover and on keyboard focus.
The list itself is not part of the converted Markdown: the extension hands the page's keys in number order
to the build (`take_numbered`), and a template prints the entries after the content. So the list is
never parsed again by the search indexer or the sanitiser, on any page.
An unknown key is flagged (`medsite.extensions.flags`), never dropped, so the build fails with file and line.

mkdocs.yml lists the extension with its `bibliography` folder (relative to mkdocs.yml's folder), so any
Python-Markdown engine loads it: with our MkDocs hooks (MkDocs, ProperDocs) hooks/citations.py registers
an instance holding the checked, formatted bibliography; without them (Zensical) the listed one loads the
bibliography itself, prints the list at the end of the page, and stops the build on a flagged citation
or a bibliography error, or when the engine does not say where mkdocs.yml is.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from pathlib import Path

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from medsite.bibliography.load import Bibliography, ParsedFiles, load_bibliography
from medsite.bibliography.reference_format import (
    MKDOCS_BIBTEX_SETTINGS,
    FormattedReference,
    ReferenceCache,
    citation_style,
    format_bibliography,
)
from medsite.citations.syntax import (
    CITATION_GROUP,
    IN_TEXT,
    in_text_key,
    is_link_text,
    parse_group,
    reference_id,
    unknown_key,
)
from medsite.core.problems import Problem, ProblemsError, errors
from medsite.extensions.engine import FlagsToErrors, engine_config
from medsite.extensions.flags import flag
from medsite.model.project import CITATIONS_EXTENSION, DEFAULT_BIBLIOGRAPHY

PLACEHOLDER = "data-medsite-citation"
KEY = "data-medsite-key"
PREFIX = "data-medsite-prefix"
CITE_CLASS = "medsite-cite"
IN_TEXT_CLASS = "medsite-cite-in-text"
LIST_ID = "references"
EN_DASH = "\u2013"
# Where no hooks run (Zensical) no build context keeps the parsed .bib files and formatted entries across
# pages and rebuilds: the extension keeps them itself, for the process, as the context's factory does.
_WITHOUT_HOOKS: tuple[ParsedFiles, ReferenceCache] = ({}, ReferenceCache())


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


def in_text_name(csl: dict) -> str:
    """The authors as a sentence names them before an in-text citation ("Doe", "Doe and Roe", "Doe et al"),
    or the editors, or the title."""
    names = csl.get("author") or csl.get("editor") or []
    family = [" ".join(filter(None, (name.get("non-dropping-particle"), name.get("family")))) or
              name.get("literal", "") for name in names if name.get("literal") != "et al"]
    if not family:
        return csl.get("title", "")
    if len(family) == 1 and len(names) == 1:
        return family[0]
    return f"{family[0]} and {family[1]}" if len(family) == 2 and len(names) == 2 else f"{family[0]} et al"


class _Citing(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, extension: CitationsExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def _unknown(self, written: str, unknown: list[str], *, in_text: bool = False) -> etree.Element:
        """The citation left as text, flagged with the scan's own wording
        (medsite.citations.syntax.unknown_key)."""
        element = etree.Element("span")
        element.text = AtomicString(written)
        bibliography = self.extension.bibliography
        message = "; ".join(unknown_key(key, written, bibliography, in_text=in_text) for key in unknown)
        flag(element, message=message,
             source_pattern="|".join(rf"@{{?{re.escape(key)}(?!\w)" for key in unknown))
        return element

    @staticmethod
    def _placeholder(items: list[tuple[str, str | None, str | None]]) -> etree.Element:
        """A `<sup>` the tree processor numbers: (key, locator, prefix) per item."""
        group = etree.Element("sup", {PLACEHOLDER: ""})
        for key, locator, prefix in items:
            child = etree.SubElement(group, "span", {KEY: key, **({PREFIX: prefix} if prefix else {})})
            child.text = locator
        return group

    @staticmethod
    def _against_the_word(data: str, start: int) -> int:
        """The number sits against the word it follows, as journals print it ("survival¹")."""
        return len(data[:start].rstrip(" \t\n"))


class CitationProcessor(_Citing):
    """`[@a; see @b, p 12; -@c]`: a superscript group."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:
        """A group becomes a placeholder the tree processor numbers; an unknown key stays as text, flagged."""
        items = parse_group(m.group(0))
        if items is None or is_link_text(data, m.end(0)):
            return None, None, None  # brackets, or a link's text (the scan reports a citation in one)
        unknown = [item.key for item in items if item.key not in self.extension.bibliography.entries]
        if unknown:
            return self._unknown(m.group(0), unknown), m.start(0), m.end(0)
        text = m.group(0)
        group = self._placeholder([(item.key, text[slice(*item.locator)] if item.locator else None,
                                    text[slice(*item.prefix)] if item.prefix else None) for item in items])
        self.extension.rendered.append(text)
        return group, self._against_the_word(data, m.start(0)), m.end(0)


class InTextProcessor(_Citing):
    """`@a` and `@a [p 33]`: the authors' names, then the superscript number ("Doe et al¹")."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        """`@key` in the text: the author's name, then the number."""
        key = in_text_key(m)
        entry = self.extension.bibliography.entries.get(key)
        if entry is None:
            return self._unknown(m.group(0), [key], in_text=True), m.start(0), m.end(0)
        element = etree.Element("span", {"class": IN_TEXT_CLASS})
        element.text = in_text_name(entry.csl)
        locator = (m.group("locator") or "").strip() or None
        element.append(self._placeholder([(key, locator, None)]))
        self.extension.rendered.append(m.group(0))
        return element, m.start(0), m.end(0)


def _append_text(parent: etree.Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class BibliographyCommand(BlockProcessor):
    """mkdocs-bibtex's `\\bibliography` asks for the page's reference list where it stands. Every page that
    cites gets its list after the text, so a paragraph holding only the command is dropped."""

    def test(self, parent: etree.Element, block: str) -> bool:
        """Whether the block is mkdocs-bibtex's `\\bibliography` command."""
        return block.strip() == "\\bibliography"

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        """Drop the command: the list is printed after the content anyway."""
        blocks.pop(0)


class CitationTreeprocessor(Treeprocessor):
    """Numbers the placeholders in document order and writes each group as journals print it."""

    def __init__(self, md: Markdown, extension: CitationsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        """Number every key by first use, render every group, and hand the page's keys to the build."""
        numbers: dict[str, int] = {}
        groups = [element for element in root.iter("sup") if PLACEHOLDER in element.attrib]
        for group in groups:
            for item in group:
                numbers.setdefault(item.get(KEY, ""), len(numbers) + 1)
            self._render(group, numbers)
        self.extension.numbered = list(numbers)  # insertion order is number order
        if self.extension.list_in_page:  # no build compares them with the scan (hooks/citations.py does)
            self.extension.rendered.clear()
        if groups:
            _separate_adjacent(root, set(groups))
        if self.extension.list_in_page and numbers:
            self._append_list(root, list(numbers))

    def _append_list(self, root: etree.Element, keys: list[str]) -> None:
        """Without our hooks no template prints the list: the page carries it, as the template would."""
        heading = etree.SubElement(root, "h2", {"id": LIST_ID})
        heading.text = "References"
        entries = etree.SubElement(root, "ol", {"class": "medsite-references"})
        for row in reference_list(keys, self.extension.references):
            paragraph = etree.SubElement(etree.SubElement(entries, "li", {"id": row["id"]}), "p")
            paragraph.text = self.md.htmlStash.store(row["html"])  # the formatter's sanitised HTML

    def _links(self, group: etree.Element, keys: list[str], numbers: dict[str, int]) -> None:
        """One number, or a range whose two ends link to their own entries ("1–3")."""
        ends = [keys[0]] if len(keys) == 1 else [keys[0], keys[-1]]
        for index, key in enumerate(ends):
            if index:
                _append_text(group, EN_DASH)
            link = etree.SubElement(group, "a", {"class": "footnote-ref", "href": f"#{reference_id(key)}"})
            link.text = str(numbers[key])

    def _render(self, group: etree.Element, numbers: dict[str, int]) -> None:
        items = sorted(group, key=lambda item: numbers[item.get(KEY, "")])
        plain = [item.get(KEY, "") for item in items if not (item.text or len(item) or item.get(PREFIX))]
        by_number = {numbers[key]: key for key in plain}
        parts: list[tuple[int, list[str], etree.Element | None]] = [
            (first, [by_number[n] for n in range(first, last + 1)], None)
            for first, last in compress(list(by_number))]
        parts += [(numbers[item.get(KEY, "")], [item.get(KEY, "")], item) for item in items
                  if item.text or len(item) or item.get(PREFIX)]
        tail = group.tail
        group.clear()  # also clears the text after the group, kept in `tail`
        group.tail = tail
        group.set("class", CITE_CLASS)
        for index, (_, keys, locator) in enumerate(sorted(parts, key=lambda part: part[0])):
            if index:
                _append_text(group, ", " if locator is not None and locator.get(PREFIX) else ",")
            if locator is not None and locator.get(PREFIX):
                _append_text(group, locator.get(PREFIX) + " ")
            self._links(group, keys, numbers)
            if locator is not None and not (locator.text or len(locator)):
                continue
            if locator is not None:
                locator.attrib.clear()
                locator.text = "(" + (locator.text or "")
                _append_text(locator, ")")
                group.append(locator)


def _separate_adjacent(root: etree.Element, groups: set[etree.Element]) -> None:
    """`[@a] [@b]` prints "¹,²", never "¹²" (which reads as twelve): a comma joins a group to a group it
    touches, with only spaces between them."""
    for parent in root.iter():
        previous = None
        for child in parent:
            if child in groups and previous in groups and not (previous.tail or "").strip():
                previous.tail = None
                child.text = "," + (child.text or "")
            previous = child


def reference_list(keys: list[str], references: Mapping[str, FormattedReference]) -> list[dict[str, str]]:
    """The rows of a page's reference list, in number order, for the template that prints it."""
    return [{"id": reference_id(key), "html": references[key].html} for key in keys]


class CitationsExtension(Extension):
    """`CitationsExtension(bibliography, references)`: what hooks/citations.py registers, with the checked
    bibliography and its formatted entries. `makeExtension(bibliography=folder)`: what an engine builds
    out of the project's configuration file; it loads the folder itself and puts the list in the page (no
    template is fed)."""

    def __init__(self, bibliography: Bibliography | None = None,
                 references: Mapping[str, FormattedReference] | None = None, /, **options: object) -> None:
        self.config = {"bibliography": [DEFAULT_BIBLIOGRAPHY, "the folder of .bib files, relative to the "
                                                              "folder of mkdocs.yml (or absolute)"],
                       "citation_style": ["ama", "the reference lists' style: ama or vancouver"],
                       # Accepted only to say what to write instead (medsite.bibliography.reference_format).
                       **{name: ["", "mkdocs-bibtex's setting"] for name in MKDOCS_BIBTEX_SETTINGS}}
        super().__init__(**options)
        self.bibliography = bibliography
        self.references: Mapping[str, FormattedReference] = references or {}
        self.list_in_page = bibliography is None
        self.numbered: list[str] = []  # the keys of the page converted last, in number order
        self.rendered: list[str] = []  # the citations it rendered, as written

    def take_numbered(self) -> list[str]:
        """The keys the page just converted cites, in number order; MkDocs converts one page at a time,
        and taking them clears them, so no page can be given another's list."""
        numbered, self.numbered = self.numbered, []
        return numbered

    @classmethod
    def of(cls, extensions: list) -> CitationsExtension:
        """The instance the build registered among a config's Markdown extensions."""
        return next(extension for extension in extensions if isinstance(extension, cls))

    def take_rendered(self) -> list[str]:
        """The citations (as written) the page just converted rendered, for the build to compare with the
        scan of its source: a citation the scan found and Markdown left as text fails the build."""
        rendered, self.rendered = self.rendered, []
        return rendered

    def page_state(self) -> dict[str, list[str]]:
        """What converting the last page left here for the build, as data: the page cache
        (hooks/page_cache.py) keeps it with the page's HTML and gives it back through `restore_page_state`
        when it skips the conversion. Any state a conversion leaves for the build belongs in these two."""
        return {"numbered": list(self.numbered), "rendered": list(self.rendered)}

    def restore_page_state(self, state: Mapping[str, list[str]]) -> None:
        """Put back what `page_state` gave for a page taken from the page cache."""
        self.numbered, self.rendered = list(state["numbered"]), list(state["rendered"])

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the citation patterns, the numbering and the `\\bibliography` command."""
        if self.bibliography is None and not self._load(md):
            unplaced = _Unplaced(md, str(self.getConfig("bibliography")))
            md.preprocessors.register(unplaced, "medsite_citation", 1000)
            return
        if self.list_in_page:
            md.postprocessors.register(FlagsToErrors(md), FlagsToErrors.name, 0)
        if "@" not in md.ESCAPED_CHARS:  # `\@key` prints "@key" and cites nothing, as in pandoc
            md.ESCAPED_CHARS.append("@")
        md.inlinePatterns.register(CitationProcessor(CITATION_GROUP, md, self), "medsite_citation", 172)
        md.inlinePatterns.register(InTextProcessor(IN_TEXT, md, self), "medsite_citation_in_text", 171)
        md.treeprocessors.register(CitationTreeprocessor(md, self), "medsite_citation_numbers", 19)
        md.parser.blockprocessors.register(BibliographyCommand(md.parser), "medsite_bibliography_command", 15)

    def _load(self, md: Markdown) -> bool:
        """Load and format the bibliography named in mkdocs.yml; False if the engine does not say where
        mkdocs.yml is and the folder is relative to it (an engine calls this again for every page)."""
        root = engine_config(md).get("root_dir")
        folder = Path(str(self.getConfig("bibliography")))
        if not (folder.is_absolute() or root):
            return False
        base = Path(str(root)).resolve() if root else folder.resolve().parent
        bibliography = load_bibliography((base / folder).resolve(), root=base, memory=_WITHOUT_HOOKS[0])
        style, problems = citation_style(self.getConfigs(), "mkdocs.yml")
        if found := errors(bibliography.problems + problems):
            raise ProblemsError(found)
        self.bibliography = bibliography
        self.references = format_bibliography(bibliography, cache_root=base, style=style,
                                              memory=_WITHOUT_HOOKS[1])
        return True


class _Unplaced(Preprocessor):
    """Stops a conversion the bibliography could not be loaded for, saying what is missing."""

    def __init__(self, md: Markdown, folder: str) -> None:
        super().__init__(md)
        self.folder = folder

    def run(self, lines: list[str]) -> list[str]:
        raise ProblemsError([Problem("mkdocs.yml", None, (
            f"found `bibliography: {self.folder}` under {CITATIONS_EXTENSION}, a folder relative to "
            "mkdocs.yml, but this engine does not tell Markdown extensions where mkdocs.yml is; expected "
            "the project's hooks (MkDocs, ProperDocs), an engine that says it (Zensical), or an absolute "
            "folder"))])


def makeExtension(**options: object) -> CitationsExtension:  # noqa: N802 (Python-Markdown's entry point)
    """What an engine calls for `medsite.extensions.citations` listed in mkdocs.yml's markdown_extensions."""
    return CitationsExtension(**options)
