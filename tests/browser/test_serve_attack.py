"""Attacks on `make serve`'s rebuild of an edit (hooks/serve.py): each test drives a real server and checks
that what every page shows after an edit is what a whole build would show."""

from __future__ import annotations

import os
import time
from pathlib import Path

import yaml

from medsite.cli.main import main
from tests.browser.test_serve import save, serving, site_with_an_approved_article, wait_for_log
from tests.review_samples import BODY, TEST_REVIEWER, TODAY, article


def _get(url: str, path: str) -> str:
    import urllib.request
    with urllib.request.urlopen(url + path) as response:
        return response.read().decode()


def _search_cautions(browser, url: str, query: str) -> dict:
    """Each result's title with the caution its search result carries."""
    page = browser.new_page()
    try:
        page.goto(url)
        return page.evaluate("""async ([url, query]) => {
            const pagefind = await import(url + "pagefind/pagefind.js");
            const results = (await pagefind.search(query)).results;
            const data = await Promise.all(results.map(r => r.data()));
            return Object.fromEntries(data.map(d => [d.meta.title, (d.filters.caution || []).join(" ")]));
        }""", [url, query])
    except Exception:  # the index was swapped meanwhile
        return {}
    finally:
        page.close()


def _item(html: str, title: str, end: str) -> str:
    rest = html[html.index(title):]
    return rest[:rest.index(end)]


def test_an_approved_article_edited_shows_as_changed_on_every_page(tiny_site, browser):
    approved = site_with_an_approved_article(tiny_site)
    with serving(tiny_site.root) as (url, log):
        assert "Approved" in _item(_get(url, "topics/prostate-cancer/"), "Does drug X help?", "</li>")
        assert "Does drug X help?" in _get(url, "whats-new/")
        mark = len(log.read_text())
        save(approved, approved.read_text().replace("It prolongs survival.", "It prolongs life."))
        wait_for_log(log, "rebuilt", mark)
        assert "Changed since review" in _get(url, "articles/a/")
        for path in ("", "topics/prostate-cancer/"):
            assert "Approved" not in _item(_get(url, path), "Does drug X help?", "</li>"), path
        assert "Approved" not in _item(_get(url, "dashboard/"), "Does drug X help?", "</tr>")
        assert "Does drug X help?" not in _get(url, "whats-new/")
        wait_for_log(log, "Search index updated", mark)
        deadline = time.monotonic() + 60
        while not (found := _search_cautions(browser, url, "drug X help")).get("Does drug X help?"):
            assert time.monotonic() < deadline, found
            time.sleep(0.5)


def test_an_articles_last_citation_removed_leaves_its_page_and_the_references_page(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    edited = tiny_site.write("docs/articles/a.md", article(
        BODY + "\nA trial [@debono2010tropic].\n", title="Does drug X help?"))
    (tiny_site.root / "mkdocs.yml").write_text(yaml.safe_dump(tiny_site.config, sort_keys=False))
    with serving(tiny_site.root) as (url, log):
        assert 'id="ref-debono2010tropic"' in _get(url, "articles/a/")
        mark = len(log.read_text())
        save(edited, edited.read_text().replace("A trial [@debono2010tropic].", "A trial."))
        wait_for_log(log, "rebuilt", mark)
        shown = _get(url, "articles/a/")
        assert "A trial." in shown
        # as a whole build shows it: no reference list, the References page names no citing article
        references = _get(url, "references/")
        entry = references[references.index('id="ref-debono2010tropic"'):]
        assert ('id="ref-debono2010tropic"' in shown, "Does drug X help?" in entry[:entry.index("</li>")],
                "debono2010tropic" in shown) == (False, False, False)


def test_two_quick_saves_end_with_the_second_everywhere(tiny_site):
    approved = site_with_an_approved_article(tiny_site)
    original = approved.read_text()
    with serving(tiny_site.root) as (url, log):
        for first, second in ((original.replace("It prolongs survival.", "It prolongs life."), original),
                              (original, original.replace("It prolongs survival.", "It prolongs it."))):
            mark = len(log.read_text())
            time.sleep(1.1)
            approved.write_text(first)
            time.sleep(0.05)
            approved.write_text(second)
            wait_for_log(log, "rebuilt", mark)
            time.sleep(3)  # any rebuild the second save started
            page = _get(url, "articles/a/")
            changed = second != original
            assert ("Changed since review" in page) == changed
            for path in ("", "topics/prostate-cancer/"):
                assert ("Approved" in _item(_get(url, path), "Does drug X help?", "</li>")) != changed
            assert ("Does drug X help?" in _get(url, "whats-new/")) != changed


def test_an_edit_that_fails_a_check_then_its_fix_shows_the_change_everywhere(tiny_site):
    approved = site_with_an_approved_article(tiny_site)
    original = approved.read_text()
    other = tiny_site.root / "docs/articles/b.md"
    with serving(tiny_site.root) as (url, log):
        mark = len(log.read_text())
        changed = original.replace("It prolongs survival.", "It prolongs life.")
        save(approved, changed + "\nA claim [@nobody2099].\n")
        wait_for_log(log, "nobody2099", mark)
        time.sleep(2)
        mark = len(log.read_text())
        save(other, other.read_text().replace("Is drug Y better?", "Is drug Q better?"))  # meanwhile
        wait_for_log(log, "nobody2099", mark)
        time.sleep(2)
        mark = len(log.read_text())
        save(approved, changed)
        wait_for_log(log, "rebuilt", mark)
        assert "Changed since review" in _get(url, "articles/a/")
        for path in ("", "topics/prostate-cancer/"):
            listed = _get(url, path)
            assert "Approved" not in _item(listed, "Does drug X help?", "</li>"), path
            assert "Is drug Q better?" in listed
        assert "Approved" not in _item(_get(url, "dashboard/"), "Does drug X help?", "</tr>")
        assert "Does drug X help?" not in _get(url, "whats-new/")
        assert "Is drug Q better?" in _get(url, "articles/b/")


def test_the_theme_the_hooks_and_mkdocs_yml_rebuild_the_wholesite_with_an_approved_article(tiny_site):
    import shutil

    from tests.sitebuild import PROJECT

    shutil.copytree(PROJECT / "overrides", tiny_site.root / "overrides")
    shutil.copytree(PROJECT / "hooks", tiny_site.root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    tiny_site.config["hooks"] = [str(tiny_site.root / Path(hook).relative_to(PROJECT))
                                 for hook in tiny_site.config["hooks"]]
    tiny_site.config["theme"]["custom_dir"] = str(tiny_site.root / "overrides")
    site_with_an_approved_article(tiny_site)
    with serving(tiny_site.root) as (url, log):
        item = tiny_site.root / "overrides/partials/article-list-item.html"
        mark = len(log.read_text())
        save(item, item.read_text().replace("<em>", "<em data-marker=\"themed\">"))
        wait_for_log(log, "Whole site rebuilt", mark)
        assert 'data-marker="themed"' in _get(url, "topics/prostate-cancer/")
        hook = tiny_site.root / "hooks/topics.py"
        mark = len(log.read_text())
        save(hook, hook.read_text() + "\n# edited\n")
        wait_for_log(log, "Whole site rebuilt", mark)
        config = tiny_site.root / "mkdocs.yml"
        mark = len(log.read_text())
        save(config, config.read_text().replace("site_name:", "site_name: Edited", 1))
        wait_for_log(log, "Whole site rebuilt", mark)
        assert "Edited" in _get(url, "articles/a/")


def test_a_save_by_rename_from_outside_the_docs_folder_is_seen(tiny_site):
    approved = site_with_an_approved_article(tiny_site)
    with serving(tiny_site.root) as (url, log):
        temporary = tiny_site.root / "a.md.new"
        temporary.write_text(approved.read_text().replace("It prolongs survival.", "It prolongs life."))
        mark = len(log.read_text())
        time.sleep(1.1)
        os.replace(temporary, approved)
        wait_for_log(log, "rebuilt", mark)
        assert "Changed since review" in _get(url, "articles/a/")


def test_an_edit_saved_with_an_older_time_that_leaves_a_topic_reaches_the_page(tiny_site):
    """The article leaves its only topic (so MkDocs' dirty build rebuilds), and its new text carries a
    modification time older than its page's output: as when a copy keeps its times (`cp -p`, an archive) or
    a rebuild still running wrote the page after the save. The changed text and its caution must show."""
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/articles/b.md", article(title="Is drug Y better?", topics=["prostate cancer"]))
    approved = tiny_site.write("docs/articles/a.md", article(
        BODY + "\nA trial [@debono2010tropic].\n", title="Does drug X help?", topics=["fatigue"]))
    (tiny_site.root / "mkdocs.yml").write_text(yaml.safe_dump(tiny_site.config, sort_keys=False))
    assert main(["approve", str(approved), "--reviewer", TEST_REVIEWER, "--date", "2025-02-01",
                 "--note", "First.", "--config", str(tiny_site.root / "mkdocs.yml")]) == 0
    older = approved.stat().st_mtime - 60
    with serving(tiny_site.root) as (url, log):
        assert "Changed since review" not in _get(url, "articles/a/")
        mark = len(log.read_text())
        save(approved, approved.read_text().replace("topics: [fatigue]", "topics: [prostate cancer]")
             .replace("It prolongs survival.", "It prolongs life."))
        os.utime(approved, (older, older))
        wait_for_log(log, "rebuilt", mark)
        deadline = time.monotonic() + 30  # the time change may be seen apart from the write: one more rebuild
        while "It prolongs life." not in (shown := _get(url, "articles/a/")) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert ("It prolongs life." in shown, "Changed since review" in shown,
                'class="medsite-caution"' in shown) == (True, True, True)
        assert "Approved" not in _item(_get(url, "topics/prostate-cancer/"), "Does drug X help?", "</li>")
