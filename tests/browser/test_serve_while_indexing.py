"""`make serve` while the search index is written in the background (hooks/serve.py BackgroundIndex): an
editor who saves again before the index caught up with the last save sees the page at once (at 10,000
articles an index run takes minutes), and search still ends up finding what was saved last."""

from __future__ import annotations

import re
import time

import yaml

from tests.browser.test_serve import search_results, serving, wait_for_log
from tests.review_samples import TODAY, article

_REBUILT = "Changed pages rebuilt in"
_INDEXED = "Search index updated in"
ARTICLES = 300


def _retitle(text: str, title: str) -> str:
    return re.sub(r"(?m)^title: .*$", f"title: {title}", text, count=1)


def _words(n: int) -> str:
    """Text of many distinct words, the work of an index run."""
    return " ".join(f"term{n}w{i} dose{i % 97} survival{i % 89}" for i in range(600))


def test_an_edit_saved_while_search_is_indexed_is_shown_without_waiting_for_the_index(tiny_site, browser):
    # Enough text that Pagefind runs for seconds, while a rebuild of one edit takes a fraction of that.
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    for n in range(ARTICLES):
        tiny_site.write(f"docs/articles/a{n}.md", article(f"**Answer {n}.**\n\n## Evidence\n\n{_words(n)}\n",
                                                           title=f"Question number {n}?"))
    (tiny_site.root / "mkdocs.yml").write_text(yaml.safe_dump(tiny_site.config, sort_keys=False))
    source = tiny_site.root / "docs" / "articles" / "a5.md"
    with serving(tiny_site.root) as (url, log):
        mark = len(log.read_text())  # the server's first build wrote its index itself
        time.sleep(1.1)
        source.write_text(_retitle(source.read_text(), "First edit of the question?"))
        wait_for_log(log, _REBUILT, mark)  # its index run starts now
        mark = len(log.read_text())
        source.write_text(_retitle(source.read_text(), "Second edit of the question?"))
        shown = wait_for_log(log, _REBUILT, mark)
        assert _INDEXED not in shown, f"the edit's rebuild waited for the index run:\n{shown}"
        # The run under way read the site while the edit was written; the run asked for after it catches up.
        deadline = time.monotonic() + 120
        while "Second edit of the question?" not in (titles := [
                result["title"] for result in search_results(browser, url, "second edit question")]):
            assert time.monotonic() < deadline, titles
            time.sleep(0.5)
        assert "First edit of the question?" not in [
            result["title"] for result in search_results(browser, url, "first edit question")]
