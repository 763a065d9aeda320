"""Level 3: the real site works in Chromium under its own Content-Security-Policy (issue 5). The harness
fails any test that triggers a policy violation; this one drives every article's scripts (search)."""

from __future__ import annotations

import re

import pytest

from tests.browser.harness import ARTICLE_PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("visits", "slug"), ARTICLE_PAGES, indirect=["visits"])
def test_article_runs_under_the_policy_and_search_works(visits, slug):
    page = visits.open(f"articles/{slug}/")
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    word = max(re.findall(r"[A-Za-z]{5,}", page.locator("article h1").first.inner_text()), key=len)
    page.locator("input.md-search__input").click()
    page.keyboard.type(word, delay=20)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
