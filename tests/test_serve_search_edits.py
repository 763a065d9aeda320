"""The preview's bundle of edited pages (medsite.search.edits), on small sites indexed by the installed
Pagefind: what it indexes and hides, and when a full index run lets it forget a page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medsite.core.problems import ProblemsError
from medsite.search.edits import FOLDER, LISTING_LIMIT, MANIFEST, Edits, index_ids, page_url
from medsite.search.pagefind import BUNDLE, index_site


def _page(site: Path, dest: str, words: str, padding: int = 0) -> None:
    path = site / dest
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{words}</title>'
                    f"</head><body><article data-pagefind-body><h1>{words}</h1><p>{words}</p>"
                    f'<ul class="medsite-article-list">{"<li>x</li>" * padding}</ul></article></body></html>',
                    encoding="utf-8")


@pytest.fixture
def site(tmp_path) -> Path:
    site = tmp_path / "site"
    for name in ("a", "b", "c"):
        _page(site, f"articles/{name}/index.html", f"first{name}")
    _page(site, "index.html", "home")
    index_site(site, language="en", display="mkdocs.yml")
    return site


def _manifest(site: Path) -> dict:
    return json.loads((site / FOLDER / MANIFEST).read_text(encoding="utf-8"))


def _bundle(site: Path) -> Path:
    """The bundle the manifest names now."""
    return site / FOLDER / _manifest(site)["bundle"]


def _bundle_urls(site: Path) -> set[str]:
    return set(index_ids(_bundle(site)))


def test_page_url_is_pagefinds_address():
    assert page_url("index.html") == "/"
    assert page_url("articles/a/index.html") == "/articles/a/"
    assert page_url("404.html") == "/404.html"
    assert page_url("a/notindex.html") == "/a/notindex.html"


def test_an_edited_page_is_indexed_alone_and_its_full_result_hidden(site):
    full = index_ids(site / BUNDLE)
    assert set(full) == {"/", "/articles/a/", "/articles/b/", "/articles/c/"}
    _page(site, "articles/a/index.html", "seconda")
    edits = Edits(site, "en")
    edits.note(own=["articles/a/index.html"])
    written = edits.write()
    assert (written.edit, written.pages, written.hidden) == (1, 1, 1)
    assert _bundle_urls(site) == {"/articles/a/"}
    assert _manifest(site) == {"edit": 1, "bundle": "v1/", "bundled": list(index_ids(_bundle(site)).values()),
                               "hide": [full["/articles/a/"]], "urls": ["/articles/a/"]}
    # Only the index's data: the full index's code runs the search.
    assert not [path for path in (site / FOLDER).rglob("*") if path.suffix in (".js", ".css", ".pagefind")]


def test_each_bundle_has_a_folder_of_its_own_and_the_last_three_stay(site):
    """A browser that read the manifest before a new bundle replaced it still finds the bundle it names."""
    edits = Edits(site, "en")
    for n in range(5):
        _page(site, "articles/a/index.html", f"edit{n}a")
        edits.note(own=["articles/a/index.html"])
        edits.write()
        assert _manifest(site)["bundle"] == f"v{n + 1}/"
    assert sorted(path.name for path in (site / FOLDER).iterdir()) == [MANIFEST, "v3", "v4", "v5"]


def test_a_removed_page_is_hidden_and_a_renamed_one_indexed_at_its_new_address(site):
    full = index_ids(site / BUNDLE)
    (site / "articles/b/index.html").unlink()
    _page(site, "articles/renamed/index.html", "firstb")
    edits = Edits(site, "en")
    edits.note(own=["articles/renamed/index.html"], removed=["articles/b/index.html"])
    edits.write()
    assert _bundle_urls(site) == {"/articles/renamed/"}
    assert _manifest(site)["hide"] == [full["/articles/b/"]]
    assert _manifest(site)["urls"] == ["/articles/b/", "/articles/renamed/"]


def test_an_unchanged_page_written_again_is_not_hidden_twice(site):
    """The same text gives the same id in both indexes: it is not hidden (the search keeps one of the two)."""
    edits = Edits(site, "en")
    edits.note(listing=["index.html"])
    assert edits.write().hidden == 0
    assert _manifest(site) == {"edit": 1, "bundle": "v1/", "bundled": [index_ids(site / BUNDLE)["/"]],
                               "hide": [], "urls": ["/"]}


def test_a_large_listing_page_is_left_to_the_full_run_but_a_large_edited_page_is_not(site):
    _page(site, "index.html", "bighome", padding=LISTING_LIMIT // 9)
    _page(site, "articles/c/index.html", "bigc", padding=LISTING_LIMIT // 9)
    edits = Edits(site, "en")
    edits.note(own=["articles/c/index.html"], listing=["index.html"])
    assert edits.write().pages == 1
    assert _bundle_urls(site) == {"/articles/c/"}


def test_a_page_written_during_a_full_run_stays_until_a_run_started_after_it_ends(site):
    edits = Edits(site, "en")
    edits.note(own=["articles/a/index.html"])
    covered = edits.starting()  # a full run starts: it covers the first edit
    _page(site, "articles/b/index.html", "secondb")
    edits.note(own=["articles/b/index.html"])  # written while that run reads the site
    index_site(site, language="en", display="mkdocs.yml")
    edits.indexed(covered)
    edits.write()
    assert _bundle_urls(site) == {"/articles/b/"}
    edits.indexed(edits.starting())  # a run that started after the second edit ends
    assert edits.write().pages == 0
    assert _manifest(site) == {"edit": 2, "bundle": None, "bundled": [], "hide": [], "urls": []}


def test_a_folder_of_the_docs_where_the_bundle_goes_is_refused_not_deleted(site):
    (site / FOLDER).mkdir()
    (site / FOLDER / "page.html").write_text("mine", encoding="utf-8")
    edits = Edits(site, "en")
    edits.note(own=["articles/a/index.html"])
    with pytest.raises(ProblemsError, match=f"the site has {FOLDER} from the docs folder"):
        edits.write()
    assert (site / FOLDER / "page.html").read_text(encoding="utf-8") == "mine"
