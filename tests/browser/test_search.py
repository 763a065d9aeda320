"""The site search (Pagefind behind Material's search box), offline from the static index: finds articles
by brand name and abbreviation (data/synonyms.yml), shows each article's answer and review status,
filters, works from the keyboard alone, and passes axe while open. The harness fails any test that
breaks the page's Content-Security-Policy or sends a request beyond 127.0.0.1."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from medsite.model.project import load_project
from medsite.review.catalog import load_catalog
from tests.browser.test_accessibility import PALETTES, describe
from tests.sitebuild import PROJECT

pytestmark = pytest.mark.browser

CABAZITAXEL = "cabazitaxel-bone-metastases"
IMRT = "pelvic-imrt-after-enzalutamide"
RESULTS = ".md-search-result__list .md-search-result__link"
CAUTION = "Educational purpose only · content pending human review"


def search(page: Page, query: str) -> list[str]:
    """Open search from the keyboard and type `query` like a reader; the articles listed, in order."""
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.type(query, delay=20)
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"matching|No matching"))
    hrefs = page.locator(RESULTS).evaluate_all("links => links.map(link => new URL(link.href).pathname)")
    return [href.split("/articles/")[1].strip("/") for href in hrefs if "/articles/" in href]


def test_brand_name_finds_the_article_whose_question_names_the_drug_first(visits):
    listed = search(visits.open(), "jevtana")
    assert listed[0] == CABAZITAXEL  # the title (cabazitaxel) weighs more than the other article's body


def test_abbreviation_finds_both_articles(visits):
    assert sorted(search(visits.open(), "mCRPC")) == [CABAZITAXEL, IMRT]


def test_each_result_shows_the_articles_answer_and_review_status_as_text(visits):
    page = visits.open()
    search(page, "cabazitaxel")
    catalog = load_catalog(PROJECT / "docs", PROJECT, load_project(PROJECT / "mkdocs.yml").settings)
    article = catalog.articles[f"articles/{CABAZITAXEL}.md"]
    result = page.locator(".md-search-result__item", has=page.locator(f'a[href$="/{CABAZITAXEL}/"]'))
    expect(result.locator("h1")).to_have_text(article.title)
    expect(result.locator(".medsite-search__answer")).to_have_text(article.description)
    expect(result.locator(".medsite-search__status")).to_contain_text("Review status: ")
    expect(result.locator("mark").first).to_have_text(re.compile("cabazitaxel", re.IGNORECASE))


def test_a_result_shows_the_caution_unless_its_article_is_approved(visits):
    page = visits.open()
    assert search(page, "prostate"), "no article found for 'prostate'"
    results = page.locator(".md-search-result__article").evaluate_all("""articles => articles.map(article => [
        (article.querySelector('.medsite-search__status') || {}).textContent || '',
        (article.querySelector('.medsite-search__caution') || {}).textContent || ''])""")
    for status, caution in results:
        if status:  # an article (site pages have no review status)
            expected = "" if status == "Review status: Approved" else CAUTION
            assert caution == expected, (status, caution)
    caution = page.locator(".medsite-search__caution").first
    if caution.count():  # shown before the answer, in the caution's colours
        assert caution.evaluate("e => e.nextElementSibling.className") == "medsite-search__answer"


def test_filters_narrow_the_results_to_one_review_status(visits):
    page = visits.open()
    search(page, "prostate")
    expect(page.get_by_label("Review status", exact=True)).to_have_count(0)  # loaded only when asked for
    page.get_by_role("button", name="Narrow the results").click()
    expect(page.get_by_label("Topic", exact=True)).to_be_focused()  # the first filter
    status = page.get_by_label("Review status", exact=True)
    values = [value for value in status.locator("option").evaluate_all("o => o.map(x => x.value)") if value]
    assert values, "no review status to filter by"
    for value in values:
        status.select_option(value)
        # Every result, once the filtered ones are shown, is an article with that status.
        page.wait_for_function("""value => {
            const found = [...document.querySelectorAll('.md-search-result__article')];
            const status = article => (article.querySelector('.medsite-search__status') || {}).textContent;
            return found.length > 0 && found.every(article => status(article) === 'Review status: ' + value);
        }""", arg=value)
    for name in ("Topic", "Evidence grade", "Written for"):
        expect(page.get_by_label(name, exact=True)).to_be_visible()


def test_keyboard_alone_opens_moves_through_results_and_follows_one(visits):
    page = visits.open()
    search(page, "mCRPC")
    first = page.locator(RESULTS).first

    # Under load a pause between keys lets a prefix's search end first; the query's own search then puts
    # its results in the list, and the focus starts again from the box.
    for attempt in range(5):
        page.locator("input.md-search__input").focus()
        page.keyboard.press("ArrowDown")
        try:
            expect(first).to_be_focused(timeout=1000)
            break
        except AssertionError:
            if attempt == 4:
                raise
    page.keyboard.press("ArrowUp")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#__search")).not_to_be_checked()
    page.keyboard.press("s")
    page.keyboard.press("Enter")  # the query is still there: Enter opens the first result
    page.wait_for_url(re.compile(r"/articles/"))


@pytest.mark.parametrize("palette", PALETTES)
def test_open_search_with_results_has_no_serious_accessibility_violation(visits, node_tool, palette):
    page = visits.open(color_scheme=palette, bypass_csp=True)  # axe is injected as an inline script
    search(page, "cabazitaxel")
    page.add_script_tag(path=node_tool("axe-core/axe.min.js"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], describe(serious)




def test_a_words_index_chunk_loads_while_the_reader_types_it(visits):
    """The chunk a word needs is asked for while it is typed (from its third letter), not after the pause,
    so the search after the last keystroke finds it in memory and only ranks."""
    page = visits.open()
    page.evaluate("""() => document.querySelector('[data-medsite-search] input[name=query]')
        .addEventListener('input', () => { window.__typed = performance.timeOrigin + performance.now(); })""")
    chunks = []  # Pagefind loads them from its web worker: the page's own resource timings miss them
    page.on("requestfinished", lambda request: "/pagefind/index/" in request.url and chunks.append(request))
    page.keyboard.press("/")
    expect(page.locator("input.md-search__input")).to_be_focused()
    page.wait_for_load_state("networkidle")  # the search engine, which loads once the box has the focus
    assert chunks == [], "an index chunk was loaded before anything was typed"
    page.keyboard.type("cabazitaxel", delay=40)  # no pause the search waits for (80 ms) until the end
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile("matching"))
    last_key = page.evaluate("() => window.__typed")
    asked = [request.timing["startTime"] for request in chunks]  # milliseconds since the epoch
    assert asked, "no index chunk was loaded"
    assert max(asked) < last_key, f"chunks asked for {[last_key - at for at in asked]} ms before the last key"
