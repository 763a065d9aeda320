"""`make serve` (`mkdocs serve --no-strict` with hooks/serve.py) for contributors: every state previews,
live reload works under the pages' own Content-Security-Policy, an edit reaches every page that shows
it, the problem is printed in the terminal, and a change to references/ or data/ rebuilds the site."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from medsite.cli.main import main
from tests.review_samples import BODY, TEST_REVIEWER, TODAY, article

pytestmark = pytest.mark.browser


@contextmanager
def serving(root: Path) -> Iterator[tuple[str, Path]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = root / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "-a", f"127.0.0.1:{port}",
             "-f", str(root / "mkdocs.yml")],
            stdout=out, stderr=subprocess.STDOUT, cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        deadline = time.monotonic() + 120
        while "Serving on" not in log.read_text():
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/", log
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_for_log(log: Path, text: str, after: int) -> str:
    deadline = time.monotonic() + 60
    while text not in log.read_text()[after:]:
        assert time.monotonic() < deadline, f"{text!r} not in the serve log:\n{log.read_text()[after:]}"
        time.sleep(0.2)
    return log.read_text()[after:]


def save(path: Path, text: str) -> None:
    time.sleep(1.1)  # a modification time MkDocs' dirty check can tell from the last build's
    path.write_text(text, encoding="utf-8")


def site_with_an_approved_article(tiny_site) -> Path:
    """A home page, an article under review and an approved one citing a source (docs/articles/a.md)."""
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/articles/b.md", article(title="Is drug Y better?", topics=["prostate cancer"]))
    approved = tiny_site.write("docs/articles/a.md", article(
        BODY + "\nA trial [@debono2010tropic].\n", title="Does drug X help?"))
    (tiny_site.root / "mkdocs.yml").write_text(yaml.safe_dump(tiny_site.config, sort_keys=False))
    # Approved as a board member would: the approval pins the cited reference as the site formats it.
    assert main(["approve", str(approved), "--reviewer", TEST_REVIEWER, "--date", "2025-02-01",
                 "--note", "First.", "--config", str(tiny_site.root / "mkdocs.yml")]) == 0
    return approved


def test_serve_previews_every_state_and_rebuilds_what_depends_on_an_edit(tiny_site, browser):
    approved = site_with_an_approved_article(tiny_site)
    violations: list[str] = []
    with serving(tiny_site.root) as (url, log):
        context = browser.new_context()
        context.expose_function("cspViolation", lambda text: violations.append(text))
        context.add_init_script("document.addEventListener('securitypolicyviolation', "
                                "e => window.cspViolation(e.violatedDirective + ' ' + e.blockedURI));")
        page = context.new_page()
        page.goto(url + "articles/a/")
        expect(page.locator(".medsite-caution")).to_have_count(0)  # approved: no caution yet

        # Changed since review: strict builds fail on it; the preview shows it, the terminal says it.
        mark = len(log.read_text())
        save(approved, approved.read_text().replace("It prolongs survival.", "It prolongs life."))
        try:
            expect(page.get_by_text("Changed since review").first).to_be_visible(timeout=60_000)  # reloaded
        except AssertionError as error:
            raise AssertionError(log.read_text()) from error
        assert "docs/articles/a.md:" in wait_for_log(log, "changed since review", mark)
        assert "Changed pages rebuilt" in log.read_text()[mark:]

        # A new title reaches the topic page, the home list, the References page and the dashboard.
        save(approved, approved.read_text().replace("Does drug X help?", "Does drug Z help?"))
        expect(page.locator("h1")).to_contain_text("Does drug Z help?", timeout=60_000)
        for path in ("", "topics/prostate-cancer/", "dashboard/", "references/"):
            page.goto(url + path)
            expect(page.get_by_text("Does drug Z help?").first).to_be_visible()
            assert "Does drug X help?" not in page.content()
        assert "'dirty' build" not in log.read_text()  # MkDocs' warning on every save is not shown

        # A page in the navigation names itself in every page's menu: changing it rebuilds everything.
        mark = len(log.read_text())
        home = tiny_site.root / "docs/index.md"
        save(home, home.read_text().replace("Welcome.", "Welcome, editors."))
        wait_for_log(log, "Whole site rebuilt", mark)

        # A failing check: the terminal names it, and the server recovers once it is fixed.
        mark = len(log.read_text())
        broken = tiny_site.root / "docs/articles/b.md"
        source = broken.read_text()
        save(broken, source + "\nA claim [@nobody2099].\n")
        assert "docs/articles/b.md:" in wait_for_log(log, "nobody2099", mark)
        save(broken, source)
        wait_for_log(log, "Changed pages rebuilt", mark)

        # The registry and the bibliography are watched: a change rebuilds the whole site.
        mark = len(log.read_text())
        people = tiny_site.root / "data" / "people.yml"
        save(people, people.read_text() + "\n")
        wait_for_log(log, "Whole site rebuilt", mark)
        mark = len(log.read_text())
        bib = next((tiny_site.root / "references").glob("*.bib"))
        save(bib, bib.read_text() + "\n")
        wait_for_log(log, "Whole site rebuilt", mark)
        context.close()
    assert violations == []


def written(log: str) -> list[str]:
    """The pages the last rebuild of an edit wrote, as its log line lists them."""
    line = log[log.rindex("Changed pages rebuilt"):].splitlines()[0]
    return line.partition("wrote ")[2].partition(";")[0].split(", ")


def search_results(browser, url: str, query: str) -> list[dict]:
    """Every result of the site's search, loaded fresh in a new page: its title, address and filters."""
    page = browser.new_page()
    try:
        page.goto(url)
        return page.evaluate("""async ([url, query]) => {
            const pagefind = await import(url + "pagefind/pagefind.js");
            const results = (await pagefind.search(query)).results;
            return Promise.all(results.map(r => r.data().then(
                d => ({title: d.meta.title, url: d.url, filters: d.filters}))));
        }""", [url, query])
    except PlaywrightError:  # the index was swapped while this search loaded its chunks: ask again
        return []
    finally:
        page.close()


def searched(browser, url: str, query: str) -> list[str]:
    """The titles of the first three results of the site's search."""
    return [result["title"] for result in search_results(browser, url, query)[:3]]


def test_an_edit_reaches_every_page_that_shows_it_and_only_those(tiny_site, browser):
    """Each dependency a rebuild of an edit keeps up to date, through the real server: a topic change moves
    the article between topic pages, an answer and a status change reach the lists and the dashboard, a
    removed citation leaves that References entry, search finds the new title; pages that do not show the
    article are not written again, and a new topic (a page added) rebuilds the site."""
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/articles/b.md", article(title="Is drug Y better?", topics=["prostate cancer"]))
    tiny_site.write("docs/articles/c.md", article(title="Is drug W safe?", topics=["bone metastases"]))
    tiny_site.write("docs/articles/d.md", article(title="Is drug V safe?", topics=["fatigue"]))
    edited = tiny_site.write("docs/articles/a.md", article(
        BODY + "\nA trial [@debono2010tropic]. Another [@dewit2019card].\n", title="Does drug X help?",
        description="It may.", topics=["prostate cancer"]))
    (tiny_site.root / "mkdocs.yml").write_text(yaml.safe_dump(tiny_site.config, sort_keys=False))
    with serving(tiny_site.root) as (url, log):
        page = browser.new_page()
        page.goto(url + "articles/a/")  # open while editing: it reloads after every rebuild

        def shown(path: str) -> str:  # the page as served (fetched, so no reload interrupts the reading)
            return page.request.get(url + path).text()

        def edit(old: str, new: str) -> list[str]:
            mark = len(log.read_text())
            save(edited, edited.read_text().replace(old, new))
            return written(wait_for_log(log, "Changed pages rebuilt", mark))

        assert "Does drug X help?" in shown("topics/prostate-cancer/")

        # A topic change: the article leaves its old topic page and joins the new one (which exists).
        pages = edit("topics: [prostate cancer]", "topics: [bone metastases]")
        assert {"articles/a.md", "topics/prostate-cancer.md", "topics/bone-metastases.md",
                "topics/index.md"} <= set(pages)
        # pages that do not show what changed are not written again (the dashboard and the home list show
        # no topics)
        assert not {"topics/fatigue.md", "articles/b.md", "articles/d.md", "board.md", "dashboard.md",
                    "index.md"} & set(pages)
        listed = shown("topics/prostate-cancer/")
        assert "Does drug X help?" not in listed and "Is drug Y better?" in listed
        listed = shown("topics/bone-metastases/")
        assert "Does drug X help?" in listed and "Is drug W safe?" in listed
        assert "Does drug X help?" in shown("")  # the home list

        # The one-line answer and the status reach the lists and the dashboard.
        assert {"index.md", "topics/bone-metastases.md"} <= set(edit("It may.", "It helps some men."))
        for path in ("", "topics/bone-metastases/"):
            listed = shown(path)
            assert "It helps some men." in listed and "It may." not in listed
        assert {"dashboard.md", "index.md"} <= set(edit("status: under_review", "status: submitted"))
        dashboard = shown("dashboard/")
        row = dashboard[dashboard.index("Does drug X help?"):]
        assert row[:row.index("</tr>")].count("Submitted") == 1
        listed = shown("topics/bone-metastases/")
        item = listed[listed.index("Does drug X help?"):]
        assert "Submitted" in item[:item.index("</li>")]

        # A citation removed: the article leaves that References entry and stays under the other.
        assert "references.md" in edit(" Another [@dewit2019card].", "")
        references = shown("references/")
        entry = references[references.index('id="ref-dewit2019card"'):]
        assert "Does drug X help?" not in entry[:entry.index("</li>")]
        entry = references[references.index('id="ref-debono2010tropic"'):]
        assert "Does drug X help?" in entry[:entry.index("</li>")]

        # The new title: on the open page, its topic page, and (indexed in the background) found by search.
        mark = len(log.read_text())
        edit("Does drug X help?", "Does drug Z help?")
        expect(page.locator("h1")).to_contain_text("Does drug Z help?")
        assert "Does drug Z help?" in shown("topics/bone-metastases/")
        wait_for_log(log, "Search index updated", mark)
        deadline = time.monotonic() + 60  # an index run that started before the edit may have ended first
        while "Does drug Z help?" not in (found := searched(browser, url, "Does drug Z help")):
            assert time.monotonic() < deadline, found
            time.sleep(0.5)

        # An article added (or removed) rebuilds the whole site.
        mark = len(log.read_text())
        save(tiny_site.root / "docs/articles/e.md", article(title="Is drug U new?", topics=["fatigue"]))
        wait_for_log(log, "Whole site rebuilt", mark)
        assert "Is drug U new?" in shown("topics/fatigue/")
        mark = len(log.read_text())
        (tiny_site.root / "docs/articles/e.md").unlink()
        wait_for_log(log, "Whole site rebuilt", mark)
        assert "Is drug U new?" not in shown("topics/fatigue/")

        # A topic no other article has: a page added, so the site is rebuilt (and it has its page).
        mark = len(log.read_text())
        save(edited, edited.read_text().replace("topics: [bone metastases]", "topics: [anaemia]"))
        wait_for_log(log, "rebuilt", mark)
        assert "Does drug Z help?" in shown("topics/anaemia/")
        assert "Does drug Z help?" not in shown("topics/bone-metastases/")
        page.close()
