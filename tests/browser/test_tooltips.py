"""Material shows a citation number's reference and an evidence badge's scale in a popup when the pointer
rests on it and when the keyboard focuses it: `content.footnote.tooltips` copies the reference list's entry,
links included, into a `role=dialog` popup the number controls; `content.tooltips` turns the badge's `title`
into a `role=tooltip` that describes it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

ARTICLE = "articles/cabazitaxel-bone-metastases/"
TARGETS = {
    # The first number cites TROPIC: first author and title from references/.
    "citation": ('sup.medsite-cite a[href="#ref-debono2010tropic"]', "aria-controls", "dialog",
                 ["de Bono JS", "Prednisone plus cabazitaxel or mitoxantrone", "Lancet", "2010",
                  "doi:10.1016/S0140-6736(10)61389-X"]),
    "evidence badge": ('a.evidence-badge[data-grade="I-A"]', "aria-describedby", "tooltip",
                       ["Level I evidence", "Grade A", "Levels I (strongest) to V"]),
}


def tab_to(page: Page, target: Locator, *, limit: int = 150) -> None:
    """Press Tab, as a keyboard user would, until `target` has focus."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", handle):
            return
    pytest.fail(f"Tab never reached {target}")


@pytest.mark.parametrize("how", ["hover", "keyboard focus"])
@pytest.mark.parametrize("target", TARGETS)
def test_reference_or_scale_shows_in_a_tooltip(visits, target, how):
    selector, link, role, expected = TARGETS[target]
    page = visits.open(ARTICLE)
    host = page.locator(selector).first
    if how == "hover":
        host.hover()
    else:
        tab_to(page, host)
    # Material links the host to its tooltip (another one may still be fading out after Tab moved on).
    expect(host).to_have_attribute(link, re.compile(r"^__tooltip2_\d+$"))
    tooltip = page.locator(f'#{host.get_attribute(link)}')
    expect(tooltip).to_have_attribute("role", role)
    expect(tooltip).to_have_class(re.compile(r"\bmd-tooltip2--active\b"))
    expect(tooltip).to_be_visible()
    for text in expected:
        expect(tooltip).to_contain_text(text)
