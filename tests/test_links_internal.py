"""Internal links, images and anchors checked without a build; anchors agree with what MkDocs renders."""

from __future__ import annotations

import re
import string

import markdown
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from medsite.checks.links_internal import check_internal_links
from medsite.markdown.links import MarkdownScan
from medsite.model.project import load_project
from medsite.model.sources import load_sources

TARGET = """\
---
title: Can X clear Y?
status: submitted
---
The bottom line.

## Evidence

## Evidence

## Safety `notes` *first* {#safety}

Setext heading
--------------

Paragraph with an id.
{: #para-id }
"""


@pytest.fixture
def site(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    (tmp_path / "docs" / "articles").mkdir(parents=True)
    (tmp_path / "docs" / "assets").mkdir()
    (tmp_path / "docs" / "assets" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "docs" / "articles" / "target.md").write_text(TARGET, encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    return tmp_path


def problems_in(site, body: str, name: str = "articles/a.md"):
    path = site / "docs" / name
    path.write_text(f"---\ntitle: A\n---\n{body}", encoding="utf-8")
    project = load_project(site / "mkdocs.yml")
    return check_internal_links(project, load_sources(project, [path]))


def test_good_links_pass(site):
    body = ("[t](target.md) [t](target.md#evidence) [t](target.md#evidence_1) [t](target.md#safety)\n"
            "[t](target.md#setext-heading) [t](target.md#para-id) [t](target.md#can-x-clear-y)\n"
            "[home](../index.md) ![chart](../assets/chart.png) [here](#a) [web](https://example.org/x)\n"
            "[mail](mailto:a@example.org) [spaced](<target.md> \"Title\") [enc](target%2Emd)\n")
    assert problems_in(site, body) == []


def test_link_to_a_missing_page(site):
    [problem] = problems_in(site, "Intro.\n\nSee [the other](other.md) page.\n")
    assert str(problem) == ("docs/articles/a.md:6:17: error: link 'other.md' not found: "
                            "docs/articles/other.md does not exist")


def test_link_to_a_missing_anchor(site):
    [problem] = problems_in(site, "See [evidence](target.md#evidenc).\n")
    assert (problem.path, problem.line, problem.col) == ("docs/articles/a.md", 4, 16)
    assert "has no heading or id 'evidenc'" in problem.message
    assert "evidence" in problem.message, "the ids that do exist are listed"


def test_link_to_a_missing_anchor_on_the_same_page(site):
    [problem] = problems_in(site, "## Here\n\n[up](#here) [gone](#gone)\n")
    assert (problem.line, problem.col) == (6, 20)
    assert "this page has no heading or id 'gone'" in problem.message


def test_image_that_does_not_exist(site):
    [problem] = problems_in(site, "![A chart](../assets/missing.png)\n")
    assert str(problem) == ("docs/articles/a.md:4:12: error: image '../assets/missing.png' not found: "
                            "docs/assets/missing.png does not exist")


def test_absolute_links_are_relative_to_docs(site):
    """mkdocs.yml sets `absolute_links: relative_to_docs`: `/a.md` means docs/a.md."""
    [problem] = problems_in(site, "[a](/articles/target.md#evidence) [b](/articles/nope.md)\n")
    assert problem.message == "link '/articles/nope.md' not found: docs/articles/nope.md does not exist"


def test_folder_and_outside_links(site):
    problems = problems_in(site, "[b](../assets/) [c](../../mkdocs.yml)\n")
    assert "points to a folder" in problems[0].message
    assert "outside the docs folder" in problems[1].message


def test_generated_pages_count_as_existing(site):
    path = site / "docs" / "articles" / "a.md"
    path.write_text("---\ntitle: A\n---\n[t](../topics/index.md) [t](/topics/x.md#any) [t](../topics/y.md)\n",
                    encoding="utf-8")
    project = load_project(site / "mkdocs.yml")
    [problem] = check_internal_links(project, load_sources(project, [path]),
                                     generated={"topics/index.md", "topics/x.md"})
    assert "topics/y.md" in problem.message


def test_links_in_code_comments_and_front_matter_are_ignored(site):
    body = ("Inline `[x](missing.md)` code.\n\n```md\n[x](missing.md)\n```\n\n"
            "    [x](indented-code.md)\n\n<!-- [x](commented.md) -->\n\n~~~\n![x](missing.png)\n~~~\n")
    path = site / "docs" / "articles" / "a.md"
    path.write_text(f"---\ntitle: A\nlink: '[x](fm.md)'\n---\n{body}", encoding="utf-8")
    project = load_project(site / "mkdocs.yml")
    assert check_internal_links(project, load_sources(project, [path])) == []


def test_admonition_content_is_prose_but_deeper_indentation_is_code(site):
    body = '!!! safety "Critical"\n\n    Watch [this](gone.md).\n\n        [code](also-gone.md)\n'
    [problem] = problems_in(site, body)
    assert problem.line == 6 and "gone.md" in problem.message


def test_reference_definitions_and_nested_images_are_found():
    scan = MarkdownScan("[![alt](img.png)](page.md)\n\n[label]: <ref.md> \"t\"\n[^1]: a footnote\n")
    assert [(link.target, link.line, link.col, link.image) for link in scan.links] == [
        ("img.png", 1, 9, True), ("page.md", 1, 19, False), ("ref.md", 3, 11, False)]


def test_non_utf8_sources_are_left_to_the_hygiene_check(site):
    path = site / "docs" / "articles" / "a.md"
    path.write_bytes(b"---\ntitle: A\n---\n[x](missing.md) \xff\n")
    project = load_project(site / "mkdocs.yml")
    assert check_internal_links(project, load_sources(project, [path])) == []


def test_heading_ids_match_what_the_build_renders(tiny_site):
    page = ("# Title\n\n## Evidence\n\n## Evidence\n\n### Dose: 25 mg/m² `q3w` & *more*\n\n"
            "## Custom {#my-id}\n\nSetext\n------\n\n!!! note \"N\"\n\n    ## Inside admonition\n")
    tiny_site.write("docs/page.md", page)
    html = tiny_site.build().html("page.md")
    rendered = set(re.findall(r'<h[1-6] id="([^"]+)"', html))
    assert rendered == MarkdownScan(page).anchor_ids()


HEADING_CHARACTERS = string.ascii_letters + string.digits + " .,:;?'\"()/%+-#_*`&<[]\\\u00e9\u00b2"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=HEADING_CHARACTERS, min_size=1, max_size=25), min_size=1, max_size=6))
@example(["\\ "])  # a lone backslash before a space: still a heading (found by this test)
def test_heading_ids_agree_with_python_markdown(texts):
    """Plain headings take a fast path; whatever the text, ids must equal what the toc extension makes."""
    page = "\n\n".join(f"## {text}" for text in texts)
    rendered = markdown.Markdown(extensions=["toc", "attr_list"])
    rendered.convert(page)
    expected, tokens = set(), list(rendered.toc_tokens)
    while tokens:
        token = tokens.pop()
        expected.add(token["id"])
        tokens += token["children"]
    assert MarkdownScan(page).anchor_ids() == expected
