"""A decoded BibTeX entry as a CSL-JSON item, built here rather than by a converter so names come out right.

Name particles go to `non-dropping-particle`, so AMA prints "de Bono JS" (a converter that files "de" as a
dropping particle prints "Bono JS de"); "and others" becomes a literal "et al"; a braced corporate author
(`{European Association of Urology}`) stays one literal name. Identifiers (doi, pmid, url) and `note` are
left out on purpose: the site prints identifiers as its own links, and notes hold provenance remarks.
"""

from __future__ import annotations

from bibtexparser.middlewares.names import NameParts

CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "manual": "report",
    "techreport": "report",
    "report": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "thesis": "thesis",
    "unpublished": "manuscript",
    "online": "webpage",
    "misc": "webpage",
}
MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_TEXT_FIELDS = {"title": "title", "volume": "volume", "pages": "page", "edition": "edition",
                "address": "publisher-place", "series": "collection-title"}


def _name(parts: NameParts) -> dict[str, str]:
    family, given = " ".join(parts.last), " ".join(parts.first)
    particle, suffix = " ".join(parts.von), " ".join(parts.jr)
    if family.lower() == "others" and not (given or particle or suffix):
        return {"literal": "et al"}
    if not (given or particle or suffix):
        return {"literal": family}
    name = {"family": family, "given": given, "non-dropping-particle": particle, "suffix": suffix}
    return {part: value for part, value in name.items() if value}


def _names(value: object) -> list[dict[str, str]]:
    names = value if isinstance(value, list) else []
    return [_name(parts) for parts in names if isinstance(parts, NameParts)]


def _issued(year: str, month: str) -> dict:
    if not year.isdigit():
        return {"literal": year}
    parts = [int(year)]
    month_number = MONTHS.get(month[:3].lower()) or (int(month) if month.isdigit() else None)
    if month_number and 1 <= month_number <= 12:
        parts.append(month_number)
    return {"date-parts": [parts]}


def csl_item(entry_type: str, fields: dict[str, object]) -> dict:
    """The CSL-JSON item (without `id`) for a BibTeX entry of `entry_type` with decoded `fields`."""
    text = {name: value for name, value in fields.items() if isinstance(value, str) and value}
    kind = CSL_TYPES.get(entry_type, "document")
    item: dict = {"type": kind}
    item.update({csl: text[bib] for bib, csl in _TEXT_FIELDS.items() if bib in text})
    container = text.get("journal") or text.get("booktitle") or (
        text.get("howpublished") if kind == "webpage" else None)
    if container:
        item["container-title"] = container
    if "number" in text:
        item["issue" if kind == "article-journal" else "number"] = text["number"]
    authors, editors = _names(fields.get("author")), _names(fields.get("editor"))
    organization = text.get("organization") or text.get("institution")
    if not authors and not editors and organization:
        authors, organization = [{"literal": organization}], None
    if publisher := text.get("publisher") or organization or text.get("school"):
        item["publisher"] = publisher
    if authors:
        item["author"] = authors
    if editors:
        item["editor"] = editors
    if "year" in text:
        item["issued"] = _issued(text["year"], text.get("month", ""))
    return item
