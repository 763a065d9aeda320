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


def test_serve_previews_every_state_and_rebuilds_what_depends_on_an_edit(tiny_site, browser):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/articles/b.md", article(title="Is drug Y better?", topics=["prostate cancer"]))
    approved = tiny_site.write("docs/articles/a.md", article(
        BODY + "\nA trial [@debono2010tropic].\n", title="Does drug X help?"))
    (tiny_site.root / "mkdocs.yml").write_text(yaml.safe_dump(tiny_site.config, sort_keys=False))
    # Approved as a board member would: the approval pins the cited reference as the site formats it.
    assert main(["approve", str(approved), "--reviewer", TEST_REVIEWER, "--date", "2025-02-01",
                 "--note", "First.", "--config", str(tiny_site.root / "mkdocs.yml")]) == 0
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
