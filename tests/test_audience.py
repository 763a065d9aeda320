"""Audience blocks: open and labelled without JavaScript, the two wordings of one point paired clinician
first; the switch right under the title of pages that need it; an unknown audience fails the build with
file:line."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from medsite.extensions.flags import problems
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
    return markdown.markdown(text, extensions=["medsite.extensions.audience", "pymdownx.superfences"])


def test_blocks_are_open_and_labelled():
    html = render(BLOCKS)
    assert ('<details class="audience-block" data-audience="patient" open="open">\n'
            '<summary class="audience-block__label">For patients and caregivers</summary>\n'
            "<p>Plain <strong>words</strong>.</p>\n</details>") in html
    assert '<summary class="audience-block__label">For healthcare professionals</summary>' in html
    assert "hidden" not in html


def test_indented_code_after_a_block_stays_code_with_pymdownx_details():
    """pymdownx.details takes an indented block after a `details` element as its content: the audience
    block is a `details` element only once Markdown has parsed the page (found by the citation property
    test: a citation in such code was numbered)."""
    text = "/// audience | patient\nPatient words.\n///\n\n    indented code [@key]\n"
    html = markdown.markdown(text, extensions=["medsite.extensions.audience", "pymdownx.details"])
    assert html.endswith("</details>\n<pre><code>indented code [@key]\n</code></pre>")


def test_adjacent_blocks_for_both_audiences_are_one_pair_clinician_first():
    html = render(BLOCKS)  # written patient first
    pair = re.search(r'<div class="audience-pair">(.*?)</div>', html, re.DOTALL)
    assert pair, html
    assert re.findall(r'data-audience="(\w+)"', pair.group(1)) == ["clinician", "patient"]
    assert html.index("<p>Shared text.</p>") < html.index('<div class="audience-pair">')


def test_blocks_apart_or_for_one_audience_are_not_paired():
    apart = "/// audience | clinician\nA\n///\n\nBetween.\n\n/// audience | patient\nB\n///\n"
    same = "/// audience | patient\nA\n///\n\n/// audience | patient\nB\n///\n"
    for source in (apart, same):
        assert "audience-pair" not in render(source)


def test_pairs_are_found_inside_other_blocks():
    source = ("!!! note\n\n    /// audience | patient\n    A\n    ///\n\n"
              "    /// audience | clinician\n    B\n    ///\n")
    html = markdown.markdown(source, extensions=["medsite.extensions.audience", "admonition"])
    assert re.search(r'<div class="admonition note">.*<div class="audience-pair">\n'
                     r'<details class="audience-block" data-audience="clinician"', html, re.DOTALL), html


PIECES = st.lists(st.sampled_from(["patient", "clinician", "text"]), max_size=8)


@given(PIECES)
def test_pairing_keeps_every_block_and_the_writers_order_within_an_audience(pieces):
    """Property: each block is rendered once; a pair is a run of adjacent blocks holding both audiences,
    clinician blocks first, each audience's blocks in the order they were written; nothing else moves."""
    source = "\n".join(f"/// audience | {piece}\n{piece} {n}\n///\n" if piece != "text" else f"text {n}\n"
                       for n, piece in enumerate(pieces))
    html = render(source)
    assert re.findall(r"<p>(\w+ \d+)</p>", html) == _expected_order(pieces)
    assert html.count('class="audience-pair"') == len([run for run in _runs(pieces) if len(set(run)) == 2])


def _runs(pieces: list[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    for index, piece in enumerate(pieces):
        if piece == "text":
            continue
        if index and pieces[index - 1] != "text" and runs:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return runs


def _expected_order(pieces: list[str]) -> list[str]:
    named = [f"{piece} {n}" for n, piece in enumerate(pieces)]
    order: list[str] = []
    index = 0
    while index < len(pieces):
        if pieces[index] == "text":
            order.append(named[index])
            index += 1
            continue
        end = index
        while end < len(pieces) and pieces[end] != "text":
            end += 1
        run = named[index:end]
        if len({name.split()[0] for name in run}) == 2:
            run = [n for n in run if n.startswith("clinician")] + [n for n in run if n.startswith("patient")]
        order.extend(run)
        index = end
    return order


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


def test_page_with_blocks_gets_the_switch_under_its_title(tiny_site):
    tiny_site.write("docs/page.md", "# Page\n\n" + BLOCKS)
    built = tiny_site.build()
    html = built.html("page.md")
    switch = re.search(r'<form class="audience-switch" id="audience-switch".*?</form>', html, re.DOTALL)
    assert switch, "the audience switch is missing"
    assert "data-default-audience" not in switch.group(0)  # not an article: no default wording
    assert "<legend class=\"audience-switch__legend\">Which best describes you?</legend>" in switch.group(0)
    for value, label in (("patient", "Patient or caregiver"), ("clinician", "Healthcare professional")):
        assert re.search(rf'<input type="radio" name="audience" value="{value}" id="audience-switch-{value}">'
                         rf"\s*{label}</label>", switch.group(0))
    # Right after the title, and its inline script before the first block it orders.
    assert re.search(r"</h1>\s*<form class=\"audience-switch\"", html)
    assert html.index("</form><script>") < html.index('class="audience-pair"')
    assert re.search(r'<script src="[./]*assets/audience\.js"', html)
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
            assert f'class="audience-block" data-audience="{audience}" open="open"' in html
