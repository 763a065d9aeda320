"""One harness for every browser test: the real site served on 127.0.0.1, Debian's Chromium driven by
Playwright, a fresh context per test, and checks every test gets for free: no request leaves 127.0.0.1,
no console error, no uncaught exception, no Content-Security-Policy violation. A test that fails leaves a
screenshot of every page it had open in test-artifacts/screenshots/failed/ (CI keeps the folder), so a
reviewer can see what broke."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from medsite.checks.local_server import CHROMIUM_FLAGS, serving
from tests.browser.harness import Visits
from tests.sitebuild import PROJECT
from tests.sites import BuiltSite
from tests.unavailable import unavailable

NODE_MODULES = PROJECT / "node_modules"


@pytest.fixture(scope="session")
def served() -> Iterator[Callable[[BuiltSite], str]]:
    """A built site's root URL: each site is served once per run from its build directory on 127.0.0.1,
    like a static host."""
    with ExitStack() as stack:
        urls: dict[Path, str] = {}

        def url(site: BuiltSite) -> str:
            if site.site_dir not in urls:
                assert site.returncode == 0, site.stderr
                urls[site.site_dir] = stack.enter_context(serving(site.site_dir))
            return urls[site.site_dir]

        yield url


@pytest.fixture(scope="session")
def site_url(served, main_site) -> str:
    """The real site's root URL."""
    return served(main_site)


@pytest.fixture(scope="session")
def browser(chromium_path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=list(CHROMIUM_FLAGS))
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def node_tool() -> Callable[[str], str]:
    """A file from an npm package in node_modules (installed by `make test` / `npm ci`); missing is a
    failure under CI=true and a skip elsewhere, like Chromium."""
    def find(relative: str) -> str:
        path = NODE_MODULES / relative
        if not path.is_file():
            unavailable(f"node_modules/{relative} is missing (run `npm ci`)")
        return str(path)
    return find


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Lets fixtures see, at teardown, whether the test itself failed."""
    report = yield
    if report.when == "call":
        item.medsite_failed = report.failed  # type: ignore[attr-defined]
    return report


@pytest.fixture
def visits(browser, served, request) -> Iterator[Visits]:
    """Every browser test goes through this: afterwards, no request may have left 127.0.0.1 and no
    console error, uncaught exception or CSP violation may have happened. It visits the real site, or the
    contributed one when a test is parametrised with `("visits", ...)` indirectly (harness.ARTICLE_PAGES)."""
    if getattr(request, "param", "main") == "main":
        site = request.getfixturevalue("main_site")
    else:
        site = request.getfixturevalue("contribution").site
    recorder = Visits(browser, served(site), site)
    yield recorder
    recorder.keep_screenshots_if_failed(request.node)
    recorder.close()
    assert recorder.requests, "the test made no request: nothing was checked"
    assert recorder.outside_requests() == []
    assert recorder.errors == []
