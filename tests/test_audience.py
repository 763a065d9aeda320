"""Audience blocks: labelled and visible without JavaScript; the switch above pages that need it; an
unknown audience fails the build with file:line."""

from __future__ import annotations

import re

import markdown
import pytest

from medsite.markup_flags import problems
from tests.sitebuild import BuildFailed
from tests.sites import article_slug

BLOCKS = """Shared text.

/// audience | patient
Plain **words**.
///

/// audience | clinician
Technical words.
///
"""


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["medsite.markdown_audience", "pymdownx.superfences"])


def test_blocks_carry_their_audience_and_a_visible_label():
    html = render(BLOCKS)
    assert ('<div class="audience-block" data-audience="patient">\n'
            '<p class="audience-block__label">For patients and caregivers</p>\n'
            "<p>Plain <strong>words</strong>.</p>") in html
    assert '<p class="audience-block__label">For healthcare professionals</p>' in html
    assert "hidden" not in html


@pytest.mark.parametrize("header", ["/// audience | doctor", "/// audience", "/// audience |  "])
def test_unknown_or_missing_audience_is_a_problem_on_its_line(header):
    source = f"Intro.\n\n{header}\nText.\n///\n"
    found = problems("docs/a.md", source, render(source))
    assert [p.line for p in found] == [3]
    assert "expected one of: patient, clinician" in found[0].message


def test_audience_header_inside_code_is_no_problem():
    source = "```\n/// audience | doctor\n///\n```\n"
    assert problems("docs/a.md", source, render(source)) == []


def test_audience_is_case_insensitive():
    assert 'data-audience="clinician"' in render("/// audience | Clinician\nx\n///\n")


def test_page_with_blocks_gets_the_switch_and_the_script(tiny_site):
    tiny_site.write("docs/page.md", "# Page\n\n" + BLOCKS)
    built = tiny_site.build()
    html = built.html("page.md")
    switch = re.search(r'<form class="audience-switch md-grid" id="audience-switch".*?</form>', html,
                       re.DOTALL)
    assert switch, "the audience switch is missing"
    assert "data-default-audience" not in switch.group(0)  # not an article: no default wording
    assert "<legend class=\"audience-switch__legend\">Which best describes you?</legend>" in switch.group(0)
    for value, label in (("patient", "Patient or caregiver"), ("clinician", "Healthcare professional")):
        assert re.search(rf'<input type="radio" name="audience" value="{value}" id="audience-switch-{value}">'
                         rf"\s*{label}</label>", switch.group(0))
    assert html.index('id="audience-switch"') < html.index('class="md-main"')
    assert re.search(r'<script src="[./]*assets/audience\.js"', html)
    assert 'class="audience-block" data-audience="patient"' in html
    assert built.warnings == []


def test_page_without_audience_content_has_no_switch(tiny_site):
    tiny_site.write("docs/page.md", "# Page\n\nNothing for one audience only.\n")
    assert 'id="audience-switch"' not in tiny_site.build().html("page.md")


def test_tiny_site_fails_on_unknown_audience_with_file_and_line(tiny_site):
    tiny_site.write("docs/page.md", "# Page\n\n/// audience | nurse\nText.\n///\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    assert "docs/page.md:3: error: unknown audience in '/// audience | nurse'" in failure.value.log
    assert "Traceback" not in failure.value.log


def test_real_article_switch_defaults_to_its_front_matter_audience(real_site):
    assert real_site.returncode == 0, real_site.stderr
    for uri, written in real_site.catalog.articles.items():
        html = real_site.html(f"articles/{article_slug(uri)}")
        default = written.audience
        assert f'data-default-audience="{default}"' in html
        assert re.search(rf'value="{default}" id="audience-switch-{default}" checked>', html)
        source = (real_site.root / "docs" / uri).read_text(encoding="utf-8")
        for audience in re.findall(r"^/// audience \| (\w+)", source, re.MULTILINE):
            assert f'class="audience-block" data-audience="{audience}"' in html
