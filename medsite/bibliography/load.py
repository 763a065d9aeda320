"""Every BibTeX entry under the references folder, each with the file and line where it starts.

Parsing one file (`medsite.bibliography.bibtex_parse`: bibtexparser 2 and pylatexenc) takes about a
millisecond an entry, so each .bib file's parse is cached by content: in memory across `mkdocs serve` rebuilds
and on disk under `.cache/medsite/`, so a fresh build with an unchanged bibliography parses nothing. A key
defined twice, in one file or in two, is found here, across files.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

from medsite.citations.bib_model import CITATION_KEY, Bibliography, Entry
from medsite.core import json_cache
from medsite.core.input_limits import MAX_BIB_BYTES, bib_limit_problems
from medsite.core.problems import Problem, display_path
from medsite.model.published import link_problems

_PARSING_MODULES = ("medsite.bibliography.load", "medsite.citations.bib_model",
                    "medsite.bibliography.bibtex_parse",
                    "medsite.bibliography.bibtex_text", "medsite.bibliography.csl_json",
                    "medsite.core.parallel", "medsite.core.input_limits")
_CACHE_NAME = "bibliography.json"
ParsedFiles = dict[str, tuple[list[Entry], list[Problem]]]  # one .bib file's entries and problems by digest


@cache
def _code_version() -> str:
    """Cached parses go stale when the parsing code or libraries change (found without importing them)."""
    sources = [Path(find_spec(name).origin).read_bytes() for name in _PARSING_MODULES]
    return json_cache.digest(*sources, CITATION_KEY, version("bibtexparser"), version("pylatexenc"))


def _parse(text: str, display: str) -> tuple[list[Entry], list[Problem]]:
    # Imported here: bibtexparser and pylatexenc take a tenth of a second to import, which a build whose
    # bibliography is cached on disk does not need to spend.
    from medsite.bibliography.bibtex_parse import parse_in_parallel

    return parse_in_parallel(text, display)


def _read_bib(path: Path, display: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes; its text (`_text`) and the size and nesting limits are needed only for a parse."""
    if linked := link_problems(path, display):
        return None, linked
    raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    if len(raw) > MAX_BIB_BYTES:
        return None, bib_limit_problems(raw, display)
    return raw, []


def _text(raw: bytes, display: str) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8").replace("\r\n", "\n"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return None, [Problem(display, line, "the file is not UTF-8; expected UTF-8 text")]


def _merge(files: list[tuple[list[Entry], list[Problem]]]) -> tuple[dict[str, Entry], list[Problem]]:
    """One key, one entry, across every file; a key defined again (or again in other case) is a problem."""
    entries: dict[str, Entry] = {}
    by_lower: dict[str, Entry] = {}
    problems = [problem for _, found in files for problem in found]
    for found, _ in files:
        for entry in found:
            first = by_lower.get(entry.key.lower())
            if first is None:
                entries[entry.key] = by_lower[entry.key.lower()] = entry
            elif first.key == entry.key:
                problems.append(Problem(entry.path, entry.line, f"duplicate key '{entry.key}': already "
                                        f"defined at {first.where}; expected each key once across all .bib "
                                        "files"))
            else:
                problems.append(Problem(entry.path, entry.line, f"key '{entry.key}' differs only in case "
                                        f"from '{first.key}' at {first.where}; expected keys that differ in "
                                        "more than case"))
    return entries, problems


def _display(path: Path, root: Path) -> str:
    return display_path(path.parent.resolve() / path.name, root.resolve())  # a link by its own name


def load_bibliography(folder: Path, *, root: Path, use_disk_cache: bool = True,
                      memory: ParsedFiles | None = None) -> Bibliography:
    """Every entry of every .bib file under `folder`; paths in problems are relative to `root`. `memory`
    is kept by the caller across loads (`mkdocs serve` rebuilds): it then holds this load's parsed files."""
    if not folder.is_dir():
        message = ("references folder not found; expected the folder named by `bibliography` under "
                   "medsite.extensions.citations in mkdocs.yml's markdown_extensions, holding .bib files")
        return Bibliography({}, [Problem(_display(folder, root), None, message)], json_cache.digest())
    disk = json_cache.cache_file(root, _CACHE_NAME) if use_disk_cache else None
    on_disk: dict | None = None
    parsed: dict[str, tuple[list[Entry], list[Problem]]] = {}
    files, problems = [], []
    for path in sorted(folder.rglob("*.bib")):
        display = _display(path, root)
        raw, unreadable = _read_bib(path, display)
        problems.extend(unreadable)
        if raw is None:
            continue
        file_digest = json_cache.digest(_code_version(), display, raw)
        result = memory.get(file_digest) if memory is not None else None
        if result is None:
            on_disk = json_cache.read_json(disk, version=_code_version()) if on_disk is None else on_disk
            result = _from_json(on_disk[file_digest]) if file_digest in on_disk else None
        if result is None:
            # Decoded and checked only before a parse: a cached parse is of a file that passed (the
            # limits' code is part of the cache key), and the check reads every brace of the file.
            text, unreadable = _text(raw, display)
            if text is None or (unreadable := bib_limit_problems(raw, display)):
                problems.extend(unreadable)
                continue
            result = _parse(text, display)
        parsed[file_digest] = result
        files.append(result)
    if on_disk is not None and set(parsed) != set(on_disk):
        json_cache.write_json(disk, {digest: _to_json(result) for digest, result in parsed.items()},
                              version=_code_version())
    if memory is not None:
        memory.clear()
        memory.update(parsed)
    entries, merged_problems = _merge(files)
    return Bibliography(entries, problems + merged_problems, json_cache.digest(*parsed))


def _to_json(result: tuple[list[Entry], list[Problem]]) -> dict:
    entries, problems = result
    # vars(), not dataclasses.asdict: asdict deep-copies every CSL item, seconds for a Zotero-sized file.
    return {"entries": [vars(e) for e in entries], "problems": [vars(p) for p in problems]}


def _from_json(data: dict) -> tuple[list[Entry], list[Problem]]:
    return [Entry(**e) for e in data["entries"]], [Problem(**p) for p in data["problems"]]
