"""Does each .bib entry describe the work its DOI and PMID point to, and has that work been retracted?

`medsite refs verify` asks Crossref about every DOI and PubMed about every PMID, then compares the title,
first author, year and journal with the entry: a DOI pasted from another paper is the common mistake, and
it shows as a title that does not match. It also reports notices about the work (retraction, expression
of concern, correction). Answers are kept in `.cache/medsite/sources.json` with the date they were
fetched; the build reads that file and never the network, so a retraction found by the weekly run reaches
readers at the next build.
"""

from __future__ import annotations

import copy
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from medsite.citations.bib_model import Bibliography, Entry
from medsite.core import json_cache
from medsite.core.file_state import file_state
from medsite.core.problems import Problem
from medsite.refs.records import CONCERN, CORRECTION, RETRACTION, Record, Update, normal_doi

CACHE_NAME = "sources.json"
CACHE_VERSION = "1"
TITLE_SIMILARITY = 0.85  # difflib ratio of normalised titles that still counts as the same title
_STOPWORDS = frozenset({"of", "the", "and", "for", "in", "on", "&", "de", "la", "le", "der", "und"})
_RETRACTED_PREFIX = re.compile(r"^(?:retracted(?: article)?|withdrawn|retraction)\s*[:.]\s*", re.IGNORECASE)
SEVERITY = {RETRACTION: "error", CONCERN: "warning", CORRECTION: "warning"}
SHOWN = {RETRACTION: "retracted", CONCERN: "expression of concern", CORRECTION: "corrected"}


@dataclass(frozen=True)
class Lookup:
    """One identifier's answer as the cache keeps it: the record, or None when the database has no such
    identifier, and the day it was asked."""

    checked: str  # ISO date
    record: Record | None

    def to_json(self) -> dict:
        """The lookup as the cache stores it."""
        return {"checked": self.checked, "record": self.record.to_json() if self.record else None}

    @classmethod
    def from_json(cls, data: object) -> Lookup | None:
        """A lookup read back from the cache, or None for anything unreadable."""
        if not (isinstance(data, dict) and isinstance(data.get("checked"), str)):
            return None
        try:
            record = Record.from_json(data["record"]) if data.get("record") else None
        except (TypeError, KeyError):
            return None
        return cls(data["checked"], record)


def doi_key(doi: str) -> str:
    """The cache key of a DOI."""
    return f"doi:{normal_doi(doi)}"


def pmid_key(pmid: str) -> str:
    """The cache key of a PMID."""
    return f"pmid:{pmid.strip()}"


def entry_keys(entry: Entry) -> list[str]:
    """The cache keys of an entry's identifiers."""
    return [*([doi_key(entry.doi)] if entry.doi else []), *([pmid_key(entry.pmid)] if entry.pmid else [])]


def cache_path(root: Path) -> Path:
    """The file of cached answers of the project whose mkdocs.yml is in `root`: an input of every build (the
    notices beside references, the review states of articles citing a retracted work)."""
    return json_cache.cache_file(root, CACHE_NAME)


def read_cache(root: Path) -> dict[str, Lookup]:
    """The cached answers of the project whose mkdocs.yml is in `root` (empty when there are none)."""
    items = json_cache.read_json(cache_path(root), version=CACHE_VERSION)
    return {key: lookup for key, value in items.items() if (lookup := Lookup.from_json(value)) is not None}


def write_cache(root: Path, lookups: Mapping[str, Lookup]) -> None:
    """Store the answers under `.cache/medsite/`."""
    json_cache.write_json(
        cache_path(root),
        {key: lookup.to_json() for key, lookup in sorted(lookups.items())},
        version=CACHE_VERSION,
    )


# --- comparing an entry with a record ------------------------------------------------------------------


def _plain(text: str) -> str:
    """Lower case, accents and punctuation gone, one space between words."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).replace("_", " ").split())


def same_title(entry_title: str, titles: Iterable[str]) -> bool:
    """The same title once case, punctuation, markup and a "RETRACTED:" prefix are set aside."""
    mine = _plain(entry_title)
    for title in titles:
        theirs = _plain(_RETRACTED_PREFIX.sub("", title))
        if not theirs:
            continue
        if mine == theirs or difflib.SequenceMatcher(None, mine, theirs).ratio() >= TITLE_SIMILARITY:
            return True
    return False


def same_author(entry_family: str, family: str) -> bool:
    """The same family name, with or without its particle ("de Bono" and "Bono")."""
    mine, theirs = _plain(entry_family).replace(" ", ""), _plain(family).replace(" ", "")
    return bool(mine and theirs) and (mine == theirs or mine.endswith(theirs) or theirs.endswith(mine))


def same_journal(entry_journal: str, journals: Iterable[str]) -> bool:
    """The same journal, written out or abbreviated as PubMed and Crossref do ("N Engl J Med" for "The New
    England Journal of Medicine"): each word of the shorter form starts a word of the longer, in order."""
    mine = [word for word in _plain(entry_journal).split() if word not in _STOPWORDS]
    for journal in journals:
        theirs = [word for word in _plain(journal).split() if word not in _STOPWORDS]
        if mine == theirs or _abbreviates(mine, theirs) or _abbreviates(theirs, mine):
            return True
    return False


def _abbreviates(short: list[str], long: list[str]) -> bool:
    if not short or len(short) != len(long):
        return False
    return all(word == full or full.startswith(word) for word, full in zip(short, long, strict=True))


def _entry_title(entry: Entry) -> str:
    return str(entry.csl.get("title") or "")


def _entry_family(entry: Entry) -> str:
    authors = entry.csl.get("author") or entry.csl.get("editor") or []
    first = authors[0] if authors and isinstance(authors[0], dict) else {}
    particle = first.get("non-dropping-particle") or ""
    return f"{particle} {first.get('family') or first.get('literal') or ''}".strip()


def _entry_year(entry: Entry) -> int | None:
    parts = (entry.csl.get("issued") or {}).get("date-parts") or [[]]
    year = parts[0][0] if parts and parts[0] else None
    try:
        return int(year) if year is not None else None
    except (TypeError, ValueError):
        return None


def _entry_journal(entry: Entry) -> str:
    return str(entry.csl.get("container-title") or "")


@dataclass(frozen=True)
class Finding:
    """Something to tell the editors about one entry."""

    key: str
    kind: str  # mismatch, not_found, retraction, expression_of_concern, correction, notice, unchecked
    severity: str
    message: str
    entry: Entry

    def problem(self) -> Problem:
        """The finding as `medsite refs verify` prints it."""
        return Problem(self.entry.path, self.entry.line, self.message, severity=self.severity)  # type: ignore[arg-type]


def compare(entry: Entry, record: Record) -> list[str]:
    """What the entry says that the record does not: each a short phrase."""
    named = f"{record.source} has"
    differences = []
    title = _entry_title(entry)
    if title and record.titles and not same_title(title, record.titles):
        differences.append(
            f"title '{record.titles[0]}' ({named} it for {_identifier(record)}; the entry says '{title}')"
        )
    family = _entry_family(entry)
    if family and record.first_author and not same_author(family, record.first_author):
        differences.append(f"first author {record.first_author} (the entry says {family})")
    year = _entry_year(entry)
    if year is not None and record.years and year not in record.years:
        differences.append(f"year {'/'.join(map(str, record.years))} (the entry says {year})")
    journal = _entry_journal(entry)
    if journal and record.journals and not same_journal(journal, record.journals):
        differences.append(f"journal '{record.journals[0]}' (the entry says '{journal}')")
    return differences


def _identifier(record: Record) -> str:
    return f"DOI {record.identifier}" if record.source == "Crossref" else f"PMID {record.identifier}"


def entry_findings(
    key: str, entry: Entry, lookups: Mapping[str, Lookup], unchecked: Mapping[str, str] | None = None
) -> list[Finding]:
    """Everything the cached answers say about one entry; `unchecked` names the identifiers this run could
    not ask about and why."""
    findings: list[Finding] = []
    unchecked = unchecked or {}

    def add(kind: str, severity: str, message: str) -> None:
        findings.append(Finding(key, kind, severity, f"'{key}': {message}", entry))

    for cache_key in entry_keys(entry):
        label = ("DOI " if cache_key.startswith("doi:") else "PMID ") + cache_key.split(":", 1)[1]
        if cache_key in unchecked:
            add("unchecked", "warning", f"{label} not checked: {unchecked[cache_key]}")
            continue
        lookup = lookups.get(cache_key)
        if lookup is None:
            continue
        record = lookup.record
        database = "Crossref" if cache_key.startswith("doi:") else "PubMed"
        if record is None:
            add(
                "not_found",
                "error",
                f"{label} is not known to {database}; expected the identifier of "
                f"'{_entry_title(entry)}' (check for a typo or a DOI from another paper)",
            )
            continue
        differences = compare(entry, record)
        if differences:
            add(
                "mismatch",
                "error",
                f"{label} does not match the entry: {database} has "
                + "; ".join(d.removeprefix(f"{database} has ") for d in differences)
                + "; expected the identifier of the cited work",
            )
        if record.source == "PubMed" and entry.doi and record.doi and record.doi != normal_doi(entry.doi):
            add(
                "mismatch",
                "error",
                f"{label} belongs to DOI {record.doi} in PubMed, but the entry's DOI is "
                f"{normal_doi(entry.doi)}; expected both identifiers of the same work",
            )
        for update in record.updates:
            add(
                update.kind,
                SEVERITY[update.kind],
                f"{database} lists a notice: {_described(update)} (checked {lookup.checked})",
            )
        for notice in record.notice_of:
            add(
                "notice",
                "warning",
                f"{label} is itself a notice ({notice.label or SHOWN[notice.kind]}) about "
                f"{notice.doi or notice.pmid or 'another work'}; expected the cited work "
                "unless the notice is what you mean to cite",
            )
    return _unique(findings)


def _described(update: Update) -> str:
    what = {
        RETRACTION: "the work was retracted",
        CONCERN: "an expression of concern was published",
        CORRECTION: "a correction was published",
    }[update.kind]
    when = f" on {update.date}" if update.date else ""
    where = f", {update.url}" if update.url else ""
    return f"{what}{when}{where}"


def _unique(findings: list[Finding]) -> list[Finding]:
    """Crossref and PubMed often report the same retraction: one finding per kind and message is enough,
    and a retraction known from one source need not be repeated with the other's words."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for finding in findings:
        marker = (
            (finding.kind, finding.message)
            if finding.kind in ("mismatch", "not_found", "unchecked", "notice")
            else (finding.kind, "")
        )
        if marker not in seen:
            seen.add(marker)
            kept.append(finding)
    return kept


def all_findings(
    bibliography: Bibliography, lookups: Mapping[str, Lookup], unchecked: Mapping[str, str] | None = None
) -> list[Finding]:
    """Every finding about every entry, from the answers at hand."""
    return [
        finding
        for key, entry in sorted(bibliography.entries.items())
        for finding in entry_findings(key, entry, lookups, unchecked)
    ]


# --- what the build shows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A reader-facing notice next to a reference."""

    kind: str  # RETRACTION, CONCERN or CORRECTION
    text: str  # "Retracted", "Expression of concern", "Corrected"
    date: str | None
    url: str | None
    checked: str  # when the notice was seen


NOTICE_TEXT = {RETRACTION: "Retracted", CONCERN: "Expression of concern", CORRECTION: "Corrected"}


def source_notices(bibliography: Bibliography, lookups: Mapping[str, Lookup]) -> dict[str, list[Notice]]:
    """The notices to show next to each cited key, retractions first, one per kind."""
    notices: dict[str, list[Notice]] = {}
    for key, entry in bibliography.entries.items():
        found: dict[str, Notice] = {}
        for cache_key in entry_keys(entry):
            lookup = lookups.get(cache_key)
            for update in lookup.record.updates if lookup and lookup.record else ():
                seen = found.get(update.kind)
                if seen is None or (not seen.url and update.url) or (not seen.date and update.date):
                    found[update.kind] = Notice(
                        update.kind,
                        NOTICE_TEXT[update.kind],
                        update.date or (seen.date if seen else None),
                        update.url or (seen.url if seen else None),
                        lookup.checked,
                    )
        if found:
            order = (RETRACTION, CONCERN, CORRECTION)
            notices[key] = [found[kind] for kind in order if kind in found]
    return notices


def retracted(notices: Mapping[str, list[Notice]]) -> set[str]:
    """The keys whose work has been retracted."""
    return {key for key, found in notices.items() if any(n.kind == RETRACTION for n in found)}


@dataclass
class NoticeMemo:
    """The cached answers that hold a notice, and the notices worked out from them, each with what it was
    made from (the cache file's state, the bibliography's digest): kept by the caller, so a build that asks
    once per page, and `mkdocs serve` across builds, parse the file again only when it changed."""

    lookups: tuple[tuple, dict[str, Lookup]] | None = None
    notices: tuple[tuple, dict[str, list[Notice]]] | None = None
    dashboard: tuple[tuple, dict] | None = None  # dashboard_sources


def _noted_lookups(root: Path, memo: NoticeMemo) -> tuple[tuple, dict[str, Lookup]]:
    """The cached answers that hold a notice, and the cache file's state."""
    cache = cache_path(root)
    state = file_state(cache)
    if state is None:
        return (cache,), {}
    memo_key = (cache, state)
    if memo.lookups is None or memo.lookups[0] != memo_key:
        memo.lookups = (memo_key, {key: lookup for key, lookup in read_cache(root).items()
                                   if lookup.record and lookup.record.updates})
    return memo.lookups


def site_notices(root: Path, bibliography: Bibliography,
                 memo: NoticeMemo | None = None) -> dict[str, list[Notice]]:
    """`source_notices` from the project's cache, worked out once per cache state and bibliography."""
    memo = memo if memo is not None else NoticeMemo()
    state, lookups = _noted_lookups(root, memo)
    if not lookups:
        return {}
    memo_key = (*state, bibliography.digest)
    if memo.notices is None or memo.notices[0] != memo_key:
        memo.notices = (memo_key, source_notices(bibliography, lookups))
    return memo.notices[1]


def retracted_keys(root: Path, bibliography: Callable[[], Bibliography],
                   memo: NoticeMemo | None = None) -> frozenset[str]:
    """The bibliography keys whose work the cached answers say was retracted; `bibliography()` is asked
    only when some cached answer holds a retraction."""
    memo = memo if memo is not None else NoticeMemo()
    _, lookups = _noted_lookups(root, memo)
    if not any(u.kind == RETRACTION for lookup in lookups.values() for u in lookup.record.updates):
        return frozenset()
    return frozenset(retracted(site_notices(root, bibliography(), memo)))


def dashboard_sources(root: Path, bibliography: Bibliography, memo: NoticeMemo | None = None) -> dict:
    """What the editorial dashboard shows about the sources, from the cache alone: how many identifiers have
    an answer and from when, and every finding (retractions first); worked out once per cache state and
    bibliography when the caller keeps a `memo` (`mkdocs serve` rebuilds the dashboard after every edit)."""
    if memo is None:
        return _dashboard_sources(root, bibliography)
    cache = cache_path(root)
    memo_key = (cache, file_state(cache), bibliography.digest)
    if memo.dashboard is None or memo.dashboard[0] != memo_key:
        memo.dashboard = (memo_key, _dashboard_sources(root, bibliography))
    return copy.deepcopy(memo.dashboard[1])  # the template's data: a build may not change the memo's


def _dashboard_sources(root: Path, bibliography: Bibliography) -> dict:
    lookups = read_cache(root)
    wanted = {key for entry in bibliography.entries.values() for key in entry_keys(entry)}
    known = [lookups[key] for key in wanted if key in lookups]
    order = {kind: index for index, kind in enumerate((RETRACTION, CONCERN, "mismatch", "not_found", "notice",
                                                       CORRECTION))}
    findings = sorted(all_findings(bibliography, lookups), key=lambda f: (order.get(f.kind, 9), f.key))
    return {
        "identifiers": len(wanted),
        "answered": len(known),
        "oldest": min((lookup.checked for lookup in known), default=None),
        "newest": max((lookup.checked for lookup in known), default=None),
        "findings": [{"key": f.key, "where": f.entry.where, "kind": f.kind, "severity": f.severity,
                      "message": f.message} for f in findings],
    }
