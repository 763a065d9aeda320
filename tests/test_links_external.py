"""`medsite links` against a local HTTP server on 127.0.0.1: nothing here touches the internet."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from medsite.checks.links_external import (
    AllowList,
    Cache,
    Checker,
    Occurrence,
    check_external_links,
    links_in_site,
    links_in_sources,
    read_allow_file,
)
from medsite.cli.main import main
from medsite.model.project import load_project
from medsite.model.sources import load_sources
from tests.link_server import serving


@pytest.fixture
def server():
    with serving() as httpd:
        yield httpd


def checker(**overrides) -> Checker:
    return Checker(**{"timeout": 0.3, "retries": 1, "backoff": 0.01, **overrides})


@pytest.mark.parametrize(("path", "ok", "detail"), [
    ("/ok", True, "200 OK"),
    ("/missing", False, "404 Not Found"),
    ("/error", False, "500 Internal Server Error"),
    ("/moved", True, "200 OK"),
    ("/no-head", True, "200 OK"),
])
def test_statuses(server, path, ok, detail):
    result = checker().check(server.base + path)
    assert (result.ok, result.detail) == (ok, detail)


def test_redirect_loop_is_detected(server):
    for start in ("/loop-a", "/self"):
        result = checker().check(server.base + start)
        assert not result.ok
        assert result.detail.startswith("redirect loop via http://127.0.0.1:")


def test_redirect_limit(server):
    result = checker(max_redirects=0).check(server.base + "/moved")
    assert (result.ok, result.detail) == (False, "more than 0 redirects")


def test_slow_response_times_out(server):
    result = checker(timeout=0.2, retries=0).check(server.base + "/slow")
    assert (result.ok, result.detail) == (False, "timed out after 0.2 s")


def test_server_errors_are_retried_with_backoff(server):
    checker(retries=2).check(server.base + "/error")
    assert server.hits[("GET", "/error")] == 3
    flaky = checker(retries=1).check(server.base + "/flaky")
    assert (flaky.ok, flaky.detail) == (True, "200 OK")


def test_client_errors_are_not_retried(server):
    checker(retries=3).check(server.base + "/missing")
    assert server.hits[("GET", "/missing")] == 1


def test_report_checks_each_url_once_and_names_every_place(server, tmp_path):
    occurrences = [Occurrence(server.base + url, path, line) for url, path, line in [
        ("/ok", "docs/a.md", 3), ("/missing", "docs/a.md", 7),
        ("/missing", "docs/b.md", 2), ("/ok", "docs/b.md", 9)]]
    report = check_external_links(occurrences, checker=checker(), cache=Cache(tmp_path / "c.json", 3600),
                                  allow=AllowList([]), workers=4)
    assert server.hits[("HEAD", "/ok")] == 1
    assert [str(p).split(" (", 1)[0] for p in report.broken] == [
        f"docs/a.md:7: error: found a broken link {server.base}/missing",
        f"docs/b.md:2: error: found a broken link {server.base}/missing"]
    assert all("(404 Not Found); expected a working address" in str(p) for p in report.broken)
    assert report.summary() == "2 checked, 1 ok, 1 broken, 0 skipped, 0 from cache"


def test_cache_reuses_fresh_answers_and_expires_old_ones(server, tmp_path):
    clock = [1_000_000.0]
    path = tmp_path / "cache" / "links.json"
    urls = [Occurrence(server.base + "/ok", "a.md", 1), Occurrence(server.base + "/missing", "a.md", 2)]

    def run() -> str:
        cache = Cache(path, max_age=3600, now=lambda: clock[0]).load()
        report = check_external_links(urls, checker=checker(), cache=cache, allow=AllowList([]))
        cache.save()
        return report.summary()

    assert run() == "2 checked, 1 ok, 1 broken, 0 skipped, 0 from cache"
    cached = list(json.loads(path.read_text(encoding="utf-8")))
    assert cached == [server.base + "/ok"], "broken is never cached"
    clock[0] += 3000
    assert run() == "2 checked, 1 ok, 1 broken, 0 skipped, 1 from cache"
    assert server.hits[("HEAD", "/ok")] == 1
    clock[0] += 3600
    assert run() == "2 checked, 1 ok, 1 broken, 0 skipped, 0 from cache"
    assert server.hits[("HEAD", "/ok")] == 2


def test_unreadable_cache_is_ignored_with_a_note(tmp_path):
    path = tmp_path / "links.json"
    path.write_text("{not json", encoding="utf-8")
    cache = Cache(path, 60).load()
    assert cache.entries == {}
    assert "ignored the unreadable cache" in cache.note


def test_allow_list_hosts_and_prefixes(server, tmp_path):
    allow_file = tmp_path / "allow.txt"
    allow_file.write_text("# never checked\nexample.org\n\n"
                          "https://journals.example.com/paywalled/  # bots blocked\n", encoding="utf-8")
    allow = AllowList([*read_allow_file(allow_file), f"{server.base}/missing"])
    assert "https://www.example.org/x" in allow and "https://example.org" in allow
    assert "https://notexample.org/" not in allow
    assert "https://journals.example.com/paywalled/1" in allow
    assert "https://journals.example.com/open" not in allow
    report = check_external_links([Occurrence(server.base + "/missing", "a.md", 1)], checker=checker(),
                                  cache=Cache(tmp_path / "c.json", 60), allow=allow)
    assert report.summary() == "0 checked, 0 ok, 0 broken, 1 skipped, 0 from cache"
    assert server.hits == Counter()


def test_links_in_a_built_site(tmp_path):
    page = tmp_path / "site" / "articles" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<html><head><link rel="canonical" href="https://site.example/a/">\n'
                    '<script src="https://cdn.example/x.js"></script></head>\n<body>\n'
                    '<a href="https://doi.org/10.1000/1">DOI</a> <a href="../b/">local</a>\n'
                    '<img src="https://img.example/p.png" alt="">\n</body></html>\n', encoding="utf-8")
    found = links_in_site(tmp_path / "site", "site")
    assert [(o.url, o.path, o.line) for o in found] == [
        ("https://cdn.example/x.js", "site/articles/a/index.html", 2),
        ("https://doi.org/10.1000/1", "site/articles/a/index.html", 4),
        ("https://img.example/p.png", "site/articles/a/index.html", 5)]


def test_links_in_sources(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n[a](https://a.example/x) [b](local.md) <https://b.example/>\n\n`[c](https://c.example)`\n",
        encoding="utf-8")
    project = load_project(tmp_path / "mkdocs.yml")
    found = links_in_sources(load_sources(project))
    assert [(o.url, o.path, o.line) for o in found] == [("https://a.example/x", "docs/index.md", 3),
                                                         ("https://b.example/", "docs/index.md", 3)]


def test_cli_reports_broken_links_and_a_summary(server, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        f"# Home\n\n[ok]({server.base}/ok)\n[gone]({server.base}/missing)\n[loop]({server.base}/loop-a)\n"
        f"[slow]({server.base}/slow)\n[skip]({server.base}/other)\n", encoding="utf-8")
    cache = tmp_path / "cache.json"
    status = main(["links", "--config", str(tmp_path / "mkdocs.yml"), "--cache", str(cache),
                   "--max-age", "1d", "--timeout", "0.2", "--retries", "0",
                   "--allow", f"{server.base}/other"])
    out = capsys.readouterr().out
    assert status == 1
    assert f"docs/index.md:4: error: found a broken link {server.base}/missing (404 Not Found)" in out
    assert f"docs/index.md:5: error: found a broken link {server.base}/loop-a (redirect loop via" in out
    assert f"docs/index.md:6: error: found a broken link {server.base}/slow (timed out after 0.2 s)" in out
    assert out.rstrip().endswith("medsite links: 4 checked, 1 ok, 3 broken, 1 skipped, 0 from cache")
    assert list(json.loads(cache.read_text(encoding="utf-8"))) == [f"{server.base}/ok"]
    assert "Traceback" not in out


def test_cli_rejects_a_bad_duration_without_a_traceback(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["links", "--max-age", "7 days"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "is not a duration; expected a number and a unit, e.g. 7d or 12h" in err
    assert "Traceback" not in err
