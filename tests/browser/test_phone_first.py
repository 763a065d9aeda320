"""Phone first (issue 20): the question is the first thing under the header, the caution right under it,
and the answer starts in the first screen; the review tracker, dates and the audience switch are one tap
away (a status line that expands, the switch beside the title). At two phone sizes and on a desktop, in
the light and the dark palette."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import ARTICLE_PAGES, ARTICLES, DESKTOP, PHONE, TALL_PHONE

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": TALL_PHONE, "small-phone": PHONE, "desktop": DESKTOP}
PALETTES = {"light": "default", "dark": "slate"}
TITLE_TOP_ON_A_PHONE = 200  # px from the top of the screen, the header included


def box(page: Page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not rendered"
    return found


def open_article(visits, slug: str, device: str, palette: str) -> Page:
    page = visits.open(f"articles/{slug}/", viewport=VIEWPORTS[device], color_scheme=palette)
    page.locator(f'body[data-md-color-scheme="{PALETTES[palette]}"]').wait_for()
    return page


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("device", VIEWPORTS)
@pytest.mark.parametrize(("visits", "slug"), ARTICLE_PAGES, indirect=["visits"])
def test_the_question_and_its_answer_lead_the_first_screen(visits, slug, device, palette):
    page = open_article(visits, slug, device, palette)
    height, width = VIEWPORTS[device]["height"], VIEWPORTS[device]["width"]
    assert page.evaluate("window.scrollY") == 0

    # The title is the article's first element, straight under the header.
    first = page.evaluate("document.querySelector('.md-content__inner').firstElementChild.tagName")
    assert first == "H1"
    title, header = box(page, ".md-content__inner > h1"), box(page, ".md-header")
    assert title["y"] >= header["y"] + header["height"]
    if device != "desktop":
        assert title["y"] <= TITLE_TOP_ON_A_PHONE, title

    # Right after it in the document (what a screen reader reads next), and on screen: the status, with
    # the caution first when the article is not approved.
    assert page.evaluate("document.querySelector('.md-content__inner > h1').nextElementSibling.className"
                         ).startswith("medsite-review")
    caution = page.locator(".medsite-review .medsite-caution")
    if caution.count():
        cbox = box(page, ".medsite-review .medsite-caution")
        assert cbox["y"] >= title["y"] + title["height"]
        assert cbox["y"] - (title["y"] + title["height"]) <= 24, "the caution is not right with the question"
        assert cbox["y"] + cbox["height"] <= height and cbox["x"] >= 0 and cbox["x"] + cbox["width"] <= width

    # The status line and the audience switch are one tap away, in the first screen.
    for selector in (".medsite-status > summary", "#audience-switch-patient", "#audience-switch-clinician"):
        expect(page.locator(selector)).to_be_visible()
        found = box(page, selector)
        assert found["y"] + found["height"] <= height, selector

    # The bottom line starts in the first screen: the first paragraph of the wording that leads.
    answer = ".audience-pair > details[open] > p, .md-content__inner > p:not(.medsite-print-info)"
    expect(page.locator(answer).first).to_be_visible()
    assert box(page, answer)["y"] < height

    # Nothing overflows sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_status_line_expands_into_tracker_dates_and_policy(visits, device, palette):
    page = open_article(visits, ARTICLES[0], device, palette)
    summary = page.locator(".medsite-status > summary")
    tracker = page.locator(".medsite-tracker")
    expect(summary).to_contain_text("Review:")
    expect(summary).to_contain_text("Updated")
    current = page.locator('.medsite-tracker [aria-current="step"]')
    step = current.inner_text().replace("current step", "").strip()
    expect(summary).to_contain_text(step)
    expect(tracker).to_be_hidden()

    summary.click()
    expect(tracker).to_be_visible()
    expect(current).to_be_visible()
    expect(page.locator(".medsite-status .medsite-dates")).to_contain_text("Last updated:")
    expect(page.get_by_role("link", name="View editorial policy")).to_be_visible()

    # By keyboard too: the summary is focusable and toggles with Enter.
    summary.focus()
    page.keyboard.press("Enter")
    expect(tracker).to_be_hidden()
    page.keyboard.press("Enter")
    expect(tracker).to_be_visible()
