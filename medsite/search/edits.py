"""The preview's search index of the pages written since the last full index run (`make serve`).

Pagefind has no incremental mode: under `make serve` the whole site is indexed again in the background after
each edit (hooks/serve.py), which takes seconds at 1,000 articles and a minute or more at 10,000, and until
it ends a search finds the edited page's old text. So after each rebuild the pages it wrote for their own
source (the edited ones, those a commit re-dated, those added) and the small pages listing articles (their
indexed text holds counts) are indexed alone, in a fraction of a second, into a small second bundle,
`pagefind-edits/`, with a manifest (`edits.json`) naming the full index's results to hide: those of every
page in the bundle and of every page removed since the full run (by id, and by address: MANIFEST). The
preview's search merges the bundle (Pagefind's `mergeIndex`) and hides those results (docs/assets/search.js,
`mergePreviewEdits`).

A page stays in the bundle until a full run that started after the build which wrote it last has ended
(`Edits.starting`, `Edits.indexed`): a run under way may have read the page before or after that build
wrote it. Only the server writes the bundle, into the folder it serves from; a published build
(`mkdocs build`) never has one, and its search never asks for one.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from medsite.core.problems import Problem, ProblemsError
from medsite.search import index_cache
from medsite.search.pagefind import BUNDLE, command

FOLDER = "pagefind-edits"  # the served site's folder of the bundle
# In it: {"edit": the last build included, "bundled": the bundle's page ids, "hide": the full index's ids
# of the pages in it or removed, "urls": the addresses of those pages}. The search hides a result by its id,
# then, when its data loads, by its address: a full index swapped in after the manifest was written (or
# before the reader's page loaded it) names the same pages with other ids.
MANIFEST = "edits.json"
# A page written only because it lists articles is left to the full run above this size: its indexed text
# is a title, an introduction and counts (the lists themselves are out of the index: pagefind.EXCLUDED),
# and Pagefind reads the whole file (the References page: 14 MB at 10,000 articles, about 3 s).
LISTING_LIMIT = 1_000_000


def page_url(dest: str) -> str:
    """The address Pagefind gives the output file `dest` (site-relative): `a/index.html` is `/a/`."""
    return "/" + (dest.removesuffix("index.html") if dest == "index.html" or dest.endswith("/index.html")
                  else dest)


def index_ids(index: Path) -> dict[str, str]:
    """Each page's id (its fragment's name, which Pagefind's results carry) in the index folder `index`, by
    its address. A fragment that vanishes while read (the index swapped) is left out."""
    found = {}
    for path in (index / "fragment").glob("*.pf_fragment"):
        try:
            data = gzip.decompress(path.read_bytes()).removeprefix(index_cache.PREFIX)
        except OSError:
            continue
        found[json.loads(data)["url"]] = path.name.removesuffix(".pf_fragment")
    return found


class Written(NamedTuple):
    """What writing the bundle gave: its last edit, the pages it indexes, the full index's ids it hides."""

    edit: int
    pages: int
    hidden: int


class Edits:
    """The pages written since the last full index run, and the bundle of them. Every method may be called
    from any thread (the server's builder, its two index threads)."""

    def __init__(self, site_dir: Path, language: str) -> None:
        self.site_dir, self.language = site_dir, language
        self.lock = threading.Lock()
        self.edit = 0  # the number of the last build noted
        self.own: dict[str, int] = {}  # output file (site-relative) -> the last build writing it for itself
        self.listing: dict[str, int] = {}  # the same, for pages written because they list articles
        self.gone: dict[str, int] = {}  # output files removed -> the build that removed them
        self.full: dict[str, str] | None = None  # the full index's ids by address (None: not read yet)
        self.written = 0  # bundles written (each in a folder of its own)

    def note(self, *, own: Iterable[str] = (), listing: Iterable[str] = (),
             removed: Iterable[str] = ()) -> int:
        """Note a good build's pages (output files, site-relative): written for their own source, written
        because they list articles, removed. Its number."""
        with self.lock:
            self.edit += 1
            for dest in removed:
                self.own.pop(dest, None)
                self.listing.pop(dest, None)
                self.gone[dest] = self.edit
            for kind, dests in ((self.listing, listing), (self.own, own)):
                for dest in dests:
                    self.gone.pop(dest, None)
                    kind[dest] = self.edit
            return self.edit

    def starting(self) -> int:
        """A full run starts (every build noted so far is written): the last build it covers."""
        with self.lock:
            return self.edit

    def indexed(self, covered: int) -> None:
        """A full run that started after build `covered` has ended: forget what it indexed, read its ids."""
        full = index_ids(self.site_dir / BUNDLE)
        with self.lock:
            for kind in (self.own, self.listing, self.gone):
                for dest in [dest for dest, edit in kind.items() if edit <= covered]:
                    del kind[dest]
            self.full = full

    def write(self) -> Written:
        """Index the pages noted (and not yet in a full run) into a new bundle, `FOLDER/v<n>/`, then replace
        the manifest naming it (one file, atomically): a browser never finds a bundle half-written or gone
        between reading the manifest and loading the bundle (the two bundles before stay). With no page, the
        manifest names no bundle (the preview's search asks for it on every page: a 404 would be a warning in
        the editor's terminal each time). Raises ProblemsError when Pagefind fails or the folder holds
        something of the site's."""
        live = self.site_dir / FOLDER
        if live.exists() and not (live / MANIFEST).is_file():  # not a bundle: a page or file of the site
            raise ProblemsError([Problem(FOLDER, None, f"the site has {FOLDER} from the docs folder, where "
                                         "the preview's index of edited pages goes; expected no page or file "
                                         f"named {FOLDER}")])
        first = index_ids(self.site_dir / BUNDLE) if self.full is None else None  # the first build's
        with self.lock:
            if self.full is None:
                self.full = first
            edit, full = self.edit, self.full or {}
            own, listing, gone = list(self.own), list(self.listing), list(self.gone)
            self.written += 1
            version = f"v{self.written}"
        live.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="medsite-edits-") as folder:
            source = Path(folder) / "site"
            indexed = self._copy(source, own, listing)
            ids: dict[str, str] = {}
            if indexed:
                _run(source, self.language)
                ids = index_ids(source / FOLDER)
                _keep_data(source / FOLDER)
                shutil.rmtree(live / f"{version}.new", ignore_errors=True)
                shutil.copytree(source / FOLDER, live / f"{version}.new")
                (live / f"{version}.new").rename(live / version)
        # Hidden: the full index's result for each page here or removed, unless it is the same page (the same
        # id: Pagefind names a page by its content, and the search keeps one of two equal results).
        urls = {page_url(dest) for dest in [*indexed, *gone]}
        hidden = sorted({full[url] for url in urls if url in full} - set(ids.values()))
        manifest = {"edit": edit, "bundle": f"{version}/" if ids else None, "bundled": sorted(ids.values()),
                    "hide": hidden, "urls": sorted(urls)}
        (live / f"{MANIFEST}.new").write_text(json.dumps(manifest), "utf-8")
        (live / f"{MANIFEST}.new").replace(live / MANIFEST)
        for old in live.iterdir():  # the bundles before the last three
            if old.is_dir() and not (old.name.startswith("v") and old.name[1:].isdigit()
                                     and int(old.name[1:]) > self.written - 3):
                shutil.rmtree(old, ignore_errors=True)
        return Written(edit, len(ids), len(hidden))

    def _copy(self, source: Path, own: list[str], listing: list[str]) -> list[str]:
        """Copy the pages to index into `source`, at their places; those copied (a page written since may be
        gone: the build that removed it notes it)."""
        copied = []
        for dest in own + listing:
            path = self.site_dir / dest
            try:
                if dest in listing and path.stat().st_size > LISTING_LIMIT:
                    continue
                target = source / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            except OSError:
                continue
            copied.append(dest)
        return copied


def _keep_data(bundle: Path) -> None:
    """Leave only the index's data: the full index's code runs the search, and merges the bundle without its
    WebAssembly; Pagefind's own interfaces are not the site's."""
    data = set(index_cache.data_files(bundle))
    for path in bundle.rglob("*"):
        if path.is_file() and path.relative_to(bundle).as_posix() not in data:
            path.unlink()


def _run(site: Path, language: str) -> None:
    """Pagefind's command line over the copied pages only (0.1 s for an article, where its service took
    0.47 s to start: measured in one run at 1,000 articles)."""
    try:
        result = subprocess.run(command(site, language, FOLDER), capture_output=True, text=True, check=False)
    except OSError as error:
        raise ProblemsError([Problem(FOLDER, None, f"cannot run Pagefind ({error}); expected the "
                                     "`pagefind[bin]` package installed (make install)")]) from None
    if result.returncode != 0 or not (site / FOLDER / index_cache.ENTRY).is_file():
        printed = "\n".join(part.strip() for part in (result.stdout, result.stderr) if part.strip())
        raise ProblemsError([Problem(FOLDER, None, f"Pagefind could not index the edited pages (exit "
                                     f"{result.returncode}): {printed or 'no output'}; expected an index in "
                                     f"{FOLDER}/")])
