"""Attacks on `make serve`'s rebuild of an edit (hooks/serve.py): each test drives a real server and checks
that what every page shows after an edit is what a whole build would show."""

from __future__ import annotations

import os
import time
from pathlib import Path

import yaml

from medsite.cli.main import main
from tests.browser.test_serve import (
    save,
    search_results,
    serving,
    site_with_an_approved_article,
    wait_for_log,
)
from tests.review_samples import BODY, TEST_REVIEWER, TODAY, article


def _get(url: str, path: str) -> str:
    import urllib.request
    with urllib.request.urlopen(url + path) as response:
        return response.read().decode()


def _search_cautions(browser, url: str, query: str) -> dict:
    """Each result's title with the caution its search result carries."""
    return {result["title"]: " ".join(result["filters"].get("caution") or [])
            for result in search_results(browser, url, query)}


def _served_soon(url: str, path: str, text: str) -> None:
    """Wait until the page shows `text`: under load one save can start two rebuilds (its events more than
    the server's 0.1 s apart), and the log line waited for may be the first one's, read before the save."""
    deadline = time.monotonic() + 60
    while text not in _get(url, path):
        assert time.monotonic() < deadline, f"{text!r} not in {path}"
        time.sleep(0.2)


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
        _served_soon(url, "topics/prostate-cancer/", 'data-marker="themed"')
        hook = tiny_site.root / "hooks/topics.py"
        mark = len(log.read_text())
        save(hook, hook.read_text() + "\n# edited\n")
        wait_for_log(log, "Whole site rebuilt", mark)
        config = tiny_site.root / "mkdocs.yml"
        mark = len(log.read_text())
        save(config, config.read_text().replace("site_name:", "site_name: Edited", 1))
        wait_for_log(log, "Whole site rebuilt", mark)
        _served_soon(url, "articles/a/", "Edited")


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


def _status(url: str, path: str) -> int:
    """The HTTP status the server answers for a page."""
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url + path) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _served(url: str, paths: tuple[str, ...]) -> dict[str, str]:
    return {path: _get(url, path) for path in paths}


def test_a_topic_left_by_its_last_article_is_no_longer_served_nor_linked(tiny_site, browser):
    """MkDocs' dirty build (the set of generated pages changed) never removes the output of a page that no
    longer exists: the old topic page stayed served, listing the article, and search indexed it."""
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/articles/b.md", article(title="Is drug Y better?", topics=["prostate cancer"]))
    edited = tiny_site.write("docs/articles/a.md", article(title="Does drug X help?", topics=["fatigue"]))
    (tiny_site.root / "mkdocs.yml").write_text(yaml.safe_dump(tiny_site.config, sort_keys=False))
    pages = ("", "topics/", "articles/a/", "articles/b/", "topics/prostate-cancer/", "sitemap.xml")
    with serving(tiny_site.root) as (url, log):
        assert "Does drug X help?" in _get(url, "topics/fatigue/")
        assert "fatigue/" in _get(url, "topics/")

        def topic_found(topic: str) -> bool:
            return any(f"topics/{topic}/" in result["url"] for result in search_results(browser, url, topic))

        assert topic_found("fatigue")
        for move in ("topics: [prostate cancer]", "topics: [anaemia]"):  # to a topic that exists, a new one
            mark = len(log.read_text())
            before = edited.read_text()
            if "anaemia" in move:  # saved as many editors do: a new file renamed over the old one
                temporary = tiny_site.root / "a.md.new"
                temporary.write_text(before.replace("topics: [fatigue]", move))
                time.sleep(1.1)
                os.replace(temporary, edited)
            else:
                save(edited, before.replace("topics: [fatigue]", move))
            wait_for_log(log, "rebuilt", mark)
            assert _status(url, "topics/fatigue/") == 404, move
            shown = _served(url, pages)
            assert {path for path, html in shown.items() if "fatigue/" in html} == set(), move
            assert "Does drug X help?" in _get(url, "topics/prostate-cancer/" if "prostate" in move
                                               else "topics/anaemia/")
            # and back: the topic page comes back with the article listed
            mark = len(log.read_text())
            save(edited, before)
            wait_for_log(log, "rebuilt", mark)
            assert "Does drug X help?" in _get(url, "topics/fatigue/"), move
        # the topic's only article deleted, then back
        source = edited.read_text()
        for present in (False, True):
            mark = len(log.read_text())
            if present:
                save(edited, source)
            else:
                edited.unlink()
            wait_for_log(log, "rebuilt", mark)
            assert (_status(url, "topics/fatigue/"), "fatigue/" in _get(url, "topics/")) == (
                (200, True) if present else (404, False))
        # the old topic left again with a failing check on the way, then fixed
        mark = len(log.read_text())
        source = edited.read_text()
        save(edited, source.replace("topics: [fatigue]", "topics: [anaemia]") + "\nA claim [@nobody2099].\n")
        wait_for_log(log, "nobody2099", mark)
        mark = len(log.read_text())
        save(edited, source.replace("topics: [fatigue]", "topics: [anaemia]"))
        wait_for_log(log, "rebuilt", mark)
        assert _status(url, "topics/fatigue/") == 404
        assert "Does drug X help?" in _get(url, "topics/anaemia/")
        # search (indexed after that rebuild, in the background) no longer finds the old topic page
        wait_for_log(log, "Search index updated", log.read_text().rindex("rebuilt"))
        assert (topic_found("anaemia"), topic_found("fatigue")) == (True, False)


def test_refs_verify_while_serving_reaches_the_articles_own_page(tiny_site):
    """`medsite refs verify` finds a cited source retracted: its cache changes while the server runs. The
    rebuild that the cache change starts shows the article's caution and the notice beside the reference,
    on the article's own page as on the lists (the cache is an input of every page citing the source)."""
    import shutil

    from tests.replay_server import replaying
    from tests.test_refs_verify import EXAMPLES
    from tests.test_refs_verify import server as replay

    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("references/examples.bib", EXAMPLES)
    tiny_site.write("docs/articles/b.md", article(title="Is drug Y better?"))
    cited = tiny_site.write("docs/articles/a.md", article(
        BODY + "\nA trial [@example2019retracted].\n", title="Does drug X help?"))
    config = tiny_site.save_config()
    assert main(["approve", str(cited), "--reviewer", TEST_REVIEWER, "--date", "2025-02-01",
                 "--note", "First.", "--config", str(config)]) == 0
    with serving(tiny_site.root) as (url, log):
        shown = _get(url, "articles/a/")
        assert ('class="medsite-caution"' in shown, "Retracted" in shown) == (False, False)
        assert "Approved" in _item(_get(url, "topics/prostate-cancer/"), "Does drug X help?", "</li>")
        mark = len(log.read_text())
        with replaying(replay()) as base:
            main(["refs", "verify", "--config", str(config), "--crossref-url", base, "--pubmed-url", base,
                  "--retries", "0"])
        wait_for_log(log, "rebuilt", mark)
        shown = _get(url, "articles/a/")
        assert ('class="medsite-caution"' in shown, "Retracted (2021-03-04)" in shown) == (True, True)
        assert "Approved" not in _item(_get(url, "topics/prostate-cancer/"), "Does drug X help?", "</li>")
        # an edit of another article afterwards keeps it so (the rebuild of an edit reads the same cache)
        mark = len(log.read_text())
        other = tiny_site.root / "docs/articles/b.md"
        save(other, other.read_text().replace("Is drug Y better?", "Is drug Q better?"))
        wait_for_log(log, "Changed pages rebuilt", mark)
        shown = _get(url, "articles/a/")
        assert ('class="medsite-caution"' in shown, "Retracted (2021-03-04)" in shown) == (True, True)
        # the caches deleted (`rm -rf .cache`): nothing known retracted; then verified again
        for known in (False, True):
            mark = len(log.read_text())
            if known:
                with replaying(replay()) as base:
                    main(["refs", "verify", "--config", str(config), "--crossref-url", base,
                          "--pubmed-url", base, "--retries", "0"])
            else:
                shutil.rmtree(tiny_site.root / ".cache")
            wait_for_log(log, "Whole site rebuilt", mark)
            shown = _get(url, "articles/a/")
            assert ('class="medsite-caution"' in shown, "Retracted (2021-03-04)" in shown) == (known, known)


def _lines_naming(text: str, log: str) -> list[str]:
    """The lines of the serve log that name `text`, without their time."""
    return [line.split("] ", 1)[-1] for line in log.splitlines() if text in line]


def test_a_heading_removed_reports_the_links_of_other_pages_to_it(tiny_site):
    """Another page links to a heading of the edited article: removing the heading breaks that link. The
    rebuild of the edit reports it as a whole build does (the same message), and the fix clears it."""
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/articles/b.md", article(
        BODY + "\nSee [the evidence for X](a.md#evidence).\n", title="Is drug Y better?"))
    edited = tiny_site.write("docs/articles/a.md", article(title="Does drug X help?"))
    (tiny_site.root / "mkdocs.yml").write_text(yaml.safe_dump(tiny_site.config, sort_keys=False))
    with serving(tiny_site.root) as (url, log):
        assert "a.md#evidence" not in log.read_text()
        mark = len(log.read_text())
        original = edited.read_text()
        save(edited, original.replace("## Evidence", "## Trials"))
        rebuilt = wait_for_log(log, "Changed pages rebuilt", mark)
        incremental = _lines_naming("a.md#evidence", rebuilt)
        # a whole build of the same sources says it in the same words
        config = tiny_site.root / "mkdocs.yml"
        mark = len(log.read_text())
        save(config, config.read_text() + "\n")
        rebuilt = wait_for_log(log, "Whole site rebuilt", mark)
        whole = _lines_naming("a.md#evidence", rebuilt)
        assert whole and incremental == whole, (incremental, whole)
        mark = len(log.read_text())
        save(edited, original)
        assert "a.md#evidence" not in wait_for_log(log, "Changed pages rebuilt", mark)
        # removed with a new topic (MkDocs' dirty build), and after a failed check and its fix
        for failing in ("", "\nA claim [@nobody2099].\n"):
            removed = original.replace("## Evidence", "## Trials").replace("topics: [prostate cancer]",
                                                                          f"topics: [fatigue{len(failing)}]")
            if failing:
                mark = len(log.read_text())
                save(edited, removed + failing)
                wait_for_log(log, "nobody2099", mark)
            mark = len(log.read_text())
            save(edited, removed)
            rebuilt = wait_for_log(log, "rebuilt", mark)
            assert _lines_naming("a.md#evidence", rebuilt) == whole
            mark = len(log.read_text())
            save(edited, original)
            assert "a.md#evidence" not in wait_for_log(log, "rebuilt", mark)


def test_the_registry_moved_to_another_folder_is_watched_there(tiny_site):
    """`registry:` (and `synonyms:`) moved to another folder in mkdocs.yml: after that change the server
    watches the new folder (an edit there rebuilds) and no longer the old one."""
    import shutil

    site_with_an_approved_article(tiny_site)
    shutil.copytree(tiny_site.root / "data", tiny_site.root / "editorial")
    config = tiny_site.root / "mkdocs.yml"
    with serving(tiny_site.root) as (url, log):
        mark = len(log.read_text())
        save(config, config.read_text().replace("registry: data/people.yml", "registry: editorial/people.yml")
             .replace("synonyms: data/synonyms.yml", "synonyms: editorial/synonyms.yml"))
        wait_for_log(log, "Whole site rebuilt", mark)
        people = tiny_site.root / "editorial/people.yml"
        mark = len(log.read_text())
        save(people, people.read_text().replace("Test Reviewer", "Test Reviewer Moved"))
        wait_for_log(log, "Whole site rebuilt", mark)
        assert "Test Reviewer Moved" in _get(url, "articles/a/")
        # the old file is read no more: its change starts no rebuild, so an edit after it is one of pages
        mark = len(log.read_text())
        old = tiny_site.root / "data/people.yml"
        save(old, old.read_text() + "\n# not read any more\n")
        edited = tiny_site.root / "docs/articles/b.md"
        save(edited, edited.read_text().replace("Is drug Y better?", "Is drug Q better?"))
        assert "Whole site rebuilt" not in wait_for_log(log, "Changed pages rebuilt", mark)


def test_two_quick_saves_leaving_a_topic_and_coming_back_end_as_the_second(tiny_site):
    """Two saves of the article in a row, the first leaving its only topic and the second coming back (or
    the reverse), however the server's rebuilds split them: once a later edit of another page is served,
    the topic page is there exactly when the second save has the topic, and linked exactly then."""
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    other = tiny_site.write("docs/articles/b.md", article(title="Is drug Y better?"))
    edited = tiny_site.write("docs/articles/a.md", article(title="Does drug X help?", topics=["fatigue"]))
    (tiny_site.root / "mkdocs.yml").write_text(yaml.safe_dump(tiny_site.config, sort_keys=False))
    original = edited.read_text()
    left = original.replace("topics: [fatigue]", "topics: [prostate cancer]")
    with serving(tiny_site.root) as (url, _log):
        for number, (first, second) in enumerate(((left, original), (original, left), (left, original))):
            time.sleep(1.1)
            edited.write_text(first)
            edited.write_text(second)
            # every rebuild the two saves started is over once a later save is served (builds run in turn)
            save(other, other.read_text().replace(f"better{'?' if number == 0 else number}",
                                                  f"better{number + 1}"))
            deadline = time.monotonic() + 60
            while f"better{number + 1}" not in _get(url, "articles/b/"):
                assert time.monotonic() < deadline
                time.sleep(0.2)
            present = second == original
            assert _status(url, "topics/fatigue/") == (200 if present else 404), number
            assert ("fatigue/" in _get(url, "topics/")) == present, number
            if present:
                assert "Does drug X help?" in _get(url, "topics/fatigue/")


def test_a_commit_while_serving_reaches_the_committed_articles_page(tiny_site):
    """An article without `updated:` is dated by its last commit: committing it while the server runs (no
    file of the site changes) rebuilds, and its page shows the commit's date; so do an amend and a checkout
    of another branch, whose HEAD the server watches from then on."""
    from tests.workflows import git

    def commit(*args: str, day: str) -> None:
        moment = f"{day}T12:00:00Z"
        git(tiny_site.root, "commit", "-q", *args, GIT_COMMITTER_DATE=moment, GIT_AUTHOR_DATE=moment)

    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    edited = tiny_site.write("docs/articles/a.md", article(title="Does drug X help?"))
    tiny_site.save_config()
    git(tiny_site.root, "init", "-q")
    git(tiny_site.root, "add", "-A")
    commit("-m", "first", day="2024-04-04")
    with serving(tiny_site.root) as (url, log):
        assert '"dateModified":"2024-04-04"' in _get(url, "articles/a/")
        mark = len(log.read_text())
        save(edited, edited.read_text().replace("Does drug X help?", "Does drug X help in mCRPC?"))
        wait_for_log(log, "Changed pages rebuilt", mark)
        for day, action in (("2024-05-05", ("-am", "a")),
                            ("2024-06-06", ("--amend", "--no-edit", "--reset-author"))):
            mark = len(log.read_text())
            commit(*action, day=day)
            wait_for_log(log, "wrote articles/a.md", mark)
            _served_soon(url, "articles/a/", f'"dateModified":"{day}"')
        mark = len(log.read_text())
        git(tiny_site.root, "checkout", "-q", "-b", "other")
        wait_for_log(log, "Changed pages rebuilt", mark)  # HEAD changed; no date did
        mark = len(log.read_text())
        save(edited, edited.read_text().replace("Does drug X help in mCRPC?", "Does drug X help?"))
        wait_for_log(log, "Changed pages rebuilt", mark)
        mark = len(log.read_text())
        commit("-am", "other", day="2024-07-07")  # on the branch HEAD names since the checkout
        wait_for_log(log, "wrote articles/a.md", mark)
        _served_soon(url, "articles/a/", '"dateModified":"2024-07-07"')
