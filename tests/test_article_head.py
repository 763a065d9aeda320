"""The head of a page (issue 20), as the templates write it: right after an article's title, the review
status (caution first), the audience switch with the inline script that orders the wordings, and the line
printed on paper; above the content instead when something comes before the title, so the caution is
never pushed down the page. (Where each lands on a screen is checked by tests/browser/test_phone_first.py.)"""

from __future__ import annotations

import re

from tests.review_samples import TODAY, article


def test_article_title_is_followed_by_caution_status_switch_and_print_line(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/articles/a.md", article())
    html = tiny_site.build().html("articles/a.md")
    inner = html[html.index('<article class="md-content__inner md-typeset"'):]
    assert re.match(r'<article class="md-content__inner md-typeset"[^>]*>\s*<h1 ', inner), inner[:300]
    after_title = inner[inner.index("</h1>") + len("</h1>"):]
    assert after_title.startswith('<aside class="medsite-review medsite-review--pending" '
                                  'aria-label="Review status">')
    order = [after_title.index(marker) for marker in (
        'class="medsite-caution"', '<details class="medsite-status">', 'id="audience-switch"',
        "</form><script>", 'class="medsite-print-info"', "<p><strong>Drug X does not clear")]
    assert order == sorted(order)
    summary = re.search(r'<summary class="medsite-status__summary">(.*?)</summary>', after_title, re.DOTALL)
    assert re.search(r"Review: <strong>Under review</strong>, step 2 of 3", summary.group(1))
    assert re.search(r"Updated <time datetime=\"\d{4}-\d\d-\d\d\">", summary.group(1))
    print_line = re.search(r'<p class="medsite-print-info">(.*?)</p>', after_title, re.DOTALL).group(1)
    url = "https://clinical-answers.example.org/articles/a/"
    assert f'<span class="medsite-print-info__url">{url}</span>' in print_line
    assert " style=" not in inner  # the CSP allows no inline styles


def test_a_page_whose_title_does_not_open_it_gets_its_head_above_the_content(tiny_site):
    tiny_site.write("docs/page.md", "Before the title.\n\n# Page\n\n/// audience | patient\nPlain.\n///\n")
    html = tiny_site.build().html("page.md")
    assert html.index('id="audience-switch"') < html.index("<p>Before the title.</p>") < html.index("<h1")
