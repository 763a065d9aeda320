"""`make serve` (`mkdocs serve`) for editors: saving an article rebuilds only what depends on it, every
state a contributor can create previews (with its caution on the page and its problem in the terminal),
and a change to the bibliography or the registry rebuilds too.

MkDocs' own server rebuilds the whole site on every save. Here the server's builder is replaced: when the
only files that changed since the last good build are existing pages of the docs folder outside the
navigation (articles), it makes MkDocs' dirty build (only pages whose source is newer than their output
are converted and written), plus the pages that list articles: generated pages (topics, References,
dashboard) are always rebuilt, and the home page's output is removed first so it is too. Anything else (a
page added or removed, a page in the navigation, a .bib file, data/, the theme, the hooks, mkdocs.yml)
makes a full build. The search index is rebuilt in the background after each build (medsite.search.pagefind
swaps it in whole), so the page reloads without waiting for it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import BytecodeCache
from mkdocs.commands.build import build
from mkdocs.config import load_config

from medsite.core.problems import ProblemsError
from medsite.model.published import PAGE_SUFFIX, read_paths
from medsite.safety.csp import allowing_added_scripts
from medsite.search.pagefind import index_site
from medsite_mkdocs.adapter import context, log

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import Environment
    from jinja2.bccache import Bucket
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

Snapshot = dict[str, tuple[int, int]]
NO_SEARCH_INDEX = "search_index"  # extra.medsite key: false = hooks/search_index.py leaves it to this hook


def on_serve(server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
    """Replace the server's builder with one that rebuilds only what an edit changed."""
    rebuilder = Rebuilder(config)
    for path in rebuilder.extra_watched:
        server.watch(str(path))
    server.builder = rebuilder
    logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_build_warning)
    server._inject_js_into_html = _allowing_live_reload(server._inject_js_into_html)  # type: ignore[method-assign]
    return server


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

    def __init__(self, config: MkDocsConfig) -> None:
        self.config_file = config.config_file_path
        self.site_dir = config.site_dir
        self.serve_url = config.site_url
        self.strict = bool(config.strict)  # as the server was started: `make serve` says --no-strict
        self.docs_dir = Path(config.docs_dir)
        self.not_in_nav = config.not_in_nav
        project = context(config).project
        self.extra_watched = sorted({  # what the build reads (bibliography, data/), the theme and the hooks
            *read_paths(project.root, self.docs_dir, project.bibliography_dir, project.settings),
            *([Path(config.theme.custom_dir)] if config.theme.custom_dir else []),  # overrides/
            *{Path(hook.__file__).parent for hook in config.hooks.values() if getattr(hook, "__file__", "")},
        } - {self.docs_dir})  # MkDocs watches the docs folder itself
        self.watched = [self.docs_dir, Path(self.config_file), *self.extra_watched]
        self.state = self.snapshot()
        self.templates = _MemoryBytecodeCache()
        self.index = BackgroundIndex(Path(self.site_dir), config.theme.get("language") or "en")

    def snapshot(self) -> Snapshot:
        """Modification time and size of every watched file (a few ms per thousand files)."""
        found: Snapshot = {}
        for path in self.watched:
            if path.is_file():
                found[str(path)] = _stat(str(path))
                continue
            for folder, _, names in os.walk(path):
                for name in names:
                    full = os.path.join(folder, name)
                    found[full] = _stat(full)
        return found

    def only_pages_changed(self, before: Snapshot, now: Snapshot) -> bool:
        """Only existing pages outside the navigation changed: a page in the navigation (about.md) has
        its title in every other page's menu, so changing it rebuilds everything."""
        changed = {path for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
        docs = str(self.docs_dir) + os.sep
        return bool(changed) and all(
            path in before and path in now and path.startswith(docs) and path.endswith(PAGE_SUFFIX)
            and self.not_in_nav is not None
            and self.not_in_nav.match_file(Path(path[len(docs):]).as_posix()) for path in changed)

    def __call__(self, config: MkDocsConfig | None = None) -> None:
        """Rebuild after a change: dirty when only existing pages outside the navigation changed."""
        start = time.monotonic()
        now = self.snapshot()
        dirty = self.only_pages_changed(self.state, now)
        config = load_config(config_file=self.config_file, site_dir=self.site_dir, strict=self.strict)
        config.site_url = self.serve_url
        config.theme.get_env = self._cached_templates(config.theme.get_env)  # type: ignore[method-assign]
        config.extra.setdefault("medsite", {})[NO_SEARCH_INDEX] = False
        # Not while the index is written into the site folder: a whole build empties that folder first.
        with self.index.writing:
            if dirty:  # the home page lists articles but is a page of its own: make MkDocs write it again
                (Path(self.site_dir) / "index.html").unlink(missing_ok=True)
            build(config, serve_url=self.serve_url, dirty=dirty)
        self.state = now  # only after a good build: a failed one is retried with everything it missed
        self.not_in_nav = config.not_in_nav
        log.info(f"{'Changed pages' if dirty else 'Whole site'} rebuilt in {time.monotonic() - start:.2f} s; "
                 "updating the search index in the background")
        self.index.request()

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


class BackgroundIndex:
    """Re-indexes the served site after each build, one run at a time; builds made meanwhile are
    indexed by the next run. A build and an index run never overlap (`writing`): a whole build empties
    the site folder while the indexer swaps its folders in it."""

    def __init__(self, site_dir: Path, language: str) -> None:
        self.site_dir, self.language = site_dir, language
        self.wanted = threading.Event()
        self.writing = threading.Lock()  # held by a build, and by an index run
        threading.Thread(target=self._run, name="medsite-search-index", daemon=True).start()

    def request(self) -> None:
        """Ask for the site to be indexed again (builds made meanwhile share one run)."""
        self.wanted.set()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            start = time.monotonic()
            try:
                with self.writing:
                    index_site(self.site_dir, language=self.language, display="mkdocs.yml")
            except ProblemsError as error:
                for problem in error.problems:
                    log.error(str(problem))
                continue
            log.info(f"Search index updated in {time.monotonic() - start:.2f} s")


def _stat(path: str) -> tuple[int, int]:
    try:
        info = os.stat(path)
    except OSError:
        return (0, -1)
    return (info.st_mtime_ns, info.st_size)
