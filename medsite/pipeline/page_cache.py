"""Each page's converted HTML and table of contents, kept between builds, so that a build converts only
the pages whose conversion could come out differently: an unchanged page skips Markdown entirely.

Content-addressed: an entry is stored under the digest of everything its conversion reads (`page_key`):
the Markdown as the hooks handed it to the converter, the page's place in the site, the Markdown
configuration, the bibliography entries the page cites (their content and formatted text, or their
absence), and the versions of the code (this package, the hooks, the Markdown libraries, MkDocs, Python).
What the conversion also read from the rest of the site (whether a linked page exists, its address) is
recorded in the entry as lookups (`Converted.lookups`) and checked against the build before the entry is
used. The build runs every later step on a cached page as on a fresh one (review rules, sanitiser, CSP), so
nothing that depends on the date or on other pages is kept here.

Bad input: an entry that cannot be read, is not what this code writes, names another key, or whose payload
does not match its own digest is ignored; the page is converted again and the entry rewritten. A cache can
make a build faster, never change what it publishes.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from medsite.core import json_cache

if TYPE_CHECKING:
    from medsite.core.parallel import FromTheEnd

FOLDER = "pages"  # under .cache/medsite/
FORMAT = "medsite-page-cache 1"
# The libraries whose code turns Markdown into a page's HTML and table of contents.
LIBRARIES = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "pygments", "properdocs")

PAGES_PER_COPY = 25  # a cold build converts in parallel from this many pages per processor
LOOKUPS = {"hit": 0, "miss": 0}  # pages taken from the cache and converted, for tests and benchmarks
Target = tuple[str, bool] | None  # a linked file's address and whether it is excluded, or None: not found


@dataclass(frozen=True)
class Heading:
    """One entry of a page's table of contents (MkDocs' AnchorLink as data)."""

    title: str
    id: str
    level: int
    children: tuple[Heading, ...] = ()


@dataclass(frozen=True)
class Converted:
    """What converting one page produced, as the build needs it back."""

    html: str
    toc: tuple[Heading, ...]
    title: str | None  # the title the conversion found in the page's first heading
    anchors: frozenset[str]  # ids present in the page
    links_to_anchors: Mapping[str, Mapping[str, str]] | None  # target page -> anchor -> link as written
    extensions: Mapping[str, Mapping[str, list[str]]]  # what extensions kept for the build (`page_state`)
    lookups: Mapping[str, Target] = field(default_factory=dict)  # path asked for -> what it was

    def still_valid(self, lookup: Callable[[str], Target]) -> bool:
        """Whether every page the conversion looked up is still what it was (`lookup` asks the build)."""
        return all(lookup(path) == target for path, target in self.lookups.items())


# medsite/ (every feature package) and the hooks' shared adapter (hooks/medsite_mkdocs)
CODE_FOLDERS = (Path(__file__).parents[1], Path(__file__).parents[2] / "hooks" / "medsite_mkdocs")


@cache
def _package_version() -> str:
    """This package's sources, the libraries' versions and Python's: fixed for the life of a process."""
    code = sorted(path for folder in CODE_FOLDERS for path in folder.rglob("*.py"))
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} absent")
    return json_cache.digest(FORMAT, sys.version, *versions, *_contents(code))


def code_version(extra_sources: Iterable[str] = ()) -> str:
    """The code that produces an entry: this package's and the given sources (the hooks), the libraries'
    versions, Python's. A new version of any of them is a new key for every page. The given sources are
    read on every call: `mkdocs serve` loads the hooks again for each build, while this package stays as
    the process first imported it."""
    return json_cache.digest(_package_version(), *_contents(sorted(Path(path) for path in extra_sources)))


def _contents(paths: Iterable[Path]) -> Iterable[bytes | str]:
    for path in paths:
        yield path.name
        yield path.read_bytes()


def page_key(*, settings: str, src_uri: str, url: str, excluded: bool, markdown: str,
             cited: Mapping[str, str | None]) -> str:
    """The key of one page's conversion. `settings` is the build's digest of configuration and code;
    `cited`, each citation key the Markdown may hold with its entry's digest (None: no such entry)."""
    return json_cache.digest(settings, src_uri, url, str(excluded), markdown,
                             json.dumps(sorted(cited.items()), ensure_ascii=False))


def _heading(data: dict) -> Heading:
    return Heading(str(data["title"]), str(data["id"]), int(data["level"]),
                   tuple(_heading(child) for child in data["children"]))


def _heading_json(heading: Heading) -> dict:
    return {"title": heading.title, "id": heading.id, "level": heading.level,
            "children": [_heading_json(child) for child in heading.children]}


def _to_json(converted: Converted) -> dict:
    """The entry's payload, built field by field: dataclasses.asdict deep-copies every value, which cost a
    cold build about half as much again as converting the pages."""
    links = converted.links_to_anchors
    return {
        "html": converted.html, "toc": [_heading_json(heading) for heading in converted.toc],
        "title": converted.title, "anchors": sorted(converted.anchors),
        "links_to_anchors": None if links is None else {
            target: dict(anchors) for target, anchors in links.items()},
        "extensions": {name: {field: list(items) for field, items in state.items()}
                       for name, state in converted.extensions.items()},
        "lookups": {path: list(target) if target else None for path, target in converted.lookups.items()},
    }


def _from_json(data: dict) -> Converted:
    links = data["links_to_anchors"]
    return Converted(
        html=str(data["html"]),
        toc=tuple(_heading(item) for item in data["toc"]),
        title=None if data["title"] is None else str(data["title"]),
        anchors=frozenset(str(anchor) for anchor in data["anchors"]),
        links_to_anchors=None if links is None else {
            str(target): {str(anchor): str(link) for anchor, link in anchors.items()}
            for target, anchors in links.items()},
        extensions={str(name): {str(field): [str(item) for item in items] for field, items in state.items()}
                    for name, state in data["extensions"].items()},
        lookups={str(path): (str(target[0]), bool(target[1])) if target else None
                 for path, target in data["lookups"].items()},
    )


class PageCache:
    """Entries as files named by their key, in `folder` (None: no cache, every page converted)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def _path(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Converted | None:
        """The entry stored under `key`, or None when there is none or it is not a sound one."""
        path = self._path(key)
        if path is None:
            return None
        try:
            header, _, payload = path.read_bytes().partition(b"\n")
            stored = json.loads(header)
            if stored != {"format": FORMAT, "key": key, "payload": json_cache.digest(payload)}:
                return None
            converted = _from_json(json.loads(payload))
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            return None
        self.used.add(key)
        return converted

    def put(self, key: str, converted: Converted) -> None:
        """Store an entry (atomically; a cache that cannot be written only makes the next build slower)."""
        path = self._path(key)
        if path is None:
            return
        payload = json.dumps(_to_json(converted), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        header = json.dumps({"format": FORMAT, "key": key, "payload": json_cache.digest(payload)})
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=key, suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(header.encode("ascii") + b"\n" + payload)
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            return
        self.used.add(key)

    def count(self) -> int:
        """How many entries the cache holds."""
        return 0 if self.folder is None else sum(1 for _ in _entries(self.folder))

    def prune(self) -> None:
        """Delete every entry this build did not use, so the cache holds one entry per page at most."""
        if self.folder is None:
            return
        for path in _entries(self.folder):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)


@dataclass
class PageCacheRun:
    """One build's use of the page cache (hooks/page_cache.py): the cache, the digest of the configuration
    a conversion reads, the digests of the entries pages may cite, and how many pages were converted."""

    cache: PageCache
    settings: str
    pages: int
    entries: dict[str, str | None] = field(default_factory=dict)
    rendered: int = 0
    # A cold build's forked copies converting pages from the end of MkDocs' order (hooks/page_cache.py),
    # each page's place in that order, and the cache hits before they started.
    ahead: FromTheEnd | None = None
    positions: dict[str, int] = field(default_factory=dict)
    hits_before: int = 0


def _entries(folder: Path) -> Iterable[Path]:
    try:
        shards = list(os.scandir(folder))
    except OSError:
        return
    for shard in shards:
        if shard.is_dir(follow_symlinks=False):
            yield from (Path(entry.path) for entry in os.scandir(shard.path) if entry.name.endswith(".json"))
