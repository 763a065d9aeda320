"""axe-core, injected into the real pages, finds no serious or critical violation on the home page and
every article, in the light and the dark palette (Material follows the reader's colour-scheme setting)."""

from __future__ import annotations

import pytest

from tests.browser.harness import ARTICLES

pytestmark = pytest.mark.browser

PAGES = ["", *(f"articles/{slug}/" for slug in ARTICLES)]
PALETTES = {"light": "default", "dark": "slate"}  # prefers-color-scheme → Material's scheme


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']} at " + ", ".join(
        " ".join(node["target"]) for node in v["nodes"][:5]) for v in violations)


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.strip("/").removeprefix("articles/") or "home")
def test_no_serious_or_critical_violations(visits, node_tool, path, palette):
    axe = node_tool("axe-core/axe.min.js")
    # Playwright injects axe as an inline script, which the page's own policy rightly refuses: this
    # context alone ignores the policy (test_content_policy.py checks the site under it).
    page = visits.open(path, color_scheme=palette, bypass_csp=True)
    page.locator(f'body[data-md-color-scheme="{PALETTES[palette]}"]').wait_for()
    page.add_script_tag(path=axe)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], describe(serious)
