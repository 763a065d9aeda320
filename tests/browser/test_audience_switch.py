""""Which best describes you?": the reader's own wording leads and the other audience's follows, folded
under its label; the choice changes the disclaimer and is remembered across a reload and on the next
article. Without JavaScript both wordings show, clinician first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import ARTICLES, DESKTOP, TALL_PHONE, front_matter
from tests.sitebuild import PROJECT

pytestmark = pytest.mark.browser


def has_both_wordings(slug: str) -> bool:
    source = (PROJECT / "docs" / "articles" / f"{slug}.md").read_text(encoding="utf-8")
    return all(f"/// audience | {audience}" in source for audience in ("patient", "clinician"))


# Articles written for clinicians with both wordings: the patient choice must carry over from one to the
# next and reorder each.
CLINICIAN = [slug for slug in ARTICLES
             if front_matter(slug).get("audience") == "clinician" and has_both_wordings(slug)]

PATIENT_WORDING = "It is not medical advice"
CLINICIAN_WORDING = "intended for healthcare professionals"
LABELS = {"patient": "For patients and caregivers", "clinician": "For healthcare professionals"}
OTHER = {"patient": "clinician", "clinician": "patient"}
VIEWPORTS = {"phone": TALL_PHONE, "desktop": DESKTOP}


def assert_wording_for(page: Page, audience: str) -> None:
    """Every pair leads with `audience` (first in the document and on screen, open); the other audience's
    blocks are folded with their label showing; the disclaimer is in `audience`'s wording."""
    other = OTHER[audience]
    pairs = page.locator(".audience-pair")
    assert pairs.count() > 0, "the article has no pair of wordings to check"
    for index in range(pairs.count()):
        pair = pairs.nth(index)
        first, follower = pair.locator("> details").first, pair.locator(f'> details[data-audience="{other}"]')
        expect(first).to_have_attribute("data-audience", audience)
        expect(first).to_have_js_property("open", True)
        expect(first.locator("> p").first).to_be_visible()
        expect(follower).to_have_js_property("open", False)
        expect(follower.locator("> summary")).to_have_text(LABELS[other])
        expect(follower.locator("> summary")).to_be_visible()
        expect(follower.locator("> p").first).to_be_hidden()
        assert first.bounding_box()["y"] < follower.bounding_box()["y"]
    expect(page.locator(f"#audience-switch-{audience}")).to_be_checked()
    expect(page.locator(f'.medsite-disclaimer [data-audience="{other}"]')).to_be_hidden()
    disclaimer = page.locator(".medsite-disclaimer").inner_text()
    assert (PATIENT_WORDING in disclaimer) == (audience == "patient")
    assert (CLINICIAN_WORDING in disclaimer) == (audience == "clinician")


@pytest.mark.parametrize("palette", ["light", "dark"])
@pytest.mark.parametrize("device", VIEWPORTS)
def test_patient_choice_puts_patient_wording_first_and_is_remembered(visits, device, palette):
    assert len(CLINICIAN) >= 2, "checking this needs two articles for clinicians with both wordings"
    first, second = CLINICIAN[0], CLINICIAN[1]
    page = visits.open(f"articles/{first}/", viewport=VIEWPORTS[device], color_scheme=palette)
    assert page.locator("#audience-switch").get_attribute("data-default-audience") == "clinician"
    assert_wording_for(page, "clinician")

    page.get_by_label("Patient or caregiver").check()
    assert_wording_for(page, "patient")
    assert page.evaluate("localStorage.getItem('medsite.audience')") == "patient"

    # The folded clinician wording is one tap away.
    follower = page.locator('.audience-pair > details[data-audience="clinician"]').first
    follower.locator("> summary").click()
    expect(follower.locator("> p").first).to_be_visible()

    page.reload()
    page.wait_for_load_state("networkidle")
    assert_wording_for(page, "patient")

    visits.goto(page, f"articles/{second}/")
    assert page.locator("#audience-switch").get_attribute("data-default-audience") == "clinician"
    assert_wording_for(page, "patient")

    page.get_by_label("Healthcare professional").check()
    assert_wording_for(page, "clinician")
    assert page.evaluate("localStorage.getItem('medsite.audience')") == "clinician"


def test_a_remembered_choice_shows_in_the_first_paint(visits):
    """The stored audience is applied before the page is first painted: the patient wording already leads
    and nothing jumps afterwards (no layout shift)."""
    context = visits.context(viewport=TALL_PHONE)
    context.add_init_script("if (location.protocol === 'http:') {"
                            " localStorage.setItem('medsite.audience', 'patient'); window.medsiteShift = 0;"
                            " new PerformanceObserver(list => list.getEntries()"
                            ".forEach(entry => { window.medsiteShift += entry.value; }))"
                            ".observe({type: 'layout-shift', buffered: true}); }")
    page = visits.open(f"articles/{CLINICIAN[0]}/", context=context)
    assert_wording_for(page, "patient")
    assert page.evaluate("window.medsiteShift") == 0


@pytest.mark.parametrize("device", VIEWPORTS)
def test_without_javascript_both_wordings_show_clinician_first(visits, device):
    page = visits.open(f"articles/{CLINICIAN[0]}/", viewport=VIEWPORTS[device], java_script_enabled=False)
    expect(page.locator("#audience-switch")).to_be_hidden()  # no control that would do nothing
    pair = page.locator(".audience-pair").first
    clinician, patient = (pair.locator(f'> details[data-audience="{a}"]') for a in ("clinician", "patient"))
    for block, audience in ((clinician, "clinician"), (patient, "patient")):
        expect(block.locator("> summary")).to_have_text(LABELS[audience])
        expect(block.locator("> p").first).to_be_visible()
    assert clinician.bounding_box()["y"] < patient.bounding_box()["y"]
    expect(page.locator(".medsite-disclaimer").get_by_text(CLINICIAN_WORDING)).to_be_visible()
