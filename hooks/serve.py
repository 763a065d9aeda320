"""`make serve` (`mkdocs serve`) for editors: saving an article rebuilds only what depends on it, every
state a contributor can create previews (with its caution on the page and its problem in the terminal),
and a change to the bibliography or the registry rebuilds too.

MkDocs' own server rebuilds the whole site on every save, which at thousands of articles takes minutes:
every hook reads every page, MkDocs makes every page object and the navigation again, and the generated
pages list every article. Here the server's builder is replaced. When the only files that changed since
the last good build are existing pages of the docs folder outside the navigation (articles), it rebuilds
from the last build (`Rebuilder.incremental`): the same MkDocs events in the same order, over the same
file list, navigation and template environment, where the hooks take every unchanged page's text from
the build before (medsite.pipeline.context.BuildContext.adopt_sources) and check only the edited ones one
by one, while the checks across pages (the catalog, the topics) run whole; then only the edited pages and
the pages that list articles (generated pages, the home page) are converted again, and of those only the
ones whose content or data changed are written. An article without `updated:` is dated by its last commit,
so git's HEAD and the branch it names are watched too: a commit, an amend or a checkout while serving
rebuilds the same way, and writes again the unchanged articles whose date the new catalog changed
(medsite.review.catalog.redated). If the generated pages are not the same set as before (a
topic appears or disappears), MkDocs' own dirty build does it instead, and the outputs of the generated
pages no longer made are removed (MkDocs never removes them). Links of pages a rebuild does not render into
the pages it rebuilds are checked against their new anchors (`on_post_build`). Anything else (a page added
or removed, a page in the navigation, a .bib file, data/, the cache of `medsite refs verify`, the theme, the
hooks, mkdocs.yml) makes a full build, after which the server watches what that configuration reads. The
search index is rebuilt in the background after each build (medsite.search.pagefind swaps it in whole), so
the page reloads without waiting for it; until a run has indexed an edit, the pages it wrote are indexed
alone into a small bundle the preview's search merges (medsite.search.edits), so search follows in a
fraction of a second.
"""

from __future__ import annotations

import copy
import gc
import logging
import os
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import BytecodeCache
from mkdocs import utils
from mkdocs.commands.build import _populate_page, build, get_context
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.polling import PollingObserver

from medsite.core.file_state import FileState, file_state
from medsite.core.problems import ProblemsError
from medsite.model.published import PAGE_SUFFIX, read_paths
from medsite.refs.verify import cache_path as verify_cache
from medsite.review.catalog import date_sources, redated
from medsite.safety.csp import allowing_added_scripts
from medsite.search.edits import FOLDER as EDITS
from medsite.search.edits import Edits
from medsite.search.pagefind import BUNDLE, index_site
from medsite_mkdocs.adapter import context, log, page_data

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

    from jinja2 import Environment
    from jinja2.bccache import Bucket
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import File
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

Snapshot = dict[str, FileState | None]
NO_SEARCH_INDEX = "search_index"  # extra.medsite key: false = hooks/search_index.py leaves it to this hook
_BUILT = "medsite_serve_built"  # the attribute of MkDocs' config object holding what its build made


@dataclass
class AnchorLinks:
    """Each page's links to anchors of other pages as last rendered, {page: {target page: {anchor: link}}},
    and the pages linking to each target, so that a rebuild finds the links into the pages it rebuilt
    without going through every page's (10,000 at a large site)."""

    by_page: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    into: dict[str, set[str]] = field(default_factory=dict)

    def note(self, page: str, links: dict[str, dict[str, str]] | None) -> None:
        """The page's links as rendered now (None: none, or a page no longer built)."""
        for target in self.by_page.pop(page, {}):
            sources = self.into[target]
            sources.discard(page)
            if not sources:
                del self.into[target]
        if links:
            self.by_page[page] = links
            for target in links:
                self.into.setdefault(target, set()).add(page)

    def linking(self, targets: Iterable[str]) -> list[str]:
        """The pages linking to anchors of any of `targets`, in order."""
        return sorted({page for target in targets for page in self.into.get(target, ())})


@dataclass
class Built:
    """What a good build made, which the next rebuild of an edit starts from."""

    config: MkDocsConfig
    files: Files | None = None
    nav: Navigation | None = None
    env: Environment | None = None
    # what each page listing articles was last written from: (content, title, meta, payload)
    written: dict[str, tuple] = field(default_factory=dict)
    # the outputs of the generated files (topic pages, ...): a dirty build never removes those no longer made
    generated: set[str] = field(default_factory=set)
    # each page's links to anchors of other pages as last rendered; shared by the server's builds, so that
    # the pages a rebuild does not render are known too
    anchor_links: AnchorLinks = field(default_factory=AnchorLinks)
    rendered: set[str] = field(default_factory=set)  # the pages this build rendered
    # the docs folder's pages (not generated), and the pages listing articles (see _lists_articles): worked
    # out by the first rebuild of an edit after a whole build, kept by the next (the same files)
    sources: frozenset[str] | None = None
    listing: frozenset[str] | None = None
    changed: frozenset[str] = frozenset()  # the edited pages a rebuild is made for (none: a whole build)


def _built(config: MkDocsConfig) -> Built:
    found = getattr(config, _BUILT, None)
    if found is None:
        found = Built(config)
        setattr(config, _BUILT, found)
    return found


@event_priority(-100)  # last: every hook has added its generated files
def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Note where the generated files are written: a rebuild removes the outputs of those no longer made."""
    _built(config).generated = {file.abs_dest_path for file in files if file.generated_by is not None}
    return None


@event_priority(-100)  # last: the navigation is final
def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
    """Keep the build's navigation for the next rebuild of an edit."""
    _built(config).nav = nav
    return None


@event_priority(-100)  # last: every page has its data
def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
    """Keep the build's files and template environment for the next rebuild of an edit."""
    built = _built(config)
    built.files, built.env = files, env
    return None


@event_priority(-100)  # last: the page is converted
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Note the page's links to anchors of other pages: a rebuild that does not render this page checks them
    against the pages it rebuilds."""
    built = _built(config)
    built.rendered.add(page.file.src_uri)
    built.anchor_links.note(page.file.src_uri, {
        file.src_uri: dict(links) for file, links in page.links_to_anchors.items()} if page.links_to_anchors
        else None)
    return None


@event_priority(100)  # first: hooks/link_messages.py still words MkDocs' messages in the project's format
def on_post_build(*, config: MkDocsConfig) -> None:
    """A rebuild for an edit renders the edited pages and the pages listing articles, and MkDocs checks the
    links of those; the links of every other page into the edited ones are checked here, against the
    anchors the edited pages have now, with MkDocs' own check and message (a whole build checks them all)."""
    built = _built(config)
    if not built.changed or built.files is None:
        return
    files = built.files
    targets = {uri: file for uri in built.changed
               if (file := files.get_file_from_path(uri)) is not None and file.page is not None}
    for source in built.anchor_links.linking(targets):
        if source in built.rendered:
            continue
        links = built.anchor_links.by_page[source]
        file = files.get_file_from_path(source)
        if file is None or file.page is None:
            built.anchor_links.note(source, None)  # a page no longer built
            continue
        view = copy.copy(file.page)
        view.links_to_anchors = {targets[uri]: anchors for uri, anchors in links.items() if uri in targets}
        view.validate_anchor_links(files=files, log_level=config.validation.links.anchors)


def on_serve(server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
    """Replace the server's builder with one that rebuilds only what an edit changed."""
    rebuilder = Rebuilder(config, server)
    _notified(server, rebuilder.watches)
    rebuilder.rewatch(config)
    rebuilder.heads = rebuilder.head_state()
    server.builder = rebuilder
    logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_build_warning)
    server._inject_js_into_html = _allowing_live_reload(server._inject_js_into_html)  # type: ignore[method-assign]
    return server


def _notified(server: LiveReloadServer, wanted: Callable[[str], bool]) -> None:
    """MkDocs' server looks for changes by listing every watched file twice a second: a tenth of a second
    of CPU each time at 10,000 articles, and a quarter of a second on average before a rebuild starts.
    Where the system reports changes itself (Linux's inotify, through watchdog), the server listens
    instead (`_ChangeObserver`); where it cannot (no inotify, too many watches), it keeps polling. Either
    way only the changes of the files the rebuilder watches (`wanted`) start a rebuild."""
    paths = list(server._watched_paths)  # what MkDocs watched before this event: docs/, mkdocs.yml
    base, options = _inotify_observer(paths) or (PollingObserver, {"timeout": server.observer.timeout})
    server.observer.unschedule_all()
    server.observer = _change_observer(base, wanted)(**options)
    server._watched_paths.clear()
    server._watch_refs.clear()
    for path in paths:
        server.watch(path)


def _inotify_observer(paths: list[str]) -> tuple[type, dict] | None:
    """Linux's inotify observer, if it can watch `paths`."""
    try:
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:
        return None
    probe = InotifyObserver()
    try:
        for path in paths:
            probe.schedule(FileSystemEventHandler(), path, recursive=os.path.isdir(path))
        probe.start()
    except OSError as error:
        log.info(f"Watching files by polling ({error})")
        return None
    finally:
        probe.stop()
    return InotifyObserver, {}


_CHANGES = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent,
            DirCreatedEvent, DirDeletedEvent, DirMovedEvent]


def _change_observer(base: type, wanted: Callable[[str], bool]) -> type:
    """An observer that reports changes only: inotify also reports a file opened or read, and every build
    reads the files it watches (each read would start another build); nothing under __pycache__ (Python
    compiling the hooks changes no source); and in a folder watched for one file (the cache of `medsite
    refs verify`, beside the caches every build writes), that file's changes only."""

    class ChangeObserver(base):  # type: ignore[misc, valid-type]
        def schedule(self, event_handler: FileSystemEventHandler, path: str, *, recursive: bool = False,
                     **options: object):  # noqa: ANN202
            return super().schedule(_SourcesOnly(event_handler, wanted), path, recursive=recursive,
                                    event_filter=_CHANGES)

    return ChangeObserver


class _SourcesOnly(FileSystemEventHandler):
    """Passes on the events of the files the rebuilder watches, but not of compiled Python."""

    def __init__(self, handler: FileSystemEventHandler, wanted: Callable[[str], bool]) -> None:
        self.handler, self.wanted = handler, wanted

    def dispatch(self, event: FileSystemEvent) -> None:
        paths = [os.fsdecode(event.src_path), *([os.fsdecode(event.dest_path)] if event.dest_path else [])]
        if any("__pycache__" not in path and self.wanted(path) for path in paths):
            self.handler.dispatch(event)


def _allowing_live_reload(inject: Callable[[bytes, int], bytes]) -> Callable[[bytes, int], bytes]:
    """The server adds an inline script to every page it serves (the live reload), which the page's own
    Content-Security-Policy rightly refuses: the preview would never reload. The served page's policy
    also allows the script the server added, and nothing else (medsite.safety.csp.allowing_added_scripts)."""
    def inject_and_allow(content: bytes, epoch: int) -> bytes:
        served = inject(content, epoch)  # any bytes: a page that is not UTF-8 is served as it is, not refused
        text = allowing_added_scripts(content.decode("utf-8", "surrogateescape"),
                                      served.decode("utf-8", "surrogateescape"))
        return text.encode("utf-8", "surrogateescape")
    return inject_and_allow


def _no_dirty_build_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build that navigation and links may be stale. Here they are not (pages
    in the navigation and anything but existing pages make a full build, and pages listing articles are
    always rebuilt), and a warning on every save would bury the contributor's real problems."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


class Rebuilder:
    """The server's builder: a dirty build when only existing pages changed, else a full build."""

    def __init__(self, config: MkDocsConfig, server: LiveReloadServer) -> None:
        self.server = server
        self.config_file = os.path.abspath(config.config_file_path)
        self.site_dir = config.site_dir
        self.serve_url = config.site_url
        self.strict = bool(config.strict)  # as the server was started: `make serve` says --no-strict
        self.docs_dir = Path(config.docs_dir)
        self.not_in_nav = config.not_in_nav
        # what MkDocs watches itself (docs/, mkdocs.yml, `watch:` folders), and what this builder asked the
        # server to watch besides (recursively?)
        self.served = {Path(path) for path in server._watched_paths}
        self.scheduled: dict[str, bool] = {}
        self.sources: dict[str, bool] = {}  # what the build's sources need scheduled (see rewatch)
        # the files whose change may change the articles' dates with no article changing (git's HEAD and
        # the branch it names: medsite.review.catalog.date_sources), and their state at the last good build
        self.dated_by: list[Path] = []
        self.heads: Snapshot = {}
        self.redated: set[str] = set()  # pages the last incremental attempt found redated (see incremental)
        self.watched = self.watch_list(config)
        self.state = self.snapshot()
        self.templates = _MemoryBytecodeCache()
        self.index = BackgroundIndex(Path(self.site_dir), config.theme.get("language") or "en")
        first = getattr(config, _BUILT, None)
        self.last: Built | None = _complete(first)  # the server's first build
        self.attempt: Built | None = None  # what the build under way makes
        self.generated: set[str] = first.generated if first else set()  # outputs of generated files, as
        # the last good build made them and every build since tried to
        self.anchor_links = first.anchor_links if first else AnchorLinks()  # see Built.anchor_links
        self.head = _head(self.last)  # the commit HEAD named for the last good build's catalog
        # the output files of the last good build's pages (None: unknown), to tell pages added and removed
        self.pages: set[str] | None = (
            {file.dest_uri for file in self.last.files.documentation_pages()} if self.last and self.last.files
            else None)
        _settle()

    def watch_list(self, config: MkDocsConfig) -> list[Path]:
        """What the build of `config` reads (the docs folder, mkdocs.yml, the bibliography, data/, the cache
        of `medsite refs verify`), the theme and the hooks."""
        project = context(config).project
        self.docs_dir = Path(config.docs_dir)
        return [self.docs_dir, Path(self.config_file), *sorted({
            *read_paths(project.root, self.docs_dir, project.bibliography_dir, project.settings),
            verify_cache(project.root),
            *([Path(config.theme.custom_dir)] if config.theme.custom_dir else []),  # overrides/
            *{Path(hook.__file__).parent for hook in config.hooks.values() if getattr(hook, "__file__", "")},
            *self.served,
        } - {self.docs_dir, Path(self.config_file)})]

    def rewatch(self, config: MkDocsConfig) -> bool:
        """Watch what the build of `config` reads, and stop watching what it no longer reads (mkdocs.yml can
        move the registry or the bibliography); whether that changed. MkDocs watches the docs folder and
        mkdocs.yml itself; the cache of `medsite refs verify` is watched through its folder (it is replaced
        whole), for its own changes only (`watches`)."""
        watched = self.watch_list(config)
        cache = verify_cache(context(config).project.root)
        wanted = {str(path): True for path in watched[2:] if path != cache and path not in self.served}
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            wanted[str(cache.parent)] = False
        except OSError as error:  # a read-only checkout: no cache written, none to watch
            log.info(f"Not watching {cache.parent} ({error})")
        self.sources = wanted
        # the cache's folder deleted and made again (`rm -rf .cache`) is no longer watched: watch it anew
        self.schedule(again={str(cache.parent)})
        changed, self.watched = watched != self.watched, watched
        return changed

    def schedule(self, again: set[str] | frozenset[str] = frozenset()) -> None:
        """Ask the server to watch the folders of what the build reads (`sources`) and of the files that date
        the articles (git's HEAD and the branch it names now, each through its folder, or the nearest folder
        that exists, for its own changes only: `watches`); stop watching the others; watch `again` anew."""
        self.dated_by = date_sources(self.docs_dir)
        wanted = dict(self.sources)
        for path in self.dated_by:
            folder, recursive = path.parent, False
            while not folder.is_dir() and folder != folder.parent:  # a branch whose folder git makes later
                folder, recursive = folder.parent, True
            wanted[str(folder)] = wanted.get(str(folder), False) or recursive
        again = (self.scheduled.keys() & wanted.keys() & again) | {
            path for path in self.scheduled.keys() & wanted.keys() if self.scheduled[path] != wanted[path]}
        for path in (self.scheduled.keys() - wanted.keys()) | again:
            self.server.unwatch(path)
        for path in (wanted.keys() - self.scheduled.keys()) | again:
            self.server.watch(path, recursive=wanted[path])
        self.scheduled = wanted

    def watches(self, path: str) -> bool:
        """Whether a change of `path` may change the site (any thread: the file observer asks)."""
        return any(path == str(watched) or path.startswith(str(watched) + os.sep) for watched in self.watched
                   ) or any(path == str(dated) for dated in self.dated_by)

    def head_state(self) -> Snapshot:
        """The state of the files that date the articles (`dated_by`), as `snapshot` gives it."""
        return {str(path): file_state(str(path), follow_symlinks=False) for path in self.dated_by}

    def snapshot(self) -> Snapshot:
        """The state of every watched file (medsite.core.file_state; a few ms per thousand files), not through
        links: a file replaced by a link is a change."""
        found: Snapshot = {}
        for path in self.watched:
            if path.is_file():
                found[str(path)] = file_state(str(path), follow_symlinks=False)
                continue
            for folder, folders, names in os.walk(path):
                folders[:] = [name for name in folders if name != "__pycache__"]  # compiled hooks
                for name in names:
                    full = os.path.join(folder, name)
                    found[full] = file_state(full, follow_symlinks=False)
        return found

    def changed_pages(self, before: Snapshot, now: Snapshot) -> set[str] | None:
        """The docs-relative paths of the pages that changed, when only existing pages outside the
        navigation did (None otherwise): a page in the navigation (about.md) has its title in every other
        page's menu, so changing it rebuilds everything."""
        changed = {path for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
        pages = self.changed_docs(before, now)
        if not changed or len(pages) != len(changed) or self.not_in_nav is None or not all(
                path in before and path in now and path.endswith(PAGE_SUFFIX) for path in changed):
            return None
        return pages if all(self.not_in_nav.match_file(page) for page in pages) else None

    def __call__(self, config: MkDocsConfig | None = None) -> None:
        """Rebuild after a change: from the last build when only existing pages outside the navigation
        changed, else a whole build."""
        start = time.monotonic()
        now, heads, dated_by = self.snapshot(), self.head_state(), self.dated_by
        before, seen = self.state, now
        pages = self.changed_pages(self.state, now)
        if pages is None and now == self.state and heads == self.heads and self.last is not None:
            # One save can be reported twice (a write, then the file closed, more than the server's 0.1 s
            # apart under load): nothing changed since the last good build, so nothing is built again (it
            # was a whole build: 75 s at 1,000 articles under load, minutes at 10,000).
            log.info("No watched file changed since the last build: nothing rebuilt")
            return
        if pages is None and now == self.state and heads != self.heads:
            pages = set()  # git moved HEAD (a commit, an amend) and no file changed: only dates may have
        try:
            # An edit's rebuild only writes pages again, beside an index run if one is under way (the run
            # asked for below indexes them again), so the page reloads without waiting for search.
            self.redated = set()
            wrote = self.incremental(pages) if pages is not None and self.last is not None else None
            if wrote is None:
                # A whole build empties the site folder first: not while an index run is in it.
                with self.index.whole_build():
                    if self.whole(dirty=bool(pages), changed=(pages or set()) | self.redated):
                        now = self.snapshot()  # what it reads changed: its files as they are now
        finally:
            made = self.attempt.generated if self.attempt else set()
            self.generated |= made
        # Only a whole build changes what is generated, and no index run starts before request() below.
        if (stale := self.generated - made) and self.last is not None and self.last.files is not None:
            stale -= {file.abs_dest_path for file in self.last.files}  # written by a page of the docs now
            _remove_outputs(stale, Path(self.site_dir))  # topic pages no article has any more
        self.generated = made
        self.state = now  # only after a good build: a failed one is retried with everything it missed
        head = _head(self.last)
        if (heads != self.heads or head != self.head) and dated_by == self.dated_by:
            self.schedule()  # a checkout (HEAD may name another branch now), a repository made (git init)
        self.head, self.heads = head, heads if dated_by == self.dated_by else self.head_state()
        what = "Changed pages" if pages or wrote is not None else "Whole site"
        took = f"{what} rebuilt in {time.monotonic() - start:.2f} s"
        edit = self.index.request(**self.written(pages, wrote, self.changed_docs(before, seen)))
        log.info(took + (f"; wrote {', '.join(wrote)}" if wrote else "")
                 + f"; updating the search index in the background (edit {edit})")

    def changed_docs(self, before: Snapshot, now: Snapshot) -> set[str]:
        """The docs-relative paths of the files of the docs folder that changed between two snapshots."""
        docs = str(self.docs_dir) + os.sep
        return {Path(path[len(docs):]).as_posix() for path in before.keys() | now.keys()
                if path.startswith(docs) and before.get(path) != now.get(path)}

    def written(self, pages: set[str] | None, wrote: list[str] | None,
                changed: set[str]) -> dict[str, set[str]]:
        """What the good build just made changed for search (output files, site-relative): the pages written
        for their own source (edited, re-dated by a commit, added), the pages written because they list
        articles, the pages removed. An edit's rebuild says what it wrote; after a whole or dirty build the
        docs folder's changes and the pages made and no longer made say it (a change outside the docs folder,
        the bibliography say, is left to the full index run)."""
        assert self.last is not None and self.last.files is not None
        files = self.last.files
        if wrote is not None:
            sources = (pages or set()) | self.redated
            dest = {uri: file.dest_uri for uri in wrote
                    if (file := files.get_file_from_path(uri)) is not None}
            return {"own": {dest[uri] for uri in wrote if uri in sources and uri in dest},
                    "listing": {dest[uri] for uri in wrote if uri not in sources and uri in dest}}
        made = {file.dest_uri: file for file in files.documentation_pages()}
        known, self.pages = self.pages, set(made)
        own = {file.dest_uri for uri in changed | self.redated
               if (file := files.get_file_from_path(uri)) is not None and file.dest_uri in made}
        if known is None:  # no good build before this one: what it added and removed is unknown
            return {"own": own}
        return {"own": own | (made.keys() - known),
                "listing": {dest for dest, file in made.items() if _lists_articles(file)} - own,
                "removed": known - made.keys()}

    def load(self, changed: set[str]) -> MkDocsConfig:
        """A new config object for a build (a new build context with it), as the server had it, for the
        `changed` pages (none: a whole build)."""
        config = load_config(config_file=self.config_file, site_dir=self.site_dir, strict=self.strict)
        config.site_url = self.serve_url
        config.theme.get_env = self._cached_templates(config.theme.get_env)  # type: ignore[method-assign]
        config.extra.setdefault("medsite", {})[NO_SEARCH_INDEX] = False
        self.attempt = _built(config)
        self.attempt.anchor_links, self.attempt.changed = self.anchor_links, frozenset(changed)
        return config

    def whole(self, *, dirty: bool, changed: set[str] | None = None) -> bool:
        """MkDocs' own build: a full one, or its dirty build (pages whose source is newer than their output,
        and the generated pages, which it always writes). The outputs of the `changed` pages are removed
        first, so the dirty build writes them whatever the files' times say: a page written by a rebuild
        still running when it was saved again, or saved with an older time (`cp -p`, an archive), would
        otherwise keep its old text, and its old review state with it. Whether what the build reads changed
        (mkdocs.yml moved the registry, say): it is watched from now on, even if this build fails."""
        self.last = None  # until this build is good: a failed one leaves nothing to start from
        gc.unfreeze()  # what the builds before kept may be garbage now (see _settle)
        config = self.load(set(changed or ()) if dirty else set())
        rewatched = self.rewatch(config)
        if dirty:  # the home page lists articles but is a page of its own: make MkDocs write it again
            (Path(self.site_dir) / "index.html").unlink(missing_ok=True)
            for uri in changed or ():
                output = File(uri, config.docs_dir, config.site_dir, config.use_directory_urls).abs_dest_path
                Path(output).unlink(missing_ok=True)
        with _search_kept(Path(self.site_dir)):
            build(config, serve_url=self.serve_url, dirty=dirty)
        self.not_in_nav = config.not_in_nav
        self.last = _complete(getattr(config, _BUILT, None))
        _settle()
        return rewatched

    def incremental(self, changed: set[str]) -> list[str] | None:
        """Rebuild the `changed` pages from the last good build, and the pages listing articles whose
        content or data changed; the pages written, or None (nothing written) when it cannot (a page it
        does not know, or the generated pages are not the same set as before)."""
        last = self.last
        assert last is not None and last.files is not None and last.nav is not None and last.env is not None
        edited = [last.files.get_file_from_path(uri) for uri in sorted(changed)]
        if any(file is None or file.page is None for file in edited):
            return None
        config = self.load(changed)
        sources = last.sources
        if sources is None:
            sources = frozenset(file.src_uri for file in last.files.documentation_pages()
                                if file.generated_by is None)
        context(config).adopt_sources(context(last.config), sources - changed)
        counter = utils.CountHandler()
        counter.setLevel(logging.WARNING)
        if config.strict:
            logging.getLogger("mkdocs").addHandler(counter)
        try:
            config = config.plugins.on_config(config)
            config.plugins.on_pre_build(config=config)
            files = config.plugins.on_files(Files([file for file in last.files if file.generated_by is None]),
                                            config=config)
            set_exclusions(files, config)  # as MkDocs does for the files the hooks added
            redated = _redated(last, config, files, changed)
            self.redated = {file.src_uri for file in redated}  # written below, or by the dirty build after
            rewritten = _same_generated_files(files, last.files)
            if rewritten is None:
                config.plugins.on_post_build(config=config)  # the whole build that follows starts afresh
                return None
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            listed = last.listing
            if listed is None:
                listed = frozenset(file.src_uri for file in doc_files if _lists_articles(file))
            listing = [file.page for file in doc_files
                       if file.page is not None and file not in edited and file not in redated
                       and (file.src_uri in listed or file.generated_by is not None)]
            pages = [file.page for file in [*edited, *redated] if file is not None and file.page is not None]
            for page in [*pages, *listing]:
                _populate_page(page, config, files)
            env = config.plugins.on_env(last.env, config=config, files=files)
            for file in rewritten:
                file.copy_file()
            built = _built(config)
            built.written.update(last.written)  # on_post_page notes what each page is written from now
            for page in pages:
                _write_page(page, config, doc_files, last.nav, env)
            wrote = [page.file.src_uri for page in pages]
            for page in listing:
                if built.written.get(page.file.src_uri) != _record(page):
                    _write_page(page, config, doc_files, last.nav, env)
                    wrote.append(page.file.src_uri)
            for page in [*pages, *listing]:  # as MkDocs checks the pages it renders (see on_post_build)
                page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            config.plugins.on_post_build(config=config)
            if counts := counter.get_counts():
                found = ", ".join(f"{count} {level.lower()}s" for level, count in counts)
                raise Abort(f"Aborted with {found} in strict mode!")
        except Exception as error:
            last.written.clear()  # some pages may be written already: the next rebuild writes them all
            config.plugins.on_build_error(error=error)
            if isinstance(error, BuildError):
                log.error(str(error))
                raise Abort("Aborted with a BuildError!") from error
            raise
        finally:
            logging.getLogger("mkdocs").removeHandler(counter)
        built.files, built.nav, built.env, built.sources = files, last.nav, env, sources
        built.listing = frozenset([*(page.file.src_uri for page in listing),
                                   *(page.file.src_uri for page in pages if _lists_articles(page.file))])
        self.last = built  # not frozen (see _settle): the collector still frees what later rebuilds drop
        return wrote

    def _cached_templates(self, get_env: Callable[[], Environment]) -> Callable[[], Environment]:
        """MkDocs makes a new template environment for every build, which compiles every template again
        (about a second): the compiled templates are kept across rebuilds, keyed by their source."""
        def get_cached_env() -> Environment:
            env = get_env()
            env.bytecode_cache = self.templates
            return env
        return get_cached_env


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates in memory, checked against each template's source by Jinja itself."""

    def __init__(self) -> None:
        self.buckets: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.buckets.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.buckets[bucket.key] = bucket.bytecode_to_string()


_INDEX_NICENESS = 10  # the background index run's priority below the server's (0); 19 is the lowest


class BackgroundIndex:
    """Re-indexes the served site after each build, one run at a time; builds made meanwhile are
    indexed by the next run. A whole build and an index run never overlap (`whole_build`): a whole build
    empties the site folder while the indexer swaps its folders in it. An edit's rebuild does not wait for a
    run (at 10,000 articles one takes minutes), and runs at a lower priority than it: Pagefind, on every
    processor, would otherwise slow the rebuild the editor waits for. Until a run has indexed an edit, the
    pages it wrote are indexed alone into the preview's bundle of edits (medsite.search.edits), by a thread
    of its own at the server's priority: a fraction of a second."""

    def __init__(self, site_dir: Path, language: str) -> None:
        self.site_dir, self.language = site_dir, language
        self.edits = Edits(site_dir, language)
        self.wanted = threading.Event()
        self.edited = threading.Event()
        self.writing = threading.Lock()  # held by a whole build, and by an index run
        self.writing_edits = threading.Lock()  # held by a whole build, and while the edits' bundle is written
        threading.Thread(target=self._run, name="medsite-search-index", daemon=True).start()
        threading.Thread(target=self._run_edits, name="medsite-search-edits", daemon=True).start()
        self.edited.set()  # an empty bundle at once: the preview's search asks for it on every page

    @contextmanager
    def whole_build(self) -> Iterator[None]:
        """While a whole build empties and fills the site folder: no index is written into it."""
        with self.writing, self.writing_edits:
            yield

    def request(self, *, own: Iterable[str] = (), listing: Iterable[str] = (),
                removed: Iterable[str] = ()) -> int:
        """Ask for the site to be indexed again (builds made meanwhile share one run), and the pages a build
        wrote (output files: for their own source, because they list articles) or removed to be indexed
        into the bundle of edits meanwhile. The build's number, which the log lines name."""
        edit = self.edits.note(own=own, listing=listing, removed=removed)
        self.edited.set()
        self.wanted.set()
        return edit

    def _run(self) -> None:
        if sys.platform == "linux":  # a nice value per thread, inherited by what it starts (Pagefind);
            # elsewhere a nice value is the whole process's, and would slow the rebuilds as well
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _INDEX_NICENESS)
        while True:
            self.wanted.wait()
            self.wanted.clear()
            start = time.monotonic()
            try:
                with self.writing:
                    covered = self.edits.starting()  # a later build may be written while Pagefind reads
                    index_site(self.site_dir, language=self.language, display="mkdocs.yml")
                    self.edits.indexed(covered)
            except ProblemsError as error:
                for problem in error.problems:
                    log.error(str(problem))
                continue
            self.edited.set()  # the bundle of edits keeps only what this run did not index
            log.info(f"Search index updated in {time.monotonic() - start:.2f} s (edits up to {covered})")

    def _run_edits(self) -> None:
        while True:
            self.edited.wait()
            self.edited.clear()
            start = time.monotonic()
            try:
                with self.writing_edits:
                    written = self.edits.write()
            except ProblemsError as error:
                for problem in error.problems:
                    log.error(str(problem))
                continue
            log.info(f"Search edits updated in {time.monotonic() - start:.2f} s (edit {written.edit}: "
                     f"{written.pages} pages indexed, {written.hidden} hidden from the full index)")


@event_priority(100)  # first: what the page is written from (later hooks only add to its HTML)
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
    """Note what a page listing articles is written from: a rebuild of an edit writes it again only if that
    changed."""
    if _lists_articles(page.file):
        _built(config).written[page.file.src_uri] = _record(page)
    return None


def _settle() -> None:
    """After a whole build: collect its garbage once, then leave what it keeps (every page, at a large site
    millions of objects) out of the collector's full passes. Those passes otherwise walk it all again
    during each rebuild of an edit, which at 10,000 articles took longer than the rebuild itself."""
    gc.collect()
    gc.freeze()


@contextmanager
def _search_kept(site_dir: Path) -> Iterator[None]:
    """Keep the search indexes through a whole build, which empties the site folder but for hidden names:
    search would otherwise find nothing until the next index run (minutes at 10,000 articles). Until then
    the bundle of edits hides what the build removed and finds what it added."""
    kept = [(site_dir / name, site_dir / f".medsite-kept-{name}") for name in (BUNDLE, EDITS)]
    for live, hidden in kept:
        shutil.rmtree(hidden, ignore_errors=True)
        if live.is_dir():
            live.rename(hidden)
    try:
        yield
    finally:
        for live, hidden in kept:
            if hidden.is_dir() and not live.exists():
                hidden.rename(live)
            shutil.rmtree(hidden, ignore_errors=True)


def _complete(built: Built | None) -> Built | None:
    """A build to start the next rebuild from, if it got as far as writing pages."""
    return built if built and built.files and built.nav and built.env else None


def _head(built: Built | None) -> str | None:
    """The commit HEAD named for the build's catalog (None: outside git, or no catalog)."""
    catalog = context(built.config).catalog if built is not None else None
    return catalog.head if catalog is not None else None


def _redated(last: Built, config: MkDocsConfig, files: Files, changed: set[str]) -> list[File]:
    """The unchanged articles whose last-updated date this build's catalog changed (git moved HEAD), which
    their own pages show: to be written again (medsite.review.catalog.redated says which)."""
    before, after = context(last.config).catalog, context(config).catalog
    if before is None or after is None:
        return []
    found = [files.src_uris.get(uri) for uri in sorted(redated(before, after) - changed)]
    return [file for file in found if file is not None and file.page is not None]


def _same_generated_files(files: Files, before: Files) -> list[File] | None:
    """Give the new generated files the build before's page objects (the navigation holds those); the
    generated files that are not pages (the feed), to be written again. None when the generated files are
    not the same set as before."""
    new = {file.src_uri: file for file in files if file.generated_by is not None}
    old = {file.src_uri: file for file in before if file.generated_by is not None}
    if new.keys() != old.keys():
        return None
    for src_uri, file in new.items():
        if (page := old[src_uri].page) is not None:
            page.file, file.page = file, page
    return [file for file in new.values() if not file.is_documentation_page()]


def _lists_articles(file: File) -> bool:
    """A page the hooks generate (topics, References, dashboard, What's new) or one whose data from the
    last build lists articles (the home page)."""
    if file.generated_by is not None:
        return True
    if file.page is None:
        return False
    data = page_data(file.page)
    return any((data.article_list, data.dashboard, data.whats_new, data.references_index))


def _record(page: Page) -> tuple:
    """What a page listing articles is written from; the theme, the navigation and the configuration are
    the same for every rebuild of an edit (a change to them makes a whole build)."""
    return (page.content, page.title, dict(page.meta), copy.copy(page_data(page)))


def _write_page(page: Page, config: MkDocsConfig, doc_files: list[File], nav: Navigation,
                env: Environment) -> None:
    """MkDocs' own steps for writing a page (mkdocs.commands.build._build_page, without its dirty check)."""
    config._current_page = page
    page.active = True
    try:
        template = env.get_template(page.meta.get("template", "main.html"))
        values = config.plugins.on_page_context(get_context(nav, doc_files, config, page), page=page,
                                                config=config, nav=nav)
        output = config.plugins.on_post_page(template.render(values), page=page, config=config)
        utils.write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
    except Exception as error:
        log.error(f"Error building page '{page.file.src_uri}':"
                  + ("" if isinstance(error, BuildError) else f" {error}"))
        raise
    finally:
        page.active = False
        config._current_page = None


def _remove_outputs(outputs: set[str], site_dir: Path) -> None:
    """Remove the outputs of generated files a build no longer makes, and the folders left empty."""
    for output in outputs:
        path = Path(output)
        path.unlink(missing_ok=True)
        folder = path.parent
        while site_dir in folder.parents and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent

