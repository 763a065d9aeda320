"""Attack tests: the CSP check (medsite.safety.csp.with_policy) and its proof that a generated piece is inert
(medsite.safety.csp.inert, whose pieces the check then skips) against Chromium's own HTML parser. Each
piece below makes Chromium run a script; the check must report it, and `inert` must not call it inert.

Pre-existing (not introduced by the `serve` commits): the check reads `<xmp>`, `<textarea>`, `<title>`,
`<noscript>`, `<iframe>`, `<noembed>` and `<noframes>` as ordinary tags (a browser reads their content as
raw text up to their end tag), reads an end tag's attributes as text (`</x y="<b z=">`: a browser's end tag
holds the quote, the checker starts a tag at `<b`), reads a quote as opening a value anywhere in a tag (a
browser only right after `=`), and ends a comment only at `-->` (a browser also at `<!-->`, `<!--->` and
`--!>`); f50063f left `<![CDATA[` "read as before", but outside SVG and MathML a browser reads it as a
bogus comment that ends at its first `>`."""

from __future__ import annotations

import pytest

from medsite.safety.csp import InlineCode, inert, with_policy

pytestmark = pytest.mark.browser

RUN = "window.pwned=1"
PIECES = [
    f'<xmp><a title="</xmp><script>{RUN}</script>">',
    f'<textarea><a title="</textarea><script>{RUN}</script>">',
    f'<title><a title="</title><script>{RUN}</script>">',
    f'<noscript><a title="</noscript><script>{RUN}</script>">',
    f'<iframe><a title="</iframe><script>{RUN}</script>">',
    f'<noembed><a title="</noembed><script>{RUN}</script>">',
    f'<noframes><a title="</noframes><script>{RUN}</script>">',
    f'<a b"><script>{RUN}</script><a b=">',
    f'<a title=x"><script>{RUN}</script>">',
    f"<!--><script>{RUN}</script>-->",
    f"<!---><script>{RUN}</script>-->",
    f"<!-- --!><script>{RUN}</script>-->",
    f'<![CDATA[<a title="]]><script>{RUN}</script>">',
    f'</x y="<b z="><script>{RUN}</script>">',
    # Inside <svg> (foreign content) neither raw-text elements nor a script element's text are raw text:
    # what they hold is read as tags (found by tests/test_csp_differential.py against html5lib).
    f"<svg><textarea><script>{RUN}</script>",
    f"<svg><xmp><script>{RUN}</script>",
    f"<svg><noscript><script>{RUN}</script>",
    f"<svg><iframe><script>{RUN}</script>",
    f"<svg><noembed><script>{RUN}</script>",
    f'<svg><script type="application/json"><script>{RUN}</script>',
    f'<svg><script src="a.js"><script>{RUN}</script>',
]


def _page(piece: str) -> str:
    return f'<!doctype html><html><head><meta charset="utf-8"></head><body><p>x</p>{piece}</body></html>'


@pytest.mark.parametrize("piece", PIECES)
def test_a_script_chromium_runs_is_reported_by_the_csp_check_and_not_proven_inert(browser, piece):
    page = browser.new_page()
    try:
        page.set_content(_page(piece))
        ran = page.evaluate("window.pwned === 1")
    finally:
        page.close()
    assert ran, "the piece no longer runs a script in Chromium: the case is void"
    _, unexpected = with_policy(_page(piece), InlineCode())
    assert (RUN in unexpected, inert(piece)) == (True, False)
