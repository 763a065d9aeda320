"""Anything not approved carries the caution, and a phone reader sees it before scrolling."""

from __future__ import annotations

import pytest

from tests.browser.harness import ARTICLE_PAGES, PHONE, status

pytestmark = pytest.mark.browser

NOT_APPROVED = [page for page in ARTICLE_PAGES if status(*page.values) != "approved"]


def test_the_project_has_unapproved_articles_to_check():
    assert NOT_APPROVED, "no article is unapproved: nothing below checks the caution"


@pytest.mark.parametrize(("visits", "slug"), NOT_APPROVED, indirect=["visits"])
def test_caution_is_above_the_fold_on_a_phone(visits, slug):
    page = visits.open(f"articles/{slug}/", viewport=PHONE)
    caution = page.locator(".medsite-caution")
    assert "pending human review" in caution.inner_text()
    box = caution.bounding_box()
    assert box is not None, "the caution is not rendered"
    assert page.evaluate("window.scrollY") == 0
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
