"""One .bib file's text → entries with their lines, and every mistake in it as a Problem.

bibtexparser 2 splits the file (its failed blocks carry 0-based start lines), splits names and decodes
LaTeX with pylatexenc (`medsite.bibtex_text`); `medsite.csl_json` turns each entry into CSL-JSON.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import bibtexparser
from bibtexparser.exceptions import BlockAbortedException, ParsingException
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    MiddlewareErrorBlock,
    ParsingFailedBlock,
)
from bibtexparser.model import (
    Entry as BibtexEntry,
)

from medsite import bibtex_text, csl_json
from medsite.bibliography import Entry
from medsite.citations import CITATION_KEY
from medsite.problems import Problem

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_PMID = re.compile(r"[1-9][0-9]{0,9}")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_TYPES = ", ".join(f"@{kind}" for kind in sorted(csl_json.CSL_TYPES))


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
    if isinstance(block, MiddlewareErrorBlock):
        return Problem(path, line, f"entry '{getattr(block.ignore_error_block, 'key', '?')}' could not be "
                                   f"decoded ({block.error}); expected valid LaTeX in its fields")
    error = block.error
    reason = error.abort_reason if isinstance(error, BlockAbortedException) else str(error)
    stop = _line(text, getattr(error, "end_index", None))
    where = f" (parsing stopped at line {stop})" if stop and stop != line else ""
    return Problem(path, line, f"malformed BibTeX entry{where}: {reason.strip()}; "
                               "expected @type{key, field = {value}, ...}")


def _identifiers(key: str, text: dict[str, str], lines: dict[str, int],
                 path: str) -> tuple[str | None, str | None, str | None, list[Problem]]:
    """doi (without a doi.org prefix), pmid and url of an entry, and a problem for each malformed one."""
    doi = _DOI_PREFIX.sub("", text["doi"]) if text.get("doi") else None
    pmid, url = text.get("pmid") or None, text.get("url") or None
    checks = [("doi", doi, _DOI, "is not a DOI; expected 10.<registrant>/<suffix>"),
              ("pmid", pmid, _PMID, "is not a PubMed id; expected digits only"),
              ("url", url, _URL, "is not a web address; expected http:// or https://")]
    problems = [Problem(path, lines[name], f"{name} '{text[name]}' of '{key}' {message}")
                for name, value, pattern, message in checks
                if value is not None and not pattern.fullmatch(value)]
    return doi, pmid, url, problems


def _entry(block: BibtexEntry, path: str) -> tuple[Entry | None, list[Problem]]:
    line = block.start_line + 1
    fields = {field.key.lower(): field.value for field in block.fields}
    lines = {field.key.lower(): (field.start_line or block.start_line) + 1 for field in block.fields}
    text = {name: value.strip() for name, value in fields.items() if isinstance(value, str)}
    kind, key = block.entry_type.lower(), block.key
    doi, pmid, url, problems = _identifiers(key, text, lines, path)
    if kind not in csl_json.CSL_TYPES:
        problems.append(Problem(path, line, f"entry '{key}' has unknown type @{block.entry_type}; "
                                            f"expected one of {_TYPES}"))
    if not re.fullmatch(CITATION_KEY, key):
        problems.append(Problem(path, line, f"key '{key}' cannot be cited as [@{key}]; expected letters, "
                                            "digits and _, with . : - / + only between them"))
    if not text.get("title"):
        problems.append(Problem(path, line, f"entry '{key}' has no title; expected a title field"))
    if kind == "article" and not doi and not pmid:
        problems.append(Problem(path, line, f"journal article '{key}' has neither doi nor pmid; expected at "
                                            "least one so readers can find the source", severity="warning"))
    if any(problem.severity == "error" for problem in problems):
        return None, problems
    entry = Entry(key=key, kind=kind, path=path, line=line, csl=csl_json.csl_item(kind, fields),
                  doi=doi, pmid=pmid, url=url)
    return entry, problems


def parse_bib(text: str, path: str) -> tuple[list[Entry], list[Problem]]:
    """The usable entries of one .bib file's text and every problem found in it."""
    with _quiet_bibtexparser():
        try:
            library = bibtexparser.parse_string(
                text, append_middleware=[SeparateCoAuthors(), SplitNameParts(), bibtex_text.LatexToUnicode()])
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
