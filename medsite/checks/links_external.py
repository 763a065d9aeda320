"""External links (http, https) checked over the network: concurrent, with timeouts, retries and a cache.

Links rot after review, so a weekly job checks them. Each URL is requested once however many pages cite it;
answers that were fine recently come from a cache file, so a run stays short and polite to publishers.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPException
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from medsite.core.problems import Problem
from medsite.model.sources import Source

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src",
                    "iframe": "src"}
_NOT_FETCHED_RELS = frozenset({"canonical", "alternate", "preconnect", "dns-prefetch"})


@dataclass(frozen=True)
class Occurrence:
    """One place a URL appears: the file as problem lines name it, and the line."""

    url: str
    path: str
    line: int | None


@dataclass(frozen=True)
class Result:
    """The answer for one URL: good or not, and why."""

    url: str
    ok: bool
    detail: str  # "200 OK", "404 Not Found", "timed out after 10 s", "redirect loop via ..."
    from_cache: bool = False


def is_external(url: str) -> bool:
    """Whether `url` leaves the site (http or https)."""
    return urlsplit(url).scheme in ("http", "https")


def links_in_sources(sources: Iterable[Source]) -> list[Occurrence]:
    """External link targets written in Markdown sources (inline, reference and autolinks)."""
    return [Occurrence(link.target, source.display, link.line)
            for source in sources if source.text is not None
            for link in source.scan.links if is_external(link.target)]


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and set((attributes.get("rel") or "").split()) & _NOT_FETCHED_RELS:
            return  # names the page or a host; nothing to fetch
        url = attributes.get(_LINK_ATTRIBUTES.get(tag, ""))
        if url and is_external(url):
            self.found.append((url, self.getpos()[0]))


def links_in_site(site_dir: Path, shown_as: str) -> list[Occurrence]:
    """External links in the built HTML of a site folder; `shown_as` names that folder in problem lines."""
    occurrences = []
    for page in sorted(site_dir.rglob("*.html")):
        collector = _LinkCollector()
        collector.feed(page.read_text(encoding="utf-8", errors="replace"))
        collector.close()
        name = f"{shown_as.rstrip('/')}/{page.relative_to(site_dir).as_posix()}"
        occurrences += [Occurrence(url, name, line) for url, line in collector.found]
    return occurrences


class AllowList:
    """URLs never checked: an entry with `://` is a URL prefix, anything else a host (and its subdomains)."""

    def __init__(self, entries: Iterable[str]) -> None:
        cleaned = [entry.strip() for entry in entries]
        self.prefixes = tuple(entry for entry in cleaned if "://" in entry)
        self.hosts = tuple(entry.lower().strip(".") for entry in cleaned if entry and "://" not in entry)

    def __contains__(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return url.startswith(self.prefixes) or any(host == h or host.endswith(f".{h}") for h in self.hosts)


def read_allow_file(path: Path) -> list[str]:
    """Entries of an allow-list file: one per line; `#` starts a comment."""
    entries = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [entry for entry in entries if entry]


class Cache:
    """Good answers by URL with the time they were seen; older than `max_age` seconds counts as unknown.

    Broken answers are never cached, so a broken link is reported on every run until it is fixed.
    """

    def __init__(self, path: Path, max_age: float, *, now: Callable[[], float] = time.time) -> None:
        self.path, self.max_age, self._now = path, max_age, now
        self.entries: dict[str, dict] = {}
        self.note = ""  # why an existing cache file was not used, if it was not

    def load(self) -> Cache:
        """The cache with the answers stored in its file (none if the file is missing or unreadable)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return self
        except (OSError, ValueError) as error:
            self.note = f"ignored the unreadable cache {self.path} ({error})"
            return self
        if isinstance(data, dict):
            self.entries = {url: entry for url, entry in data.items()
                            if isinstance(entry, dict) and isinstance(entry.get("checked_at"), (int, float))}
        return self

    def get(self, url: str) -> Result | None:
        """A good answer for `url` younger than the maximum age, or None."""
        entry = self.entries.get(url)
        if entry is None or self._now() - entry["checked_at"] > self.max_age:
            return None
        return Result(url, True, str(entry.get("detail", "ok")), from_cache=True)

    def put(self, result: Result) -> None:
        """Keep a good answer that was fetched now (broken links are asked again every time)."""
        if result.ok and not result.from_cache:
            self.entries[result.url] = {"checked_at": self._now(), "detail": result.detail}

    def save(self) -> None:
        """Write only fresh entries, atomically, so a crash never leaves a half-written cache."""
        fresh = {url: entry for url, entry in self.entries.items()
                 if self._now() - entry["checked_at"] <= self.max_age}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.path.parent, delete=False,
                                         prefix=f".{self.path.name}.", suffix=".tmp") as handle:
            json.dump(fresh, handle, indent=1, sort_keys=True)
        os.replace(handle.name, self.path)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand 3xx answers back to the checker, which follows them itself to detect loops."""

    def redirect_request(self, req, fp, code, msg, headers, newurl) -> None:
        return None


@dataclass
class Checker:
    """Fetches one URL: HEAD, then GET if HEAD fails (some servers refuse HEAD); redirects followed here."""

    timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_redirects: int = 10
    user_agent: str = "medsite-links/0.1 (+https://github.com/clinical-answers/clinical-answers)"
    _opener: urllib.request.OpenerDirector = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirects)

    def check(self, url: str) -> Result:
        """Ask for `url`, following redirects (a loop or too many is a broken link)."""
        current, seen = url, [url]
        while True:
            status, detail, location = self._with_retries(current)
            if location is None:
                return Result(url, 200 <= (status or 0) < 300, detail)
            current = urljoin(current, location)
            if current in seen:
                return Result(url, False, f"redirect loop via {current}")
            if len(seen) > self.max_redirects:
                return Result(url, False, f"more than {self.max_redirects} redirects")
            seen.append(current)

    def _with_retries(self, url: str) -> tuple[int | None, str, str | None]:
        """Retry network failures, timeouts, 429 and 5xx answers, waiting longer each time."""
        attempt = 0
        while True:
            status, detail, location = self._fetch(url)
            transient = status is None or status in RETRY_STATUSES
            if not transient or attempt >= self.retries:
                return status, detail, location
            time.sleep(self.backoff * 2 ** attempt)
            attempt += 1

    def _fetch(self, url: str) -> tuple[int | None, str, str | None]:
        """(status or None on network failure, what to tell the reader, redirect target or None)."""
        answer = self._request(url, "HEAD")
        if answer[0] is not None and answer[0] >= 400:
            answer = self._request(url, "GET")
        return answer

    def _request(self, url: str, method: str) -> tuple[int | None, str, str | None]:
        request = urllib.request.Request(url, method=method, headers={"User-Agent": self.user_agent})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, f"{response.status} {response.reason}", None
        except urllib.error.HTTPError as error:
            with error:
                location = error.headers.get("Location") if 300 <= error.code < 400 else None
                return error.code, f"{error.code} {error.reason}", location
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                return None, f"timed out after {self.timeout:g} s", None
            return None, f"cannot connect: {error.reason}", None
        except TimeoutError:
            return None, f"timed out after {self.timeout:g} s", None
        except (HTTPException, OSError, ValueError) as error:
            return None, f"request failed: {error or type(error).__name__}", None


@dataclass
class Report:
    """Every link found, every answer, and what the allow-list skipped."""

    occurrences: list[Occurrence]
    results: dict[str, Result]
    skipped: set[str]

    @property
    def broken(self) -> list[Problem]:
        """One problem per place a broken URL appears."""
        return [Problem(o.path, o.line, f"found a broken link {o.url} ({self.results[o.url].detail}); "
                        "expected a working address, or its host in the allow-list if it refuses automated "
                        "requests")
                for o in self.occurrences if o.url in self.results and not self.results[o.url].ok]

    def summary(self) -> str:
        """One line: how many links were checked, good, cached, skipped and broken."""
        results = self.results.values()
        ok = sum(result.ok for result in results)
        cached = sum(result.from_cache for result in results)
        return (f"{len(self.results)} checked, {ok} ok, {len(self.results) - ok} broken, "
                f"{len(self.skipped)} skipped, {cached} from cache")


def check_external_links(occurrences: Sequence[Occurrence], *, checker: Checker, cache: Cache,
                         allow: AllowList, workers: int = 8) -> Report:
    """Check each distinct URL once, in parallel; allow-listed URLs are skipped, fresh cache hits reused."""
    urls = list(dict.fromkeys(o.url for o in occurrences))
    skipped = {url for url in urls if url in allow}
    results: dict[str, Result] = {}
    to_fetch = []
    for url in urls:
        if url in skipped:
            continue
        cached = cache.get(url)
        if cached:
            results[url] = cached
        else:
            to_fetch.append(url)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for result in pool.map(checker.check, to_fetch):
            results[result.url] = result
            cache.put(result)
    return Report(occurrences=list(occurrences), results=results, skipped=skipped)
