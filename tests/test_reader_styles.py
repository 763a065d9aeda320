"""Safety and pitfall callouts, and the print stylesheet: rendered markup and the rules that style it.
(How they look and behave in a browser is checked by the browser tests.)"""

from __future__ import annotations

import re

from tests.sitebuild import PROJECT

ASSETS = PROJECT / "docs" / "assets"


def rule(css: str, selector: str) -> str:
    """The declarations of the first rule whose selector list contains `selector`."""
    match = re.search(rf"[^{{}}]*{re.escape(selector)}[^{{}}]*\{{([^}}]*)\}}", css)
    assert match, f"no rule for {selector}"
    return match.group(1)


def test_safety_and_pitfall_callouts_render_with_their_titles(tiny_site):
    tiny_site.write("docs/page.md", "# Page\n\n!!! safety \"Critical safety considerations\"\n\n"
                                    "    Watch counts.\n\n"
                                    "!!! pitfall \"Common pitfall to avoid\"\n\n    Do not promise a cure.\n")
    built = tiny_site.build()
    html = built.html("page.md")
    assert ('<div class="admonition safety">\n<p class="admonition-title">Critical safety considerations</p>'
            in html)
    assert '<div class="admonition pitfall">\n<p class="admonition-title">Common pitfall to avoid</p>' in html
    assert re.search(r'<link rel="stylesheet" href="[./]*assets/medsite\.css">', html)
    assert re.search(r'<link rel="stylesheet" href="[./]*assets/print\.css">', html)


def test_callouts_have_their_own_icon_and_colour_in_both_palettes():
    css = (ASSETS / "medsite.css").read_text(encoding="utf-8")
    for kind in ("safety", "pitfall"):
        title = rule(css, f".md-typeset .{kind} > .admonition-title::before")
        assert f"mask-image: var(--medsite-{kind}-icon)" in title
        assert f"--medsite-{kind}-color:" in rule(css, ':root')
        assert f"--medsite-{kind}-color:" in rule(css, '[data-md-color-scheme="slate"]')


def test_print_hides_navigation_and_controls_and_shows_every_audience_block():
    css = (ASSETS / "print.css").read_text(encoding="utf-8")
    assert css.count("@media print {") == 1
    hidden = rule(css, ".md-header")
    assert "display: none !important" in hidden
    hidden_selectors = css[:css.index(hidden)]
    for selector in (".md-header", ".md-sidebar", ".md-search", ".audience-switch"):
        assert selector in hidden_selectors
    assert "display: block !important" in rule(css, ".md-typeset .audience-block[hidden]")
    outside_links = '.md-typeset a[href^="http"]:not([data-medsite-shows-url])::after'
    assert 'content: " <" attr(href) ">"' in rule(css, outside_links)


def test_dark_colours_are_for_the_screen_only():
    """Paper is light whatever the screen's scheme: every rule of ours for Material's dark scheme sits in
    an `@media screen` block (Material's own do too). The browser tests check the printed PDF."""
    css = (ASSETS / "medsite.css").read_text(encoding="utf-8")
    slate = [match.start() for match in re.finditer(r'\[data-md-color-scheme="slate"\]', css)]
    assert slate, "no dark-scheme rule to check"
    for start in slate:
        opened = [m.start() for m in re.finditer(r"@media screen[^{]*\{", css[:start])]
        assert opened, css[start:start + 80]
        block = css[opened[-1]:start]
        assert block.count("{") - block.count("}") >= 1, css[start:start + 80]


def test_real_article_shows_badges_and_audience_blocks(real_site):
    assert real_site.returncode == 0, real_site.stderr
    html = (real_site.site_dir / "articles" / "cabazitaxel-bone-metastases" / "index.html").read_text()
    assert re.search(r'<a class="evidence-badge" data-grade="I-A" '
                     r'href="../../evidence-grades/#levels-and-grades" '
                     r'title="Level I evidence: [^"]+">Level I, Grade A</a>', html)
    assert '<summary class="audience-block__label">For patients and caregivers</summary>' in html
