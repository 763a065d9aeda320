"""The previous build's search index, reused when no page Pagefind reads changed: Pagefind has no
incremental mode, and indexing an unchanged site again was most of what a warm build cost beyond plain
Material (3.6 s of CPU per 1,000 articles).

Keyed by the digest of every HTML file of the built site as Pagefind reads it (after every hook, with
its path), Pagefind's version, the indexing options and the version of the code. Only the index's data is kept
(`.cache/medsite/search-index`, one file: a header naming the key, the files and the payload's digest,
then the files' bytes); the JavaScript and WebAssembly that readers' browsers run are never taken from
the cache but from a small indexing run of the installed Pagefind (medsite.search.pagefind).

Nothing from the cache reaches a reader unchecked (`load`, `agrees`): an entry that cannot be read, is
not what this code writes, names another key, does not match its digest or holds any file that is not
index data is ignored, and so is one whose data disagrees with the built site: every page in the index
must be a page of the site, once, and carry the metadata and filter values (the caution of an article
not proven approved above all) that its HTML declares for Pagefind. The word chunks and the metadata must
be the ones the entry names, each named by its content (medsite.search.recut.named_by_content, for a
Pagefind version whose format is verified); the filter chunks are checked as Pagefind data only
(compressed, with Pagefind's header): an altered chunk could change which pages a query or a filter
finds, never what a result shows or where it leads.
An ignored entry means a fresh index, never a failed build. docs/assets/search.js in turn inserts every
value as text and follows only same-site links.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import tempfile
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from medsite.core import json_cache
from medsite.search import recut

NAME = "search-index"  # under .cache/medsite/
FORMAT = "medsite-search-index 2"
PREFIX = b"pagefind_dcd"  # what every gunzipped data file of a Pagefind index starts with
ENTRY = "pagefind-entry.json"
# The index's data (all that is kept): its entry, metadata, word chunks, page fragments and filters.
DATA = re.compile(r"pagefind-entry\.json|pagefind\.[A-Za-z0-9_-]+\.pf_meta|index/[A-Za-z0-9_-]+\.pf_index"
                  r"|fragment/[A-Za-z0-9_-]+\.pf_fragment|filter/[A-Za-z0-9_-]+\.pf_filter")
# Automatic metadata Pagefind finds in a page's body (its first heading, its first image).
AUTOMATIC_META = frozenset({"title", "image", "image_alt"})
_SEARCH_DATA = '<div class="medsite-search-data" hidden>'  # overrides/partials/search-data.html
_DECLARED = re.compile(r'<(span|p) data-pagefind-(filter|meta)="([^"]*)">(.*?)</\1>', re.DOTALL)


def pagefind_version() -> str:
    """The installed Pagefind (the package that runs it and the binary package)."""
    found = []
    for name in ("pagefind", "pagefind_bin"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} absent")
    return ", ".join(found)


def site_pages(site_dir: Path, skip: Iterable[str]) -> dict[str, Path]:
    """Every HTML file of the site outside the folders in `skip` (the index's), by the address Pagefind
    gives it (`page_url`)."""
    skipped = set(skip)
    found = {}
    for folder, folders, names in os.walk(site_dir):
        relative = Path(folder).relative_to(site_dir)
        if relative == Path("."):
            folders[:] = [name for name in folders if name not in skipped]
        for name in names:
            if name.endswith(".html"):
                found[page_url((relative / name).as_posix())] = Path(folder) / name
    return found


def page_url(path: str) -> str:
    """The address Pagefind gives the page at `path` in the site: `a/index.html` is `/a/`, `404.html` is
    `/404.html` (its build_url without keep_index_url)."""
    return "/" + (path.removesuffix("index.html") if path == "index.html" or path.endswith("/index.html")
                  else path)


def page_digest(url: str, data: bytes) -> str:
    """A page's part of the key: its address and bytes."""
    return json_cache.digest(url, data)


def page_digests(pages: dict[str, Path]) -> dict[str, str]:
    """Every page's digest, by address (one page in memory at a time)."""
    return {url: page_digest(url, pages[url].read_bytes()) for url in sorted(pages)}


def setup_key(*, options: list[str], code: str) -> str:
    """What an index depends on besides the pages: this format, Pagefind's version, its options, the code."""
    return json_cache.digest(FORMAT, pagefind_version(), json.dumps(options), code)


def index_key(digests: dict[str, str], *, setup: str) -> str:
    """The key of an index: every page's digest (`page_digests`) and the setup (`setup_key`)."""
    return json_cache.digest(setup, *(digests[url] for url in sorted(digests)))


def known_pages(path: Path, setup: str) -> dict[str, str] | None:
    """The page digests the stored index was built from, if it was built with this `setup` (else None):
    a build compares each page it writes with them to learn early whether it needs a fresh index. Only
    the entry's first line is read; nothing here is trusted beyond that comparison (see `load`)."""
    try:
        with path.open("rb") as stream:
            header = json.loads(stream.readline())
        if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("setup") != setup:
            return None
        return {url: digest for url, digest in header["pages"]
                if isinstance(url, str) and isinstance(digest, str)}
    except (OSError, ValueError, TypeError, KeyError):
        return None


def data_files(index: Path) -> list[str]:
    """The index's data files (relative names), leaving out its code."""
    names = sorted(path.relative_to(index).as_posix() for path in index.rglob("*") if path.is_file())
    return [name for name in names if DATA.fullmatch(name)]


def store(path: Path, key: str, index: Path, *, setup: str = "", pages: dict[str, str] | None = None) -> None:
    """Keep the data of the fresh `index` under `key`, with the `setup` and page digests it was built from
    (atomically; a failure only costs the next build)."""
    names = data_files(index)
    try:
        blobs = [(index / name).read_bytes() for name in names]
        payload = b"".join(blobs)
        header = {"format": FORMAT, "key": key, "setup": setup, "pages": sorted((pages or {}).items()),
                  "payload": json_cache.digest(payload),
                  "files": [[name, len(blob)] for name, blob in zip(names, blobs, strict=True)]}
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(json.dumps(header).encode("ascii") + b"\n" + payload)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def load(path: Path, key: str) -> dict[str, bytes] | None:
    """The data files of the sound entry stored under `key`, or None (no entry, another key, damaged,
    or holding anything but index data). Not yet checked against the site: see `agrees`."""
    try:
        header_line, _, payload = path.read_bytes().partition(b"\n")
        header = json.loads(header_line)
        if not isinstance(header, dict) or [header.get(name) for name in ("format", "key", "payload")] != [
                FORMAT, key, json_cache.digest(payload)]:
            return None
        files, offset = {}, 0
        for name, size in header["files"]:
            if not (isinstance(name, str) and DATA.fullmatch(name) and isinstance(size, int) and size >= 0
                    and name not in files):
                return None
            files[name] = payload[offset:offset + size]
            offset += size
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return files if offset == len(payload) else None


def write(files: dict[str, bytes], into: Path) -> None:
    """Write the index data `files` (relative names) into the folder `into`."""
    for name, data in files.items():
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        (into / name).write_bytes(data)


def agrees(files: dict[str, bytes], pages: dict[str, Path], fresh_entry: dict) -> bool:
    """The cached data is an index of this site's `pages` for the installed Pagefind, whose own entry file
    (from its run for the code) is `fresh_entry`: anything else is not used."""
    try:
        entry = json.loads(files[ENTRY])
        languages = entry["languages"]
        if {name: value for name, value in entry.items() if name != "languages"} != {
                name: value for name, value in fresh_entry.items() if name != "languages"}:
            return False
        if languages.keys() != fresh_entry["languages"].keys() or any(
                language["wasm"] != fresh_entry["languages"][name]["wasm"]
                or f"pagefind.{language['hash']}.pf_meta" not in files
                for name, language in languages.items()):
            return False
        count, seen = sum(int(language["page_count"]) for language in languages.values()), set()
        for name, data in files.items():
            if name == ENTRY:
                continue
            decoded = gzip.decompress(data)
            if not decoded.startswith(PREFIX):
                return False
            if name.startswith("fragment/"):
                fragment = json.loads(decoded[len(PREFIX):])
                url = fragment["url"]
                if url in seen or url not in pages or not _as_declared(fragment, pages[url]):
                    return False
                seen.add(url)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, EOFError, gzip.BadGzipFile):
        return False
    return len(seen) == count and recut.named_by_content(files, entry)


def _as_declared(fragment: dict, page: Path) -> bool:
    """A page's entry has the metadata and filter values its HTML gives Pagefind, and text where text goes."""
    meta, filters = declared(page.read_text(encoding="utf-8", errors="replace"))
    if not isinstance(fragment["content"], str) or not isinstance(fragment["meta"], dict):
        return False
    found_meta = {name: _text(value) for name, value in fragment["meta"].items()}
    found_filters = {name: sorted(_text(value) for value in values)
                     for name, values in fragment["filters"].items()}
    return (all(found_meta.get(name) == value for name, value in meta.items())
            and found_meta.keys() <= meta.keys() | AUTOMATIC_META
            and found_filters == {name: sorted(values) for name, values in filters.items()})


def declared(page_html: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The metadata and filter values a built page declares in its search data (search-data.html)."""
    meta: dict[str, str] = {}
    filters: dict[str, list[str]] = {}
    start = page_html.find(_SEARCH_DATA)
    if start < 0:
        return meta, filters
    block = page_html[start:page_html.find("</div>", start)]
    for _, kind, name, value in _DECLARED.findall(block):
        if kind == "meta":
            meta[html.unescape(name)] = _text(html.unescape(value))
        else:
            filters.setdefault(html.unescape(name), []).append(_text(html.unescape(value)))
    return meta, filters


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return " ".join(value.split())
