"""axe-core, injected into the real pages, finds no serious or critical violation on the home page and
every article, in the light and the dark palette (Material follows the reader's colour-scheme setting),
and on every article read on a phone in patient wording with everything folded opened."""

from __future__ import annotations

import pytest

from tests.browser.harness import ARTICLE_PAGES, TALL_PHONE

pytestmark = pytest.mark.browser

# The home page of each site (the contributed one lists the new articles), and every article page once.
PAGES = [pytest.param("main", "", id="home"), pytest.param("contribution", "", id="contribution-home"),
         *(pytest.param(site, f"articles/{slug}/", id=page.id)
           for page in ARTICLE_PAGES for site, slug in [page.values])]
PALETTES = {"light": "default", "dark": "slate"}  # prefers-color-scheme → Material's scheme


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']} at " + ", ".join(
        " ".join(node["target"]) for node in v["nodes"][:5]) for v in violations)


@pytest.fixture
def axe(node_tool) -> str:
    """axe-core's script, found before any page is opened (missing: a skip, or a failure under CI)."""
    return node_tool("axe-core/axe.min.js")


def violations(page, axe: str) -> list[dict]:
    page.add_script_tag(path=axe)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize(("visits", "path"), PAGES, indirect=["visits"])
def test_no_serious_or_critical_violations(axe, visits, path, palette):
    # Playwright injects axe as an inline script, which the page's own policy rightly refuses: this
    # context alone ignores the policy (test_content_policy.py checks the site under it).
    page = visits.open(path, color_scheme=palette, bypass_csp=True)
    page.locator(f'body[data-md-color-scheme="{PALETTES[palette]}"]').wait_for()
    serious = violations(page, axe)
    assert serious == [], describe(serious)


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize(("visits", "slug"), ARTICLE_PAGES, indirect=["visits"])
def test_patient_wording_on_a_phone_with_everything_unfolded(axe, visits, slug, palette):
    context = visits.context(viewport=TALL_PHONE, color_scheme=palette, bypass_csp=True)
    context.add_init_script("if (location.protocol === 'http:') "
                            "localStorage.setItem('medsite.audience', 'patient')")
    page = visits.open(f"articles/{slug}/", context=context)
    page.locator(f'body[data-md-color-scheme="{PALETTES[palette]}"]').wait_for()
    page.evaluate("document.querySelectorAll('.md-content details').forEach(d => { d.open = true; })")
    serious = violations(page, axe)
    assert serious == [], describe(serious)
