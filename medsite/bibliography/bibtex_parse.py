"""One .bib file's text → entries with their lines, and every mistake in it as a Problem.

bibtexparser 2 splits the file (its failed blocks carry 0-based start lines) and names;
`medsite.bibliography.csl_json` turns each entry into CSL-JSON, decoding the LaTeX of the fields it prints
(`medsite.bibliography.bibtex_text`). No silent loss: an entry that would print without what a reader needs to
find the work (for an article: its journal and year), a field that swallowed the next one (a missing comma),
an organisation read as people's names and a field that is not valid LaTeX are errors with the file and line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import bibtexparser
from bibtexparser.exceptions import BlockAbortedException, ParsingException
from bibtexparser.middlewares.names import (
    NameParts,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    ParsingFailedBlock,
)
from bibtexparser.model import (
    Entry as BibtexEntry,
)

from medsite.bibliography import bibtex_text, csl_json
from medsite.citations.bib_model import CITATION_KEY, Entry
from medsite.core.parallel import in_processes, workers_for
from medsite.core.problems import Problem

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PMID = re.compile(r"[1-9][0-9]{0,9}")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_TYPES = ", ".join(f"@{kind}" for kind in sorted(csl_json.CSL_TYPES))
# `}  doi = {` inside a value: the comma after the previous value is missing.
_SWALLOWED = re.compile(r"(?:[}\"]|\n)\s*(?P<field>[A-Za-z][\w-]*)\s*=\s*[{\"\w]")
KNOWN_FIELDS = frozenset(str.split("""
    abstract address annotation annote archiveprefix author booktitle chapter date day doi edition editor
    eprint eprintclass eprinttype eventdate eventtitle file howpublished institution isbn issn issue
    journal journaltitle keywords langid language location maintitle month note number organization pages
    pagetotal pmcid pmid primaryclass publisher school series shortjournal shorttitle subtitle timestamp
    title titleaddon type url urldate venue version volume year"""))
PARTICLES = frozenset(str.split("""
    d' da dal dalla das de del della delle dello den der des di do dos du e l' la le les lo op t' te ten ter
    van vande vanden vander vom von y zu zum zur af av al el bin ibn st st. dem"""))
ORGANISATION_WORDS = frozenset(str.split("""
    academy administration agency alliance association authority board bureau center centers centre centres
    coalition collaboration collaborative college commission committee company consortium corporation
    council department federation force forum foundation group hospital inc initiative institute institutes
    investigators ltd ministry network office organisation organization panel partnership prevention
    program programme registry service services society team trialists trust union university"""))


@contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """bibtexparser logs each failed block; they come back as Problems with file and line instead."""
    logger = logging.getLogger("bibtexparser")
    disabled, logger.disabled = logger.disabled, True
    try:
        yield
    finally:
        logger.disabled = disabled


def _line(text: str, index: int | None) -> int | None:
    return None if index is None else text.count("\n", 0, index) + 1


def _failure(block: ParsingFailedBlock, text: str, path: str) -> Problem:
    line = block.start_line + 1 if block.start_line is not None else None
    if isinstance(block, DuplicateBlockKeyBlock):
        first = block.previous_block.start_line + 1
        return Problem(path, line, f"duplicate key '{block.key}': already defined at {path}:{first}; "
                                   "expected each key once across all .bib files")
    if isinstance(block, DuplicateFieldKeyBlock):
        fields = ", ".join(sorted(block.duplicate_keys))
        return Problem(path, line, f"entry '{block.ignore_error_block.key}' sets {fields} more than once; "
                                   "expected each field once")
    error = block.error
    reason = error.abort_reason if isinstance(error, BlockAbortedException) else str(error)
    stop = _line(text, getattr(error, "end_index", None))
    where = f" (parsing stopped at line {stop})" if stop and stop != line else ""
    return Problem(path, line, f"malformed BibTeX entry{where}: {reason.strip()}; "
                               "expected @type{key, field = {value}, ...}")


_EPRINT_PMID = ("pubmed", "pmid")


def _identifiers(key: str, text: dict[str, str], lines: dict[str, int],
                 path: str) -> tuple[str | None, str | None, str | None, list[Problem]]:
    """doi (without a doi.org prefix), pmid and url of an entry, verbatim, and a problem for each malformed
    one. A PMID may come as `pmid` or as BibLaTeX's `eprint` with `eprinttype = {pubmed}`; an arXiv
    `eprint` (`eprinttype = {arxiv}`, or BibTeX's `archiveprefix = {arXiv}`) gives the URL if none is set."""
    doi = _DOI_PREFIX.sub("", text["doi"]) if text.get("doi") else None
    pmid_field = "pmid"
    eprint_type = (text.get("eprinttype") or text.get("archiveprefix") or "").lower()
    if not text.get("pmid") and text.get("eprint") and eprint_type in _EPRINT_PMID:
        pmid_field = "eprint"
    pmid, url = text.get(pmid_field) or None, text.get("url") or None
    if url is None and text.get("eprint") and eprint_type == "arxiv":
        url = f"https://arxiv.org/abs/{text['eprint']}"
    checks = [("doi", doi, _DOI, "is not a DOI; expected 10.<registrant>/<suffix>"),
              (pmid_field, pmid, _PMID, "is not a PubMed id; expected digits only"),
              ("url", url, _URL, "is not a web address; expected http:// or https://")]
    problems = [Problem(path, lines.get(name, lines["@"]), f"{name} '{text.get(name, value)}' of '{key}' "
                                                           f"{message}")
                for name, value, pattern, message in checks
                if value is not None and not pattern.fullmatch(value)]
    return doi, pmid, url, problems


def _swallowed(key: str, raw: dict[str, str], lines: dict[str, int], path: str) -> list[Problem]:
    """A value holding `name = ` after a brace or at a line start took the next field in (a missing comma)."""
    problems = []
    for name, value in raw.items():
        match = _SWALLOWED.search(value)
        if match and match.group("field").lower() in KNOWN_FIELDS:
            problems.append(Problem(path, lines[name], f"field '{name}' of '{key}' swallowed the next field "
                                                       f"('{match.group('field')} = ...'); expected a comma "
                                                       "after each field's value"))
    return problems


def _names(key: str, raw: dict[str, str], lines: dict[str, int],
           path: str) -> tuple[dict[str, list[NameParts]], list[Problem]]:
    """author and editor split into names; an organisation written without braces is a problem."""
    names, problems = {}, []
    for role in ("author", "editor"):
        if role not in raw:
            continue
        written = split_multiple_persons_names(raw[role])
        names[role] = [parse_single_name_into_parts(name) for name in written]
        for name in written:
            if _looks_like_an_organisation(name):
                problems.append(Problem(
                    path, lines[role], f"{role} '{name}' of '{key}' reads as a person's name but looks "
                    "like an organisation's; expected an organisation in braces, e.g. author = "
                    "{{Centers for Disease Control and Prevention}}, or a person as 'Family, Given'"))
    return names, problems


def _looks_like_an_organisation(name: str) -> bool:
    if name.startswith("{") or "," in name:
        return False
    words = name.split()
    return len(words) > 1 and any(
        word.strip(".").lower() in ORGANISATION_WORDS or (word.islower() and word not in PARTICLES)
        for word in words)


def _missing(kind: str, entry_type: str, csl: dict, url: str | None, doi: str | None) -> list[str]:
    """What a reader needs to find the work that this entry lacks, as the fields to add."""
    needs = {"article-journal": [("container-title", "journal or journaltitle")],
             "paper-conference": [("container-title", "booktitle")],
             "chapter": [("container-title", "booktitle")],
             "thesis": [("publisher", "school or institution")],
             "report": [("publisher", "institution")]}.get(kind, [])
    missing = [fields for variable, fields in needs if variable not in csl]
    if "author" not in csl and "editor" not in csl and "title" not in csl:
        missing.append("author or title")
    if entry_type in ("online", "electronic", "www", "software"):
        if not (url or doi):
            missing.append("url or doi")
    elif "issued" not in csl and not (kind == "webpage" and (url or doi)):
        missing.append("year or date")
    return missing


def _entry(block: BibtexEntry, path: str) -> tuple[Entry | None, list[Problem]]:
    line = block.start_line + 1
    raw = {field.key.lower(): field.value for field in block.fields if isinstance(field.value, str)}
    lines = {field.key.lower(): (field.start_line or block.start_line) + 1 for field in block.fields}
    lines["@"] = line
    text = {name: value.strip() for name, value in raw.items()}
    kind, key = block.entry_type.lower(), block.key
    doi, pmid, url, problems = _identifiers(key, text, lines, path)
    problems += _swallowed(key, raw, lines, path)
    if kind not in csl_json.CSL_TYPES:
        problems.append(Problem(path, line, f"entry '{key}' has unknown type @{block.entry_type}; "
                                            f"expected one of {_TYPES}"))
    if not re.fullmatch(CITATION_KEY, key):
        problems.append(Problem(path, line, f"key '{key}' cannot be cited as [@{key}]; expected letters, "
                                            "digits and _, with . : - / + only between them"))
    if not text.get("title"):
        problems.append(Problem(path, line, f"entry '{key}' has no title; expected a title field"))
    names, found = _names(key, text, lines, path)
    problems += found
    if any(problem.severity == "error" for problem in problems):
        return None, problems
    try:
        csl, dates = csl_json.csl_item(kind, {**text, **names})
    except bibtex_text.LatexError as error:
        return None, [*problems, Problem(path, line, f"entry '{key}' has a field that is not valid LaTeX "
                                                     f"({error}); expected balanced braces and escaped "
                                                     "special characters (\\%, \\&, \\$)")]
    problems += [Problem(path, lines[date.field], f"{date.field} '{date.value}' of '{key}' is not a date; "
                                                  "expected YYYY, YYYY-MM or YYYY-MM-DD (or a range A/B)")
                 for date in dates]
    missing = [fields for fields in _missing(csl["type"], kind, csl, url, doi)
               if not (dates and fields == "year or date")]  # an unreadable date is reported once, above
    if missing:
        problems.append(Problem(path, line, f"entry '{key}' (@{kind}) would print without its "
                                            f"{', '.join(missing)}; expected those fields, so readers can "
                                            "find the source"))
    if csl["type"] == "article-journal" and not doi and not pmid:
        problems.append(Problem(path, line, f"journal article '{key}' has neither doi nor pmid; expected at "
                                            "least one so readers can find the source", severity="warning"))
    if any(problem.severity == "error" for problem in problems):
        return None, problems
    entry = Entry(key=key, kind=kind, path=path, line=line, csl=csl, doi=doi, pmid=pmid, url=url)
    return entry, problems


def parse_bib(text: str, path: str) -> tuple[list[Entry], list[Problem]]:
    """The usable entries of one .bib file's text and every problem found in it."""
    with _quiet_bibtexparser():
        try:
            library = bibtexparser.parse_string(text)
        except ParsingException as error:
            return [], [Problem(path, None, f"unreadable BibTeX ({error}); expected @type{{key, ...}} "
                                            "entries")]
    problems = [_failure(block, text, path) for block in library.failed_blocks]
    entries = []
    for block in library.entries:
        entry, found = _entry(block, path)
        problems.extend(found)
        if entry is not None:
            entries.append(entry)
    return entries, problems


_ENTRY_START = re.compile(r"^@", re.MULTILINE)
_STRING = re.compile(r"^\s*@string\b", re.MULTILINE | re.IGNORECASE)
PARSE_CHUNK = 400  # entries per worker process at least


def parse_in_parallel(text: str, path: str, *, chunk: int = PARSE_CHUNK,
                      workers: int | None = None) -> tuple[list[Entry], list[Problem]]:
    """`parse_bib`, with a large file cut into runs of whole entries parsed in separate processes.

    Each run is cut where a line starts with `@` and keeps its place in the file (the lines before it
    become empty lines), so every line number is the file's own. A file with `@string` macros, or any run
    with an error (a cut inside a value would give one), is parsed again whole: the result is always the
    whole file's. A key defined twice in two runs is found across files and runs (medsite.bibliography.load).
    """
    starts = [match.start() for match in _ENTRY_START.finditer(text)]
    workers = workers_for(len(starts), chunk, workers)
    if workers < 2 or _STRING.search(text):
        return parse_bib(text, path)
    size = -(-len(starts) // workers)
    cuts = [0, *starts[size::size], len(text)]
    batches = [("\n" * text.count("\n", 0, begin) + text[begin:end], path)
               for begin, end in zip(cuts, cuts[1:], strict=False)]
    parts = in_processes(parse_bib, batches, workers)
    if any(problem.severity == "error" for _, problems in parts for problem in problems):
        return parse_bib(text, path)
    return ([entry for entries, _ in parts for entry in entries],
            [problem for _, found in parts for problem in found])
