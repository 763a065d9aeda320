"""Evidence grades: the vocabulary, the badge the Markdown extension renders, and the build failing on an
unknown grade with file:line."""

from __future__ import annotations

import markdown
import pytest

from medsite.extensions.flags import problems
from medsite.model.grades import GRADES, lookup
from tests.sitebuild import BuildFailed

GLOSSARY = "# Evidence grades\n\n## GRADE {#grade}\n\n## Levels {#levels-and-grades}\n"


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["medsite.extensions.grades", "pymdownx.superfences"])


def test_vocabulary_is_grade_1a_to_2c_and_levels_i_to_v_with_grades_a_to_d():
    assert {code for code in GRADES if code[0] in "12"} == {"1A", "1B", "1C", "2A", "2B", "2C"}
    assert len([code for code in GRADES if "-" in code]) == 5 * 4
    assert "V-D" in GRADES and "I-E" not in GRADES and "3A" not in GRADES


def test_lookup_ignores_case_and_spaces_but_nothing_else():
    assert lookup(" 1a ").code == "1A"
    assert lookup("ii-b").code == "II-B"
    assert lookup("IIB") is None
    assert lookup("1D") is None


def test_badge_links_to_the_scale_and_explains_it_in_its_title():
    html = render("Offer it [grade: 1B].")
    assert ('<a class="evidence-badge" data-grade="1B" href="/evidence-grades.md#grade" '
            'title="GRADE 1B: strong recommendation, moderate-quality evidence.') in html
    assert ">GRADE 1B</a>" in html


def test_level_badge_links_to_the_levels_section():
    html = render("[grade: I-A]")
    assert 'data-grade="I-A" href="/evidence-grades.md#levels-and-grades"' in html
    assert ">Level I, Grade A</a>" in html
    assert "Level I evidence: at least one large randomised controlled trial" in html


@pytest.mark.parametrize("code", ["`[grade: 1A]`", "```\n[grade: 1A]\n```"])
def test_code_is_left_alone(code):
    html = render(code)
    assert "evidence-badge" not in html
    assert "[grade: 1A]" in html


@pytest.mark.parametrize("written", ["[grade: 3A]", "[grade: I-E]", "[grade: ]", "[grade: strong]"])
def test_unknown_grade_is_a_problem_on_its_line_with_the_allowed_values(written):
    source = f"---\ntitle: T\n---\n\nFine [grade: 2C].\n\nBad {written} here.\n"
    found = problems("docs/a.md", source, render(source.split("---\n", 2)[2]))
    assert [(p.line, p.severity) for p in found] == [(7, "error")]
    assert written in found[0].message
    assert "1A, 1B, 1C, 2A, 2B, 2C" in found[0].message and "I-A … V-D" in found[0].message


def test_unknown_grade_in_code_is_no_problem():
    source = "`[grade: 9Z]`\n\n```\n[grade: 9Z]\n```\n"
    assert problems("docs/a.md", source, render(source)) == []


def test_tiny_site_renders_badges_with_a_working_link(tiny_site):
    tiny_site.write("docs/evidence-grades.md", GLOSSARY)
    tiny_site.write("docs/guide/page.md", "# Page\n\nOffer it [grade: 1A] and [grade: iii-c].\n")
    built = tiny_site.build()
    html = built.html("guide/page.md")
    assert 'href="../../evidence-grades/#grade"' in html
    assert 'data-grade="III-C"' in html
    assert built.warnings == []


def test_tiny_site_fails_on_unknown_grade_with_file_and_line(tiny_site):
    tiny_site.write("docs/evidence-grades.md", GLOSSARY)
    tiny_site.write("docs/page.md", "# Page\n\nFine.\n\nOffer it [grade: 1E].\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    assert "docs/page.md:5: error: unknown evidence grade '1E'" in failure.value.log
    assert "Traceback" not in failure.value.log
