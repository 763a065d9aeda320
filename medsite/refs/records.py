"""What Crossref and PubMed say about a cited work, read from their answers into one shape.

Crossref's REST API answers `GET /works/{doi}` with `{"status": "ok", "message": {...}}`: `title`,
`author` (`family`, `given`, `sequence`), `container-title` and `short-container-title`, dates as
`{"date-parts": [[2010, 10, 2]]}` under `issued`, `published-print` and `published-online`; `updated-by`
lists the notices that update the work (retraction, expression of concern, correction, ..., from the
publisher or from the Retraction Watch database), `update-to` the works a notice updates. NCBI's
E-utilities answer `esummary.fcgi?db=pubmed&retmode=json&id=…` with `{"result": {"uids": [...], "<pmid>":
{...}}}`: `title`, `authors` (`name` as "de Bono JS"), `source` (the journal's abbreviation) and
`fulljournalname`, `pubdate` ("2010 Oct 2"), `articleids` (the DOI among them), `pubtype` ("Retracted
Publication", "Retraction of Publication", ...) and `references` (`reftype` "Retraction in", "Erratum in",
"Expression of concern in", ...); an unknown PMID comes back as `{"uid": …, "error": …}`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

RETRACTION = "retraction"
CONCERN = "expression_of_concern"
CORRECTION = "correction"
# Crossref's update types (and Retraction Watch's natures), grouped by what a reader must be told.
KINDS = {
    "retraction": RETRACTION,
    "partial_retraction": RETRACTION,
    "withdrawal": RETRACTION,
    "removal": RETRACTION,
    "expression_of_concern": CONCERN,
    "correction": CORRECTION,
    "corrigendum": CORRECTION,
    "erratum": CORRECTION,
}
# PubMed's comment/correction links on a work that was later updated.
PUBMED_UPDATES = {
    "retraction in": RETRACTION,
    "retracted and republished in": RETRACTION,
    "partial retraction in": RETRACTION,
    "expression of concern in": CONCERN,
    "erratum in": CORRECTION,
    "corrected and republished in": CORRECTION,
}
PUBMED_NOTICES = {
    "retraction of": RETRACTION,
    "expression of concern for": CONCERN,
    "erratum for": CORRECTION,
    "partial retraction of": RETRACTION,
}
_TAGS = re.compile(r"<[^>]+>")
_YEAR = re.compile(r"\b(1[6-9]\d\d|2\d\d\d)\b")


@dataclass(frozen=True)
class Update:
    """A notice about a work: what kind, when, and where to read it."""

    kind: str  # RETRACTION, CONCERN or CORRECTION
    date: str | None  # ISO date, or as much of one as the source gave (2010-02)
    doi: str | None = None
    pmid: str | None = None
    label: str = ""  # as the source names it, e.g. "Retraction"

    @property
    def url(self) -> str | None:
        """Where a reader can look the source up (DOI first, else PubMed)."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else None


@dataclass(frozen=True)
class Record:
    """A work as a bibliographic database describes it."""

    source: str  # "Crossref" or "PubMed"
    identifier: str  # the DOI (lower case) or the PMID asked for
    titles: tuple[str, ...] = ()
    first_author: str | None = None  # family name
    years: tuple[int, ...] = ()
    journals: tuple[str, ...] = ()
    doi: str | None = None  # the DOI PubMed holds for a PMID
    updates: tuple[Update, ...] = ()  # notices about this work
    notice_of: tuple[Update, ...] = field(default=())  # the works this record is itself a notice about

    def to_json(self) -> dict:
        """The record as the cache stores it."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Record:
        """A record read back from the cache."""
        return cls(
            **{
                **data,
                "titles": tuple(data.get("titles", ())),
                "years": tuple(data.get("years", ())),
                "journals": tuple(data.get("journals", ())),
                "updates": tuple(Update(**u) for u in data.get("updates", ())),
                "notice_of": tuple(Update(**u) for u in data.get("notice_of", ())),
            }
        )


def normal_doi(doi: str) -> str:
    """DOIs are case-insensitive; bibliographies write them bare, as URLs or with `doi:`."""
    doi = doi.strip()
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    return doi.lower()


def _text(value: object) -> str:
    return " ".join(_TAGS.sub("", value).split()) if isinstance(value, str) else ""


def _texts(values: object) -> tuple[str, ...]:
    items = values if isinstance(values, list) else [values]
    return tuple(text for item in items if (text := _text(item)))


def _date(value: object) -> str | None:
    """`{"date-parts": [[2010, 2, 6]]}` → "2010-02-06" (as many parts as given)."""
    parts = value.get("date-parts") if isinstance(value, dict) else None
    if not (isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]):
        return None
    numbers = [n for n in parts[0] if isinstance(n, int)]
    if not numbers:
        return None
    return "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:3])])


def _crossref_updates(items: object) -> tuple[Update, ...]:
    found = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        kind = KINDS.get(str(item.get("type", "")).strip().lower().replace(" ", "_").replace("-", "_"))
        if kind is not None:
            doi = item.get("DOI")
            found.append(
                Update(
                    kind,
                    _date(item.get("updated")),
                    normal_doi(doi) if isinstance(doi, str) else None,
                    label=_text(item.get("label")) or kind.replace("_", " "),
                )
            )
    return tuple(dict.fromkeys(found))  # the publisher and Retraction Watch may both list a notice


def crossref_record(doi: str, message: dict) -> Record:
    """The `message` of Crossref's answer for one DOI."""
    authors = [a for a in message.get("author") or [] if isinstance(a, dict)]
    first = next((a for a in authors if a.get("sequence") == "first"), authors[0] if authors else None)
    years = []
    for key in ("issued", "published-print", "published-online", "published"):
        date = _date(message.get(key))
        if date:
            years.append(int(date[:4]))
    return Record(
        source="Crossref",
        identifier=normal_doi(doi),
        titles=tuple(" ".join(parts) for parts in _title_variants(message)),
        first_author=_text(first.get("family") or first.get("name")) if first else None,
        years=tuple(dict.fromkeys(years)),
        journals=_texts(message.get("container-title")) + _texts(message.get("short-container-title")),
        doi=normal_doi(str(message.get("DOI") or doi)),
        updates=_crossref_updates(message.get("updated-by")),
        notice_of=_crossref_updates(message.get("update-to")),
    )


def _title_variants(message: dict) -> list[tuple[str, ...]]:
    """The title alone and with its subtitle: a .bib entry may write either."""
    titles = _texts(message.get("title"))
    subtitles = _texts(message.get("subtitle"))
    variants = [(title,) for title in titles]
    variants += [(title + ":", subtitle) for title in titles for subtitle in subtitles]
    return variants + [(title,) for title in _texts(message.get("original-title"))]


def pubmed_records(result: dict) -> dict[str, Record | None]:
    """Each PMID of an esummary `result`: its record, or None when PubMed has no such PMID."""
    records: dict[str, Record | None] = {}
    for uid in result.get("uids") or []:
        summary = result.get(str(uid))
        if not isinstance(summary, dict) or summary.get("error"):
            records[str(uid)] = None
            continue
        records[str(uid)] = pubmed_record(str(uid), summary)
    return records


def pubmed_record(pmid: str, summary: dict) -> Record:
    """A source's record from its PubMed summary."""
    authors = [
        a
        for a in summary.get("authors") or []
        if isinstance(a, dict) and a.get("authtype", "Author") == "Author"
    ]
    first = _text(summary.get("sortfirstauthor")) or (_text(authors[0].get("name")) if authors else "")
    years = [
        int(match.group(1))
        for key in ("pubdate", "epubdate", "sortpubdate")
        if (match := _YEAR.search(str(summary.get(key) or "")))
    ]
    doi = next(
        (
            normal_doi(item["value"])
            for item in summary.get("articleids") or []
            if isinstance(item, dict) and item.get("idtype") == "doi" and isinstance(item.get("value"), str)
        ),
        None,
    )
    updates, notices = [], []
    for reference in summary.get("references") or []:
        if not isinstance(reference, dict):
            continue
        reftype = str(reference.get("reftype", "")).strip().lower()
        linked = str(reference["pmid"]) if reference.get("pmid") else None
        if reftype in PUBMED_UPDATES:
            updates.append(
                Update(PUBMED_UPDATES[reftype], None, pmid=linked, label=reference.get("reftype", ""))
            )
        elif reftype in PUBMED_NOTICES:
            notices.append(
                Update(PUBMED_NOTICES[reftype], None, pmid=linked, label=reference.get("reftype", ""))
            )
    pubtypes = {str(kind).lower() for kind in summary.get("pubtype") or []}
    if "retracted publication" in pubtypes and not any(u.kind == RETRACTION for u in updates):
        updates.append(Update(RETRACTION, None, label="Retracted Publication"))
    return Record(
        source="PubMed",
        identifier=pmid,
        titles=_texts(summary.get("title")),
        first_author=_family(first) or None,
        years=tuple(dict.fromkeys(years)),
        journals=_texts(summary.get("source")) + _texts(summary.get("fulljournalname")),
        doi=doi,
        updates=tuple(updates),
        notice_of=tuple(notices),
    )


def _family(name: str) -> str:
    """PubMed writes authors as "de Bono JS": the family name is all but the trailing initials."""
    words = name.split()
    if len(words) > 1 and words[-1].isupper() and len(words[-1]) <= 4:
        words = words[:-1]
    return " ".join(words)
