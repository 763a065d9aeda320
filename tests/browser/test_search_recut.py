"""Search in Chromium on Pagefind's own index and on the same index cut again (medsite.search.recut): the
same queries (whole words, prefixes, several words, brand names, a filter) list the same articles in the
same order, through the site's search box, on a tiny site built here and on the real site. The re-cut
is made with the smallest budget (every run of words that may be cut apart a chunk of its own) and the
original with small chunks of Pagefind's own, so that the words queried sit at many chunk boundaries.
Also: results come five at a time, and "More results" shows the next five from the keyboard, with the
number shown announced, and passes axe."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from medsite.search import recut
from medsite.search.pagefind import BUNDLE, command
from tests.browser.harness import Visits
from tests.browser.test_accessibility import PALETTES, describe
from tests.review_samples import TODAY, article
from tests.sitebuild import SiteFactory
from tests.sites import BuiltSite

pytestmark = pytest.mark.browser

RESULT_LINKS = ".md-search-result__list .md-search-result__link"
META = ".md-search-result__meta"
TINY_QUERIES = ["cabazitaxel", "jevtana", "cab", "caba", "cabazit", "can", "cancer", "canc", "dose", "dos",
                "dosing", "neutropenia", "neut", "bone metastases", "bone meta", "dose reduction",
                "café", "cafe", "naïve", "über", "zoledronic acid", "mCRPC", "survival"]
REAL_QUERIES = ["cabazitaxel", "jevtana", "caba", "mCRPC", "prostate", "pros", "bone metastases",
                "radiotherapy", "radio", "enzalutamide", "enza", "overall survival", "evidence grade",
                "review"]
# Words of the tiny site's articles: prefixes of one another, neighbours in the alphabet, diacritics.
WORDS = ["can", "cancer", "cancel", "candid", "cannot", "cab", "cabin", "cabazitaxel", "café", "cafe",
         "caffeine", "dose", "doses", "dosing", "dosage", "dosimetry", "bone", "bones", "metastases",
         "metastatic", "neutropenia", "neutrophil", "neuropathy", "über", "uber", "naïve", "naive",
         "zoledronic", "acid", "survival", "reduction", "radiotherapy"]


def _tiny_site(root: Path) -> BuiltSite:
    site = SiteFactory(root)
    site.config["extra"]["medsite"]["today"] = TODAY
    site.write("docs/index.md", "# Home\n\nWelcome.\n")
    for n in range(14):
        words = " ".join(WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(60))
        site.write(f"docs/articles/a{n}.md", article(
            f"**Bottom line.** Article {n} on {WORDS[n % len(WORDS)]}.\n\n{words}.\n",
            title=f"Does {WORDS[(n * 5) % len(WORDS)]} help with {WORDS[(n * 11) % len(WORDS)]}?",
            topics=[f"topic {n % 3}"]))
    built = site.build()
    return BuiltSite(root, built.site_dir, 0, built.log, "")


def _variants(site: BuiltSite, folder: Path) -> dict[str, BuiltSite]:
    """Two copies of a built site: Pagefind's own index in small chunks, and that index cut again."""
    variants = {}
    for name in ("pagefind", "recut"):
        copy = folder / name / "site"
        shutil.copytree(site.site_dir, copy)
        variants[name] = BuiltSite(site.root, copy, 0, "", "")
    original = variants["pagefind"].site_dir
    shutil.rmtree(original / BUNDLE)
    subprocess.run(command(original, "en"), check=True, capture_output=True,
                   env={**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": "400"})
    shutil.rmtree(variants["recut"].site_dir / BUNDLE)
    shutil.copytree(original / BUNDLE, variants["recut"].site_dir / BUNDLE)
    done = recut.recut_index(variants["recut"].site_dir / BUNDLE, budget=1)
    assert done.done and done.after > done.before > 1, done
    return variants


@pytest.fixture(scope="module")
def tiny_variants(tmp_path_factory) -> dict[str, BuiltSite]:
    site = _tiny_site(tmp_path_factory.mktemp("tiny") / "tiny")
    return _variants(site, tmp_path_factory.mktemp("tiny-variants"))


@pytest.fixture(scope="module")
def real_variants(main_site, tmp_path_factory) -> dict[str, BuiltSite]:
    assert main_site.returncode == 0, main_site.stderr
    return _variants(main_site, tmp_path_factory.mktemp("real-variants"))


def _visits(browser, served, site: BuiltSite):
    return Visits(browser, served(site), site)


def _checked(visits: Visits) -> None:
    """No request beyond 127.0.0.1 and no error in the page, but the one an index without the re-cut's
    extras gives (Pagefind's own: search.js asks for the file, gets a 404 and asks Pagefind instead)."""
    visits.close()
    recut_index = visits.site is not None and (visits.site.site_dir / BUNDLE / recut.EXTRAS).is_file()
    errors = [error for error in visits.errors if recut_index or not error.startswith(_NO_EXTRAS)
              or not error.rstrip(")").endswith(f"/{BUNDLE}/{recut.EXTRAS}:0")]
    assert visits.requests and visits.outside_requests() == [] and errors == []


_NO_EXTRAS = "console: Failed to load resource: the server responded with a status of 404"


def _results(page: Page, query: str, topic: str | None = None) -> tuple[str, list[str]]:
    """The query put in the box at once (one search), then every result, "More results" pressed until
    all are shown: the status line and the addresses in order."""
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    expect(box).to_be_focused()
    if topic:  # chosen first; its own search (every page of the topic) ends before the query is typed
        page.get_by_role("button", name="Narrow the results").click()
        page.get_by_label("Topic", exact=True).select_option(topic)
        expect(page.locator(META)).to_have_text(re.compile(r"matching"))
        page.locator(META).evaluate("meta => { meta.textContent = ''; }")
        box.focus()
    box.fill(query)
    meta = page.locator(META)
    expect(meta).to_have_text(re.compile(r"matching"))
    total = int(meta.inner_text().split()[0]) if meta.inner_text()[0].isdigit() else 0
    shown = min(total, 5)
    while shown < total:
        page.get_by_role("button", name="More results").click()
        shown = min(total, shown + 5)
        expect(meta).to_have_text(re.compile(rf"^{total} matching pages(, {shown} shown)?$"))
    expect(meta).not_to_have_text(re.compile("shown"))
    links = page.locator(RESULT_LINKS).evaluate_all("links => links.map(link => new URL(link.href).pathname)")
    return page.locator(META).inner_text(), links


def _compare(browser, served, variants: dict[str, BuiltSite], queries: list[str],
             topic: str | None = None, *, in_any_order: bool = False) -> dict[str, tuple[str, list[str]]]:
    """Each query's status line and result addresses on every variant's index, which must agree (the
    addresses sorted `in_any_order`, for indexes that number pages otherwise and so order ties otherwise)."""
    found: list[dict[str, tuple[str, list[str]]]] = []
    for site in variants.values():
        visits = _visits(browser, served, site)
        found.append({})
        for query in queries:  # a page each
            status, links = _results(visits.open(), query, topic)
            found[-1][query] = (status, sorted(links) if in_any_order else links)
        _checked(visits)
    assert all(other == found[0] for other in found[1:]), dict(zip(variants, found, strict=True))
    return found[0]


def test_the_tiny_sites_queries_find_the_same_articles_in_the_same_order(browser, served, tiny_variants):
    found = _compare(browser, served, tiny_variants, TINY_QUERIES)
    assert sum(bool(links) for _, links in found.values()) >= len(TINY_QUERIES) - 2, found
    assert any(len(links) > 5 for _, links in found.values()), "no query with a second page of results"


def test_the_tiny_sites_filtered_queries_find_the_same_articles(browser, served, tiny_variants):
    found = _compare(browser, served, tiny_variants, ["cabazitaxel", "dos", "bone metastases"],
                     topic="topic 1")
    assert any(links for _, links in found.values())


def test_the_real_sites_queries_find_the_same_articles_in_the_same_order(browser, served, real_variants):
    found = _compare(browser, served, real_variants, REAL_QUERIES)
    assert sum(bool(links) for _, links in found.values()) >= len(REAL_QUERIES) - 2, found


def _topic_first_word_chunks(browser, served, site: BuiltSite) -> tuple[int, int]:
    """Word chunks the page asked for once a topic is chosen before anything is typed, and the site's."""
    visits = _visits(browser, served, site)
    page = visits.open()
    page.keyboard.press("/")
    page.get_by_role("button", name="Narrow the results").click()
    page.get_by_label("Topic", exact=True).select_option("topic 1")
    expect(page.locator(META)).to_have_text(re.compile(r"^\d+ matching pages"))
    asked = {url for url in visits.requests if url.endswith(".pf_index")}
    _checked(visits)
    return len(asked), len(list((site.site_dir / BUNDLE / "index").iterdir()))


def test_a_topic_chosen_first_loads_one_word_chunk_not_the_whole_index(browser, served, tiny_variants):
    """Pagefind looks up the empty term for a search with filters only: on its own index every word chunk
    loads (its loose rule), on the re-cut one the empty term's own chunk alone (no words)."""
    assert _topic_first_word_chunks(browser, served, tiny_variants["recut"])[0] == 1
    asked, chunks = _topic_first_word_chunks(browser, served, tiny_variants["pagefind"])
    assert asked == chunks > 1


@pytest.mark.parametrize("palette", PALETTES)
def test_results_come_five_at_a_time_and_more_results_works_from_the_keyboard(browser, served, tiny_variants,
                                                                               node_tool, palette):
    visits = _visits(browser, served, tiny_variants["recut"])
    page = visits.open(color_scheme=palette, bypass_csp=True)  # axe is injected as an inline script
    page.keyboard.press("/")
    page.locator("input.md-search__input").fill("dose")  # one search (typed, a prefix's could end later)
    meta = page.locator(META)
    expect(meta).to_have_text(re.compile(r"^\d+ matching pages, 5 shown$"))
    total = int(meta.inner_text().split()[0])
    assert total > 10, "the query needs more than two pages of results"
    expect(page.locator(RESULT_LINKS)).to_have_count(5)
    expect(meta).to_have_attribute("aria-live", "polite")  # the count shown is read out
    for _ in range(6):  # from the box, down through the results to the button
        page.keyboard.press("ArrowDown")
    more = page.get_by_role("button", name="More results")
    expect(more).to_be_focused()
    page.add_script_tag(path=node_tool("axe-core/axe.min.js"))
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], describe(serious)
    page.keyboard.press("Enter")
    expect(meta).to_have_text(f"{total} matching pages, 10 shown")
    expect(page.locator(RESULT_LINKS).nth(5)).to_be_focused()  # the first of the new ones
    more.focus()
    page.keyboard.press(" ")
    expect(page.locator(RESULT_LINKS)).to_have_count(min(total, 15))
    _checked(visits)


def _menus(browser, served, site: BuiltSite) -> tuple[list, dict, list[str]]:
    """What "Narrow the results" shows before a word is typed (each menu's name and options), Pagefind's
    own filters() asked in the same page afterwards, and the filter files loaded for the menus."""
    visits = _visits(browser, served, site)
    page = visits.open()
    page.keyboard.press("/")
    page.get_by_role("button", name="Narrow the results").click()
    expect(page.get_by_label("Topic", exact=True)).to_be_focused()
    menus = page.locator(".medsite-search__filters select").evaluate_all(
        "menus => menus.map(menu => [menu.name, [...menu.options].map(option => option.text)])")
    loaded = sorted(url.rsplit("/", 1)[1] for url in visits.requests if ".pf_filter" in url)
    own = page.evaluate("async url => (await import(url)).filters()", f"{served(site)}{BUNDLE}/pagefind.js")
    _checked(visits)
    return menus, own, loaded


def test_the_filter_menus_show_pagefinds_own_counts_without_loading_its_filter_chunks(browser, served,
                                                                                      tiny_variants):
    """The counts written beside the re-cut index (recut.EXTRAS) against Pagefind's own filters(): the
    same menus as on Pagefind's own index (which has no such file, so search.js asks Pagefind), and the
    same numbers as Pagefind's engine gives in the page; no filter chunk of Pagefind's loaded for them."""
    menus, own, loaded = _menus(browser, served, tiny_variants["recut"])
    their_menus, their_own, their_loaded = _menus(browser, served, tiny_variants["pagefind"])
    assert menus == their_menus and own == their_own
    counts = {name: [text for text in options[1:]] for name, options in menus}
    assert counts["topic"] == [f"topic {n} ({sum(1 for k in range(14) if k % 3 == n)})" for n in range(3)]
    numbers = {name: [f"{value} ({own[name][value]})" for value in sorted(own[name])] for name in counts}
    assert numbers == counts
    assert loaded == ["medsite.pf_filter"]
    assert [name for name in their_loaded if name != "medsite.pf_filter"]  # Pagefind's own filter chunks


def test_a_filter_value_is_shown_as_text_and_a_topic_with_zero_pages_is_not_listed(browser, served, tmp_path):
    """A topic with markup in it is shown as its text in the menu (the counts file is JSON, each value put
    in an option as text); many topics each get their count; a topic no page has is not a value."""
    site = SiteFactory(tmp_path / "site")
    site.config["extra"]["medsite"]["today"] = TODAY
    site.write("docs/index.md", "# Home\n\nWelcome.\n")
    hostile = "<img src=x onerror=window.__pwned=1>& co"  # (Pagefind finds no page for a value with '"')
    topics = [hostile, *(f"topic {n:02}" for n in range(40))]
    for n, topic in enumerate(topics):
        site.write(f"docs/articles/a{n}.md", article(f"**Bottom line.** Article {n}.\n\nDose words.\n",
                                                     title=f"Question {n}?", topics=[topic, "shared"]))
    built = site.build()
    assert (built.site_dir / BUNDLE / recut.EXTRAS).is_file()
    visits = _visits(browser, served, BuiltSite(tmp_path, built.site_dir, 0, built.log, ""))
    page = visits.open()
    page.keyboard.press("/")
    page.get_by_role("button", name="Narrow the results").click()
    options = page.get_by_label("Topic", exact=True).locator("option").evaluate_all(
        "options => options.map(option => [option.value, option.text])")
    assert options[0] == ["", "All topics"]
    expected = [[topic, f"{topic} (1)"] for topic in topics] + [["shared", "shared (41)"]]
    assert sorted(options[1:]) == sorted(expected)
    assert page.locator(".medsite-search__filters img").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    page.get_by_label("Topic", exact=True).select_option(hostile)
    expect(page.locator(META)).to_have_text("1 matching page")
    _checked(visits)
