"""Three places where citeproc-py 0.x departs from the CSL 1.0 specification, put right as pandoc's citeproc
does it. Applied once, when `medsite.bibliography.citeproc_format` is imported; each is tested through its
output.

- A title or editors standing in for a missing author are printed a second time ("Anonymous article.
  Anonymous article.", "Smith J, eds. Book. (Smith J, eds.)"): CSL suppresses a substituted variable in
  the rest of the entry. citeproc-py records only a plain variable, and only `<text>` consults the record;
  here a macro's variables and each role of a `<names>` are recorded, and `<names>` consults the record.
- Page ranges: a short range ("1234-45") is never expanded, and "minimal" turns "1-10" into "1-0". Here the
  last page is first completed, then shortened as the style's `page-range-format` says.
- A date whose form comes from the style's locale ("2021 Mar 4" in Vancouver) loses its delimiter
  ("2021Mar4") when the calling `<date>` sets none.

And two for speed, with the same output (tests/test_citations_format.py compares): citeproc-py asks lxml the
same XPath questions of the same style elements for every entry (its macros, terms, the layout an element
is in: about a third of the time it takes to format an entry), so each element's answers are kept; and it
looks each item's reference up again through four dict-backed attribute lookups on each of its fifty or so
uses, so each item keeps its reference (37 % fewer instructions formatting 300 entries).
"""

from __future__ import annotations

import os

from citeproc.model import CitationStylesElement, Date, FormatNumber, Names, Substitute
from citeproc.source import CitationItem, VariableError
from lxml import etree

_CSL = "{http://purl.org/net/xbiblio/csl}"
_TEXT, _NAMES = f"{_CSL}text", f"{_CSL}names"


def last_page(first: str, last: str, range_format: str | None) -> str:
    """The last page of a range as the style prints it: "1234", "45" → "1245" expanded, "45" minimal."""
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[:len(first) - len(last)] + last
    if range_format not in ("minimal", "minimal-two") or len(first) != len(last) or not last.isdigit():
        return last
    keep = 2 if range_format == "minimal-two" else 1
    common = len(os.path.commonprefix([first, last]))
    return last[min(common, max(len(last) - keep, 0)):]


def _repressed_roles(layout: etree._Element) -> list[str]:
    return layout.repressed.get(_NAMES, [])


XPATH_SEARCH = CitationStylesElement.xpath_search  # citeproc-py's own, asked again on every call
# (element, expression) -> its answer. Style and locale elements live as long as the process (the parsed
# style is cached), and an answer never changes: rendering adds a missing <name> to a <names> at most, which
# none of the expressions citeproc-py asks (ancestors, macros, terms, following siblings) can see.
_ANSWERS: dict[tuple[etree._Element, str], object] = {}


def _xpath_search(self: CitationStylesElement, expression: str) -> object:
    key = (self, expression)
    if (found := _ANSWERS.get(key)) is None:
        found = _ANSWERS[key] = XPATH_SEARCH(self, expression)
    return list(found) if isinstance(found, list) else found


REFERENCE = CitationItem.reference  # citeproc-py's own, looked up again on every call


def _reference(self: CitationItem) -> object:
    """The item's reference, looked up once: citeproc-py finds it through four attribute lookups of its
    dict-backed objects on every use (about fifty uses an entry). Kept in the instance's own `__dict__`,
    not as a dict item (citeproc-py's CustomDict stores attributes set the usual way as its items); the
    source of a bibliography never changes once it is made."""
    found = self.__dict__.get("_medsite_reference")
    if found is None:
        found = REFERENCE.fget(self)
        object.__setattr__(self, "_medsite_reference", found)
    return found


def apply() -> None:
    """Patch citeproc-py where it departs from CSL (once per process)."""
    if getattr(Substitute.add_to_repressed_list, "medsite", False):
        return
    record, process = Substitute.add_to_repressed_list, Names.process
    format_last = FormatNumber._format_last_page

    def add_to_repressed_list(self: Substitute, child: etree._Element, context: etree._Element) -> None:
        repressed = context.get_layout().repressed
        if child.tag == _TEXT and child.get("macro"):
            macro = child.get_macro(child.get("macro"))
            repressed.setdefault(_TEXT, []).extend(
                element.get("variable") for element in macro.iter(_TEXT) if element.get("variable"))
        elif child.tag == _NAMES:
            repressed.setdefault(_NAMES, []).extend(child.get("variable").split())
        else:
            record(self, child, context)

    def names_process(self: Names, item: object, names_context: Names | None = None,
                      context: etree._Element | None = None, **kwargs: object) -> object:
        layout = (context if context is not None else self).xpath_search("./ancestor-or-self::cs:layout[1]")
        roles = self.get("variable").split()
        if layout and all(role in _repressed_roles(layout[0]) for role in roles):
            raise VariableError
        return process(self, item, names_context=names_context, context=context, **kwargs)

    def format_last_page(self: FormatNumber, first: str, last: str) -> str:
        range_format = self.get_root().get_option("page-range-format")
        if range_format in (None, "expanded", "minimal", "minimal-two"):
            return last_page(first, last, range_format)
        return format_last(self, first, last)

    def render_single_date(self: Date, date: object, show_parts: object = None,
                           context: etree._Element | None = None) -> object:
        parts = self.parts(date, show_parts, context) if context is not self else self.parts(date, show_parts)
        if not parts:
            return None
        locale_date = self.is_locale_date() and context is not None
        delimiter_from = context if locale_date and context.get("delimiter") is not None else self
        return delimiter_from.join(parts)

    add_to_repressed_list.medsite = True
    Substitute.add_to_repressed_list = add_to_repressed_list
    Names.process = names_process
    FormatNumber._format_last_page = format_last_page
    Date.render_single_date = render_single_date
    CitationStylesElement.xpath_search = _xpath_search
    CitationItem.reference = property(_reference)
