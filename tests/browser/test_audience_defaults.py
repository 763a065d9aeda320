"""The audience in force before a reader chooses is the article's own (`audience` front matter): on a tiny
site with an article written for patients, the patient wording leads from the first paint, the clinician
wording is folded, and a block with no partner is open only for its own audience."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from medsite.checks.local_server import serving
from tests.browser.harness import TALL_PHONE, Visits
from tests.review_samples import TODAY, article

pytestmark = pytest.mark.browser

BODY = """/// audience | clinician
**Drug X does not clear bone metastases.** It prolongs survival.
///

/// audience | patient
Drug X cannot make the cancer in the bones go away.
///

## Evidence

It prolongs survival.

/// audience | clinician
Monitor blood counts.
///
"""
SHIFT = ("if (location.protocol === 'http:') { window.medsiteShift = 0;"
         " new PerformanceObserver(list => list.getEntries()"
         ".forEach(entry => { window.medsiteShift += entry.value; }))"
         ".observe({type: 'layout-shift', buffered: true}); }")


@pytest.fixture
def patient_article(tiny_site, browser, request) -> Iterator[Visits]:
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/articles/a.md", article(BODY, audience="patient"))
    built = tiny_site.build()
    with serving(built.site_dir) as url:
        visits = Visits(browser, url)
        yield visits
        visits.keep_screenshots_if_failed(request.node)
        visits.close()
        assert visits.errors == [] and visits.outside_requests() == []


def test_an_article_for_patients_leads_with_their_wording(patient_article):
    context = patient_article.context(viewport=TALL_PHONE)
    context.add_init_script(SHIFT)
    page = patient_article.open("articles/a/", context=context)
    pair = page.locator(".audience-pair")
    expect(pair.locator("> details").first).to_have_attribute("data-audience", "patient")
    expect(pair.locator('> details[data-audience="patient"] > p')).to_be_visible()
    expect(pair.locator('> details[data-audience="clinician"] > p')).to_be_hidden()
    expect(pair.locator('> details[data-audience="clinician"] > summary')).to_be_visible()
    # A block with no partner: not inside a pair (the content may sit in a wrapper, e.g. search's).
    lone = page.locator('.md-content__inner details[data-audience="clinician"]:not(.audience-pair > details)')
    expect(lone.locator("> summary")).to_have_text("For healthcare professionals")
    expect(lone.locator("> p")).to_be_hidden()
    expect(page.locator("#audience-switch-patient")).to_be_checked()
    assert page.evaluate("window.medsiteShift") == 0

    page.get_by_label("Healthcare professional").check()
    expect(pair.locator("> details").first).to_have_attribute("data-audience", "clinician")
    expect(lone.locator("> p")).to_be_visible()
    expect(pair.locator('> details[data-audience="patient"] > p')).to_be_hidden()
