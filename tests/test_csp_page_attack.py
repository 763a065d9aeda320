"""Attack test: every page a build writes carries its Content-Security-Policy, whatever its content.

hooks/csp.py gives medsite.safety.csp.with_policy the page's content after its title (`sanitized`, left out
of the scan) and with_policy looks for it from the start of the page; found before `<meta charset>` ends,
the page is returned with no policy at all. An article whose body is only a comment (a draft's `<!-- TODO
-->`: the sanitiser drops it) has "\\n" after its title, which the page holds right after `<!doctype html>`.
Pre-existing (the `charset_end > start` return and the first-occurrence search predate the serve commits;
64a4da8 kept them)."""

from __future__ import annotations

from tests.review_samples import TODAY, article


def test_an_article_whose_body_is_a_comment_still_gets_its_policy(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/articles/a.md", article("<!-- TODO: the answer -->\n"))
    tiny_site.build(strict=True)
    html = (tiny_site.root / "site" / "articles" / "a" / "index.html").read_text(encoding="utf-8")
    assert html.count('<meta http-equiv="Content-Security-Policy"') == 1
