"""Attack test: every page a build writes carries its Content-Security-Policy, whatever its content.

hooks/csp.py gives medsite.safety.csp.with_policy the page's content after its title (`sanitized`, left out
of the scan) and with_policy looks for it from the start of the page; found before `<meta charset>` ends,
the page is returned with no policy at all. An article whose body is only a comment (a draft's `<!-- TODO
-->`: the sanitiser drops it) has "\\n" after its title, which the page holds right after `<!doctype html>`.
Pre-existing (the `charset_end > start` return and the first-occurrence search predate the serve commits;
64a4da8 kept them)."""

from __future__ import annotations

import shutil

import pytest

from tests.review_samples import TODAY, article
from tests.sitebuild import PROJECT, BuildFailed


def test_an_article_whose_body_is_a_comment_still_gets_its_policy(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/articles/a.md", article("<!-- TODO: the answer -->\n"))
    tiny_site.build(strict=True)
    html = (tiny_site.root / "site" / "articles" / "a" / "index.html").read_text(encoding="utf-8")
    assert html.count('<meta http-equiv="Content-Security-Policy"') == 1



def test_a_page_the_policy_cannot_be_placed_in_fails_the_build(tiny_site):
    """Default deny: a page written without `<meta charset>` (a theme override that drops the head) would go
    out without its policy; the build names it instead."""
    overrides = tiny_site.root / "overrides"
    shutil.copytree(PROJECT / "overrides", overrides)
    (overrides / "main.html").write_text("<p>{{ page.title }}</p>{{ page.content }}", encoding="utf-8")
    tiny_site.config["theme"]["custom_dir"] = str(overrides)
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    with pytest.raises(BuildFailed) as failed:
        tiny_site.build(strict=False)
    # The first page written from the theme's templates (404.html) stops the build.
    assert ("404.html: error: found a page without <meta charset>, so without its Content-Security-Policy; "
            "expected the theme's head on it") in str(failed.value)
