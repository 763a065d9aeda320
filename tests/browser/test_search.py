"""Material's built-in search, offline from the static index, finds articles by brand name and by
abbreviation (data/synonyms.yml), the article whose question names the drug first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CABAZITAXEL = "cabazitaxel-bone-metastases"
IMRT = "pelvic-imrt-after-enzalutamide"


def search(page: Page, query: str) -> list[str]:
    """Type `query` into the search box like a reader; the articles listed for it, in order."""
    page.locator("input.md-search__input").click()
    page.keyboard.type(query, delay=20)
    links = page.locator(".md-search-result__list > .md-search-result__item > a.md-search-result__link")
    # Results appear while typing; each link carries the query it answers (`?h=`): wait for the last one.
    expect(links.first).to_have_attribute("href", re.compile(rf"[?&]h={re.escape(query.lower())}$"))
    hrefs = links.evaluate_all("links => links.map(link => new URL(link.href).pathname)")
    return [href.split("/articles/")[1].strip("/") for href in hrefs if "/articles/" in href]


def test_brand_name_finds_the_article_whose_question_names_the_drug_first(visits):
    listed = search(visits.open(), "jevtana")
    assert listed[0] == CABAZITAXEL  # the title (cabazitaxel) weighs more than the other article's body


def test_abbreviation_finds_both_articles(visits):
    assert {CABAZITAXEL, IMRT} <= set(search(visits.open(), "mCRPC"))  # other articles may name it too
