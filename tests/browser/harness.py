"""What every browser test shares: the pages to visit, the viewports, how Chromium is started, and a
recorder of every request, console error, uncaught exception and CSP violation of the pages it opens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Error, Page

from medsite.checks.local_server import stays_local
from medsite.markdown.frontmatter import parse
from tests.contribution import ADDED
from tests.sitebuild import PROJECT
from tests.sites import BuiltSite

ARTICLES = sorted(path.stem for path in (PROJECT / "docs" / "articles").glob("*.md"))
# Every article page once, for the tests of one article at a time: the project's articles on the real site,
# and the articles a first-time contribution adds on the contributed site (tests/contribution.py; its other
# pages are the project's own). Use with `@pytest.mark.parametrize(("visits", "slug"), ARTICLE_PAGES,
# indirect=["visits"])`.
ARTICLE_PAGES = [pytest.param("main", slug, id=slug) for slug in ARTICLES] + [
    pytest.param("contribution", slug, id=f"contribution-{slug}") for slug in ADDED]


def front_matter(slug: str, root: Path = PROJECT) -> dict:
    """An article's front matter as written (so a test can pick the articles it applies to)."""
    source = (root / "docs" / "articles" / f"{slug}.md").read_text(encoding="utf-8")
    return parse(source, slug).data or {}


def status(site: str, slug: str) -> str | None:
    """The review status an article of ARTICLE_PAGES has on its site."""
    return ADDED[slug] if site == "contribution" else front_matter(slug).get("status")


DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}  # a small phone (iPhone SE)
TALL_PHONE = {"width": 390, "height": 844}  # a common phone (iPhone 12 to 14)
SCREENSHOTS = PROJECT / "test-artifacts" / "screenshots"
FAILED_SCREENSHOTS = SCREENSHOTS / "failed"
# Reports every violation of the page's own policy to the test, on every page the context opens.
REPORT_CSP = ("document.addEventListener('securitypolicyviolation', e => window.medsiteCspViolation("
              "`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} ${e.sample}`));")


class Visits:
    """Opens pages of the served site in fresh browser contexts and records what each does."""

    def __init__(self, browser: Browser, site_url: str, site: BuiltSite | None = None) -> None:
        self.browser = browser
        self.site_url = site_url
        self.site = site  # the built site being visited (its project, its articles)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.contexts: list[BrowserContext] = []

    def context(self, *, viewport: dict = DESKTOP, **options) -> BrowserContext:
        """A fresh context (empty storage, no cache) whose every request and error is recorded."""
        context = self.browser.new_context(viewport=viewport, **options)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("console", lambda message: self._console(message.type, message.text, message.location))
        context.on("weberror", lambda error: self.errors.append(f"uncaught: {error.error}"))
        context.expose_function("medsiteCspViolation", lambda text: self.errors.append(f"CSP: {text}"))
        context.add_init_script(REPORT_CSP)
        self.contexts.append(context)
        return context

    def open(self, path: str = "", *, context: BrowserContext | None = None, **options) -> Page:
        """Load `path` (relative to the site root) and wait until the network is idle."""
        page = (context or self.context(**options)).new_page()
        self.goto(page, path)
        return page

    def goto(self, page: Page, path: str) -> None:
        page.goto(self.site_url + path)
        page.wait_for_load_state("networkidle")

    def _console(self, kind: str, text: str, location: dict) -> None:
        if kind == "error":
            self.errors.append(f"console: {text} ({location.get('url')}:{location.get('lineNumber')})")

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if not stays_local(url)]

    def keep_screenshots_if_failed(self, node: pytest.Item) -> None:
        """After a test: if it failed, a full-page screenshot of every page it left open, named after it,
        in test-artifacts/screenshots/failed/ (the conftest's report hook sets `medsite_failed`)."""
        if getattr(node, "medsite_failed", False):
            self.screenshot_pages(FAILED_SCREENSHOTS, node.nodeid)

    def screenshot_pages(self, folder: Path, test_id: str) -> None:
        """A full-page screenshot of every page still open, named after the test."""
        folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "-", test_id.rpartition("/")[2]).strip("-")
        pages = [page for context in self.contexts for page in context.pages]
        for number, page in enumerate(pages, start=1):
            try:
                page.screenshot(path=str(folder / f"{stem}-{number}.png"), full_page=True)
            except Error as error:  # a page the test closed or crashed: note it, keep the others
                (folder / f"{stem}-{number}.txt").write_text(f"no screenshot: {error}\n", encoding="utf-8")

    def close(self) -> None:
        for context in self.contexts:
            context.close()
