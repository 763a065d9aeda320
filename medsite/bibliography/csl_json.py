"""A BibTeX or BibLaTeX entry as a CSL-JSON item, built here rather than by a converter so names print right.

Both dialects, as Zotero (with or without Better BibTeX), Mendeley, EndNote and JabRef export them:
`journaltitle`/`journal`, `date`/`year`+`month`, `location`/`address`, `institution`/`school`, `urldate`,
`subtitle`, `eprint`+`eprinttype`. The mapping follows pandoc's BibLaTeX reader where pandoc is right.
Name particles go to `non-dropping-particle`, so AMA prints "de Bono JS" (pandoc files "de" as a dropping
particle and prints "Bono JS de"); "and others" becomes a literal "et al"; a braced corporate author
(`{European Association of Urology}`) stays one literal name. `note`, `abstract`, `keywords`, `file` and
the like are never read, so nothing in them can break a build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bibtexparser.middlewares.names import NameParts

from medsite.bibliography.bibtex_text import decode

CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
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
    "electronic": "webpage",
    "www": "webpage",
    "software": "software",
    "dataset": "dataset",
    "misc": "webpage",
}
MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
# BibLaTeX's `type` values for theses and reports, as pandoc prints them.
_GENRES = {"phdthesis": "PhD thesis", "mathesis": "Master\u2019s thesis",
           "mastersthesis": "Master\u2019s thesis", "techreport": "Technical report",
           "resreport": "Research report"}
_DEFAULT_GENRE = {"phdthesis": "PhD thesis", "mastersthesis": "Master\u2019s thesis"}
_TEXT_FIELDS = {"volume": "volume", "pages": "page", "edition": "edition", "series": "collection-title",
                "version": "version", "eventtitle": "event-title", "venue": "event-place"}
_ISO_DATE = re.compile(r"(?P<year>-?\d{1,4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)?\s*(?:ed\.?|edition)?", re.IGNORECASE)


@dataclass(frozen=True)
class DateError:
    """A date field that could not be read as a date."""

    field: str
    value: str


def _name(parts: NameParts) -> dict[str, str]:
    family, given = decode(" ".join(parts.last)), decode(" ".join(parts.first))
    particle, suffix = decode(" ".join(parts.von)), decode(" ".join(parts.jr))
    if family.lower() == "others" and not (given or particle or suffix):
        return {"literal": "et al"}
    if not (given or particle or suffix):
        return {"literal": family}
    name = {"family": family, "given": given, "non-dropping-particle": particle, "suffix": suffix}
    return {part: value for part, value in name.items() if value}


def _names(value: object) -> list[dict[str, str]]:
    names = value if isinstance(value, list) else []
    return [_name(parts) for parts in names if isinstance(parts, NameParts)]


def _iso_date(value: str) -> list[int] | None:
    match = _ISO_DATE.fullmatch(value.strip())
    if match is None:
        return None
    parts = [int(part) for part in match.group("year", "month", "day") if part is not None]
    if len(parts) > 1 and not 1 <= parts[1] <= 12 or len(parts) > 2 and not 1 <= parts[2] <= 31:
        return None
    return parts


def parse_date(value: str) -> dict | None:
    """An EDTF-like BibLaTeX date (`2020`, `2020-03`, `2020-03-15`, `2019/2020`, `2020/..`) as CSL."""
    ends = value.split("/")
    if len(ends) > 2:
        return None
    parts = [[] if end.strip() in ("", "..") else _iso_date(end) for end in ends]
    if any(part is None for part in parts) or not parts[0]:
        return None
    return {"date-parts": [part for part in parts if part]}


def _month(value: str) -> int | None:
    value = value.strip().rstrip(".")
    number = int(value) if value.isdigit() else MONTHS.get(value[:3].lower())
    return number if number and 1 <= number <= 12 else None


def _issued(fields: dict[str, str]) -> dict | DateError | None:
    if "date" in fields:
        return parse_date(fields["date"]) or DateError("date", fields["date"])
    if "year" not in fields:
        return None
    year = fields["year"].strip()
    if not year.isdigit():
        return {"literal": year}
    parts = [int(year)]
    if (month := _month(fields.get("month", ""))) is not None:
        parts.append(month)
        if fields.get("day", "").strip().isdigit():
            parts.append(int(fields["day"]))
    return {"date-parts": [parts]}


def _edition(value: str) -> str:
    """`2`, `2nd`, `2nd ed.` → "2" (the style adds "nd ed."); anything else as written."""
    match = _ORDINAL.fullmatch(value.strip())
    return match.group(1) if match else value


def _genre(entry_type: str, fields: dict[str, str]) -> str | None:
    if "type" in fields:
        return _GENRES.get(fields["type"].strip().lower(), decode(fields["type"]))
    return _DEFAULT_GENRE.get(entry_type)


def _title(fields: dict[str, str], name: str) -> str | None:
    title = decode(fields[name]) if name in fields else ""
    subtitle = decode(fields[f"{name.removesuffix('title')}subtitle"]) if (
        f"{name.removesuffix('title')}subtitle" in fields) else ""
    title = f"{title}: {subtitle}" if title and subtitle else title or subtitle
    if name == "title" and "titleaddon" in fields:
        title = f"{title}. {decode(fields['titleaddon'])}"
    return title or None


def csl_item(entry_type: str, fields: dict[str, object]) -> tuple[dict, list[DateError]]:
    """The CSL-JSON item (without `id`) for an entry of `entry_type` with raw (LaTeX) string `fields` and
    split names, and the date fields it could not read. Raises bibtex_text.LatexError."""
    raw = {name: value for name, value in fields.items() if isinstance(value, str) and value.strip()}
    kind = CSL_TYPES.get(entry_type, "document")
    item: dict = {"type": kind}
    if title := _title(raw, "title"):
        item["title"] = title
    item.update({csl: decode(raw[bib]) for bib, csl in _TEXT_FIELDS.items() if bib in raw})
    if "edition" in item:
        item["edition"] = _edition(item["edition"])
    container = _title(raw, "journaltitle") or _title(raw, "journal") or _title(raw, "booktitle") or (
        _title(raw, "maintitle") if kind in ("chapter", "paper-conference") else None)
    if container:
        item["container-title"] = container
    if short := raw.get("shortjournal"):
        item["container-title-short"] = decode(short)
    if "number" in raw:
        item["issue" if kind == "article-journal" else "number"] = decode(raw["number"])
    elif "issue" in raw and kind == "article-journal":
        item["issue"] = decode(raw["issue"])
    authors, editors = _names(fields.get("author")), _names(fields.get("editor"))
    organization = next((decode(raw[name]) for name in ("organization", "institution", "school")
                         if name in raw), None)
    if not authors and not editors and organization and kind not in ("thesis", "report"):
        authors, organization = [{"literal": organization}], None
    publishers = [decode(raw["publisher"])] if "publisher" in raw else []
    if organization and (kind in ("thesis", "report") or not publishers):
        publishers.insert(0, organization)
    if kind == "webpage" and "howpublished" in raw and "container-title" not in item:
        item["container-title"] = decode(raw["howpublished"])
    elif "howpublished" in raw:
        publishers.append(decode(raw["howpublished"]))
    if publishers:
        item["publisher"] = "; ".join(publishers)
    if place := raw.get("location") or raw.get("address"):
        item["publisher-place"] = decode(place)
    if authors:
        item["author"] = authors
    if editors:
        item["editor"] = editors
    if genre := _genre(entry_type, raw) if kind in ("thesis", "report") else None:
        item["genre"] = genre
    problems = []
    for name, csl in (("issued", "issued"), ("urldate", "accessed")):
        value = _issued(raw) if name == "issued" else (
            parse_date(raw["urldate"]) or DateError("urldate", raw["urldate"]) if "urldate" in raw else None)
        if isinstance(value, DateError):
            problems.append(value)
        elif value is not None:
            item[csl] = value
    return item, problems
