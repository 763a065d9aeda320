""""Which best describes you?": choosing an audience switches the audience blocks and the disclaimer, and
the choice is remembered across a reload and on the next article."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import ARTICLES, front_matter

pytestmark = pytest.mark.browser

# Articles written for clinicians: the patient choice must carry over from one to the next.
CLINICIAN = [slug for slug in ARTICLES if front_matter(slug).get("audience") == "clinician"]
PATIENT_WORDING = "It is not medical advice"
CLINICIAN_WORDING = "intended for healthcare professionals"


def assert_wording_for(page: Page, audience: str) -> None:
    other = "clinician" if audience == "patient" else "patient"
    expect(page.locator(f'.md-content [data-audience="{audience}"]').first).to_be_visible()
    expect(page.locator(f'.medsite-disclaimer [data-audience="{other}"]')).to_be_hidden()
    expect(page.locator(f"#audience-switch-{audience}")).to_be_checked()
    disclaimer = page.locator(".medsite-disclaimer").inner_text()
    assert (PATIENT_WORDING in disclaimer) == (audience == "patient")
    assert (CLINICIAN_WORDING in disclaimer) == (audience == "clinician")


def test_patient_choice_switches_the_wording_and_is_remembered(visits):
    assert len(CLINICIAN) >= 2, "the project needs two articles for clinicians to check this"
    first, second = CLINICIAN[0], CLINICIAN[1]
    page = visits.open(f"articles/{first}/")
    assert page.locator("#audience-switch").get_attribute("data-default-audience") == "clinician"
    patient_block = page.locator('.md-content .audience-block[data-audience="patient"]').first
    expect(patient_block).to_be_hidden()
    expect(page.locator(".medsite-disclaimer").get_by_text(CLINICIAN_WORDING)).to_be_visible()

    page.get_by_label("Patient or caregiver").check()
    expect(patient_block).to_be_visible()
    expect(patient_block.locator(".audience-block__label")).to_have_text("For patients and caregivers")
    assert_wording_for(page, "patient")
    assert page.evaluate("localStorage.getItem('medsite.audience')") == "patient"

    page.reload()
    page.wait_for_load_state("networkidle")
    assert_wording_for(page, "patient")

    visits.goto(page, f"articles/{second}/")
    assert page.locator("#audience-switch").get_attribute("data-default-audience") == "clinician"
    assert_wording_for(page, "patient")

    page.get_by_label("Healthcare professional").check()
    assert_wording_for(page, "clinician")


def test_a_remembered_choice_shows_in_the_first_paint(visits):
    """The stored audience is applied before the page is first painted: no wording jumps in after."""
    context = visits.context()
    context.add_init_script("if (location.protocol === 'http:') {"
                            " localStorage.setItem('medsite.audience', 'patient'); window.medsiteShift = 0;"
                            " new PerformanceObserver(list => list.getEntries()"
                            ".forEach(entry => { window.medsiteShift += entry.value; }))"
                            ".observe({type: 'layout-shift', buffered: true}); }")
    page = visits.open(f"articles/{CLINICIAN[0]}/", context=context)
    assert_wording_for(page, "patient")
    assert page.evaluate("window.medsiteShift") == 0
