"""Search under `make serve` follows an edit without waiting for the full index run (hooks/serve.py,
medsite/search/edits.py, docs/assets/search.js `mergePreviewEdits`): the pages a rebuild wrote are indexed
alone into pagefind-edits/, which the preview's search merges while hiding the full index's results for
those pages and for pages removed since. Checked through a real server and the site's own search box in
Chromium: a new word is found before the full run ends, the old word no longer shows the page's stale
text, a removed or renamed page disappears from results; after the full run the results are those of a
whole build, and no published build has the bundle or asks for it."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from medsite.checks.local_server import serving as serving_folder
from medsite.search.edits import FOLDER
from tests.browser.test_serve import save, serving, wait_for_log
from tests.review_samples import TODAY, article
from tests.sites import build_site

pytestmark = pytest.mark.browser

ARTICLES = 300
DEADLINE = 20  # seconds from a rebuild to the preview's search finding it, on a machine shared by four suites
_EDITS = re.compile(r"Search edits updated in [0-9.]+ s \(edit (\d+): (\d+) pages indexed, (\d+) hidden")
_FULL = re.compile(r"Search index updated in [0-9.]+ s \(edits up to (\d+)\)")
_EDIT = re.compile(r"in the background \(edit (\d+)\)")


def _words(n: int) -> str:
    """Text of many distinct words: the full index run takes seconds, an edit's index a fraction of one."""
    return " ".join(f"term{n}w{i} dose{i % 97} survival{i % 89}" for i in range(600))


def _word(n: int) -> str:
    """A word of article `n`'s own, in letters only, none the start of another (Pagefind splits words at
    digits, and matches the start of a word)."""
    return "origin" + "".join(chr(ord("a") + int(digit)) for digit in f"{n:03d}") + "q"


def _article(n: int, word: str) -> str:
    return article(f"**Answer {n}.**\n\n## Evidence\n\nThe {word} finding.\n\n{_words(n)}\n",
                   title=f"Question number {n} {word}?")


def _site(tiny_site) -> Path:
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    for n in range(ARTICLES):
        tiny_site.write(f"docs/articles/a{n}.md", _article(n, _word(n)))
    (tiny_site.root / "mkdocs.yml").write_text(yaml.safe_dump(tiny_site.config, sort_keys=False))
    return tiny_site.root


def search_box(page: Page, url: str, query: str) -> list[dict]:
    """The site's own search box (docs/assets/search.js), on a page loaded fresh: its status line (how many
    results), then each result shown (the first five), its address and its text (title, answer, excerpt)."""
    status = page.locator(".md-search-result__meta")
    for attempt in range(3):
        try:
            page.goto(url)
        except PlaywrightError:  # the page before reloaded (MkDocs' live reload after a rebuild) meanwhile
            page.goto(url)
        page.keyboard.press("/")
        expect(page.locator("input.md-search__input")).to_be_focused()
        page.keyboard.type(query, delay=10)
        try:  # the full index swapped in while Pagefind loaded it (a 404: a known limit of the swap)
            expect(status).to_have_text(re.compile(r"matching|No matching"))
            break
        except AssertionError:
            if attempt == 2:
                raise
    return [{"url": "", "text": status.text_content()}, *page.locator(".md-search-result__link").evaluate_all(
        "links => links.map(link => ({url: new URL(link.href).pathname, text: link.textContent}))")]


def _edit(log: Path, after: int) -> int:
    """The number the server gave the first build logged after `after`."""
    deadline = time.monotonic() + 300  # a whole build of the site under the load of four test suites
    while not (found := _EDIT.search(log.read_text()[after:])):
        assert time.monotonic() < deadline, log.read_text()[after:]
        time.sleep(0.05)
    return int(found.group(1))


def _edits_after(log: Path, edit: int, mark: int) -> str:
    """Wait until the bundle of edits includes build `edit`; the log since `mark`."""
    deadline = time.monotonic() + DEADLINE
    while not any(int(found.group(1)) >= edit for found in _EDITS.finditer(log.read_text()[mark:])):
        assert time.monotonic() < deadline, log.read_text()[mark:]
        time.sleep(0.05)
    return log.read_text()[mark:]


def _full_after(log: Path, edit: int, mark: int) -> bool:
    """Whether a full index run covering build `edit` has ended since `mark`."""
    return any(int(found.group(1)) >= edit for found in _FULL.finditer(log.read_text()[mark:]))


def _urls(results: list[dict]) -> list[str]:
    return [result["url"] for result in results[1:]]


def _finds(page: Page, url: str, query: str, expected: list[str]) -> bool:
    """Whether search lists `expected` for `query`, asked up to three times: a search made while the full
    index is swapped in may load nothing (a known limit of the swap, not of the bundle)."""
    for _ in range(3):
        if _urls(search_box(page, url, query)) == expected:
            return True
        time.sleep(1)
    return False


def _stale(results: list[dict], word: str) -> list[dict]:
    """The results that show `word`, which no page holds any more. (A word no page holds may still find
    pages: Pagefind then searches the longest word of the index it begins with.)"""
    return [result for result in results[1:] if word in result["text"]]


def test_search_follows_edits_removals_and_renames_before_the_full_index_run(tiny_site, browser):
    root = _site(tiny_site)
    docs = root / "docs" / "articles"
    page = browser.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    with serving(root) as (url, log):
        # No edit yet: the bundle's manifest names nothing, and search works from the full index.
        assert _urls(search_box(page, url, _word(5))) == ["/articles/a5/"]
        assert any(f"/{FOLDER}/edits.json" in address for address in asked)
        assert page.request.get(url + f"{FOLDER}/edits.json").json() == {
            "edit": 0, "bundle": None, "bundled": [], "hide": [], "urls": []}

        # An article's title and body get a new word: found, and its old word no longer finds the page.
        mark = len(log.read_text())
        start = time.monotonic()
        save(docs / "a5.md", _article(5, "zanthoxylum"))
        edit = _edit(log, mark)
        _edits_after(log, edit, mark)
        found = search_box(page, url, "zanthoxylum")
        took = time.monotonic() - start
        assert _urls(found) == ["/articles/a5/"] and "zanthoxylum" in found[1]["text"], found
        assert _word(5) not in found[1]["text"]
        assert not _full_after(log, edit, mark), "the full index run ended first: the bundle was not tested"
        assert took < DEADLINE
        assert not _stale(search_box(page, url, _word(5)), _word(5))

        # The manifest missing (a 404): search goes on with the full index alone. The bundle's files missing
        # (removed meanwhile): search goes on too, and still hides the edited page's old text.
        for missing, hidden in ((f"/{FOLDER}/edits.json", False), (f"/{FOLDER}/v", True)):
            def absent(address: str, missing: str = missing) -> bool:
                return missing in address
            page.route(absent, lambda route: route.fulfill(status=404, body="Not found"))
            assert _urls(search_box(page, url, _word(9))) == ["/articles/a9/"]
            if hidden:
                assert not _stale(search_box(page, url, _word(5)), _word(5))
            page.unroute(absent)
        assert _finds(page, url, "zanthoxylum", ["/articles/a5/"])

        # Two quick saves: the second one's word is found, the first one's is not.
        mark = len(log.read_text())
        save(docs / "a6.md", _article(6, "quickfirst"))
        (docs / "a6.md").write_text(_article(6, "quicksecond"), encoding="utf-8")
        edit = _edit(log, mark)
        deadline = time.monotonic() + DEADLINE
        while _urls(search_box(page, url, "quicksecond")) != ["/articles/a6/"]:
            assert time.monotonic() < deadline, log.read_text()[mark:]
            time.sleep(0.2)
        assert not _stale(search_box(page, url, "quickfirst"), "quickfirst")
        assert not _stale(search_box(page, url, _word(6)), _word(6))

        # An article removed, another renamed (whole builds): gone from the results, found at its new address.
        mark = len(log.read_text())
        save(docs / "a7.md", "")
        (docs / "a7.md").unlink()
        edit = _edit(log, mark)
        _edits_after(log, edit, mark)
        mark = len(log.read_text())
        (docs / "a8.md").rename(docs / "b8.md")
        edit = _edit(log, mark)
        _edits_after(log, edit, mark)
        gone = search_box(page, url, _word(7))
        assert not _stale(gone, _word(7)) and "/articles/a7/" not in _urls(gone), gone
        renamed = search_box(page, url, _word(8))
        assert _urls(renamed)[:1] == ["/articles/b8/"] and "/articles/a8/" not in _urls(renamed), renamed

        # After the full run of every edit, the bundle is empty again and search gives what a whole build's
        # search gives.
        deadline = time.monotonic() + 180
        while not _full_after(log, edit, 0) or not re.search(
                rf"\(edit {edit}: 0 pages indexed, 0 hidden", log.read_text()):
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
        assert page.request.get(url + f"{FOLDER}/edits.json").json() == {
            "edit": edit, "bundle": None, "bundled": [], "hide": [], "urls": []}
        # Words of one page each: results that tie (a word of every page) are ordered differently by the
        # command line's index and the build's (Pagefind's service, fed in the build's order).
        queries = ["zanthoxylum", _word(5), "quicksecond", _word(7), _word(8), _word(9), "term12w5"]
        served = {query: search_box(page, url, query) for query in queries}
    (root.parent / "built").mkdir()
    built = build_site(root, root.parent / "built" / "site")
    assert built.returncode == 0, built.stderr
    assert not (built.site_dir / FOLDER).exists()
    static = browser.new_page()
    asked.clear()
    static.on("request", lambda request: asked.append(request.url))
    with serving_folder(built.site_dir) as built_url:
        for query in queries:
            assert search_box(static, built_url, query) == served[query], query
    assert not [address for address in asked if FOLDER in address]  # a published site never asks for it


def test_search_follows_an_edit_made_during_a_full_run_a_fixed_failure_the_home_page_and_a_huge_page(
        tiny_site, browser):
    root = _site(tiny_site)
    docs = root / "docs"
    page = browser.new_page()
    with serving(root) as (url, log):
        # A save while the full run of the save before reads the site: that run may have read either text, so
        # the page stays in the bundle after the run ends, until a run that started after the save ends.
        mark = len(log.read_text())
        save(docs / "articles/a10.md", _article(10, "duringfirst"))
        first = _edit(log, mark)
        after_first = len(log.read_text())
        (docs / "articles/a11.md").write_text(_article(11, "duringsecond"), encoding="utf-8")
        second = _edit(log, after_first)
        assert not _full_after(log, first, mark), "the full run ended before the second save: nothing tested"
        deadline = time.monotonic() + 180
        while not (ran := [int(found.group(1)) for found in _FULL.finditer(log.read_text()[mark:])]):
            assert time.monotonic() < deadline, log.read_text()[mark:]
            time.sleep(0.1)
        assert ran[0] < second, "the run covering the first save started after the second: nothing tested"
        assert _finds(page, url, "duringsecond", ["/articles/a11/"])
        assert not _stale(search_box(page, url, _word(11)), _word(11))
        assert _finds(page, url, "duringfirst", ["/articles/a10/"])

        # A save that fails the build, then its fix: the fixed text is found, the failed one never.
        mark = len(log.read_text())
        save(docs / "articles/a12.md", _article(12, "brokenword") + "\nA claim [@nobody2099].\n")
        wait_for_log(log, "nobody2099", mark)
        mark = len(log.read_text())
        save(docs / "articles/a12.md", _article(12, "fixedword"))
        _edits_after(log, _edit(log, mark), mark)
        assert _finds(page, url, "fixedword", ["/articles/a12/"])
        assert not _stale(search_box(page, url, "brokenword"), "brokenword")

        # A page that is not an article (the home page, in the navigation: a whole build).
        mark = len(log.read_text())
        save(docs / "index.md", "# Home\n\nWelcome to the quercetinword preview.\n")
        _edits_after(log, _edit(log, mark), mark)
        assert _finds(page, url, "quercetinword", ["/"])

        # A huge article (megabytes of text): indexed into the bundle like any edited page.
        mark = len(log.read_text())
        huge = " ".join(f"bulk{i % 5000}" for i in range(300_000))
        save(docs / "articles/a13.md", _article(13, "hugeword") + f"\n{huge}\n")
        assert (docs / "articles/a13.md").stat().st_size > 2_000_000
        _edits_after(log, _edit(log, mark), mark)
        assert _finds(page, url, "hugeword", ["/articles/a13/"])
        assert not _stale(search_box(page, url, _word(13)), _word(13))
