"""A build's pages given to Pagefind's service (medsite.search.service) as the build writes them, so that
Pagefind parses them beside the build (on a processor the templates leave idle) instead of after it.

The build tells the feed each page it is about to write (`writing`), in its own page order, so the page
before it is written; a thread reads that file as written and gives it to the service, so the build
never waits. A warm build does not start the service while every page it writes is the page the stored
index was built from (`known`, by address and digest): the stored index may then be reused
(medsite.search.pagefind); at the first page that differs, the service starts and is given every page
written so far (read again from disk) and every later one.

What is indexed is the site as it is at the end, whatever rewrote a page after it was given (`complete`):
every page is given in one order, the pages written in the build's order, then every other page of the
site (a page no hook saw, or one written later) by address; a page whose file changed since it was given
is given again (the service replaces it in place), and if a page given is gone the service is started
again and given every page in that order. The same site built twice gives the same index.
"""

from __future__ import annotations

import queue
import threading
import weakref
from collections.abc import Mapping
from pathlib import Path

from medsite.core.problems import ProblemsError
from medsite.search.index_cache import page_digest, page_url
from medsite.search.service import Service, file_bytes


class Feed:
    """One build's pages on their way to Pagefind's service."""

    def __init__(self, site_dir: Path, *, config: dict, display: str,
                 known: Mapping[str, str] | None) -> None:
        self._site_dir = site_dir
        self._config = config
        self._display = display
        self._known = known  # page digests of the stored index; None: start at the first page
        self.service: Service | None = None
        self.given: dict[str, str] = {}  # address: digest of the bytes given, in the order first given
        self._written: dict[str, Path] = {}  # every page the build wrote that existed then, in its order
        self._failure: ProblemsError | None = None
        self._pages: queue.SimpleQueue[tuple[str, Path] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._next: Path | None = None  # the page being written

    def writing(self, path: Path) -> None:
        """The build writes the page at `path` (in the site folder) next, so the one before it is written:
        that one goes to the thread. Returns at once."""
        if self._next is not None:
            self._queue(self._next)
        self._next = path

    def finish(self) -> None:
        """Every page is written: wait until each has been given (or compared); ProblemsError if the service
        failed."""
        if self._next is not None:
            self._queue(self._next)
            self._next = None
        if self._thread is not None:
            self._pages.put(None)
            self._thread.join()
            self._thread = None
        if self._failure is not None:
            self.abandon()
            raise self._failure

    def complete(self, pages: Mapping[str, Path], digests: Mapping[str, str]) -> Service:
        """After `finish`: the service, holding exactly the site's `pages` (address: file) as their files are
        now (`digests`, medsite.search.index_cache.page_digests), in the order described above."""
        order = [url for url in self._written if url in pages]
        order += sorted(url for url in pages if url not in self._written)
        if self.service is not None and list(self.given) != order[:len(self.given)]:
            self.abandon()  # a page given is gone: the service cannot forget it
        if self.service is None:
            self.given = {}
            self.service = Service(self._config, self._display)
        for url in order:
            if self.given.get(url) != digests[url]:
                self._give(url, pages[url])
        return self.service

    def abandon(self) -> None:
        """End the service, if started, without an index (a failed build, or one started again)."""
        if self._thread is not None:
            self._pages.put(None)
            self._thread.join()
            self._thread = None
        _RUNNING.discard(self)
        if self.service is not None:
            service, self.service = self.service, None
            service.close()

    # The thread ------------------------------------------------------------------------------------------

    def _queue(self, path: Path) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="pagefind-feed", daemon=True)
            self._thread.start()
            _RUNNING.add(self)
        self._pages.put((page_url(path.relative_to(self._site_dir).as_posix()), path))

    def _run(self) -> None:
        while (item := self._pages.get()) is not None:
            if self._failure is not None:
                continue
            try:
                self._take(*item)
            except ProblemsError as error:
                self._failure = error

    def _take(self, url: str, path: Path) -> None:
        data = file_bytes(path)
        if data is None:
            return
        self._written[url] = path
        if self.service is None:
            if self._known is not None and self._known.get(url) == page_digest(url, data):
                return  # the stored index's page: no service needed so far
            self.service = Service(self._config, self._display)
            for earlier in list(self._written)[:-1]:
                self._give(earlier, self._written[earlier])
        self._give(url, path, data)

    def _give(self, url: str, path: Path, data: bytes | None = None) -> None:
        data = file_bytes(path) if data is None else data
        if data is None or self.service is None:
            return
        self.service.add(url, data)
        self.given[url] = page_digest(url, data)


_RUNNING: weakref.WeakSet[Feed] = weakref.WeakSet()  # feeds whose thread runs, for `stop_feeds`


def stop_feeds() -> None:
    """End every feed of this process that has not finished (a failed build: its service and thread)."""
    for feed in list(_RUNNING):
        feed.abandon()
