"""Heading structure (one h1, no skipped level) and raw `<img>` targets, found in Markdown source with
file, line and column; the heading scan agrees with Python-Markdown's rendering."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medsite.checks.headings import heading_problems
from medsite.checks.runner import run_checks
from medsite.markdown.links import MarkdownScan
from medsite.model.project import load_project
from medsite.model.sources import load_sources
from tests.project_samples import GOOD, make_project


def problems(text: str, *, article_page: bool = True) -> list[str]:
    return [str(p) for p in heading_problems("a.md", MarkdownScan(text).headings, generated_h1=article_page)]


def test_sections_going_down_one_level_at_a_time_pass():
    text = "Intro.\n\n## A\n\n### A.1\n\n#### A.1.a\n\n## B\n\nSetext\n------\n\n### B.1\n"
    assert problems(text) == []


def test_a_second_h1_in_an_article_is_named_with_line_and_column():
    assert problems("Intro.\n\n# Title again\n\n## Section\n") == [
        "a.md:3:1: error: found a second h1 `# Title again`: the page's h1 is generated from `title`; "
        "expected `##` for a section"]
    assert problems("Intro.\n\nTitle again\n===========\n") == [
        "a.md:3:1: error: found a second h1 `# Title again`: the page's h1 is generated from `title`; "
        "expected `##` for a section"]


def test_other_pages_may_have_one_h1():
    assert problems("# Home\n\n## Part\n", article_page=False) == []
    assert problems("## Part\n", article_page=False) == []  # Material adds the h1 from the page title
    assert problems("# Home\n\n# Again\n", article_page=False) == [
        "a.md:3:1: error: found a second h1 `# Again` (the first is on line 1); expected one h1 per page, "
        "`##` for a section"]


@pytest.mark.parametrize(("text", "found"), [
    ("### Too deep\n", "a.md:1:1: error: found h3 `### Too deep` after h1; expected at most h2 (`##`)"),
    ("## A\n\n#### B\n", "a.md:3:1: error: found h4 `#### B` after h2; expected at most h3 (`###`)"),
    ('!!! note "N"\n\n    #### In a callout\n',
     "a.md:3:5: error: found h4 `#### In a callout` after h1; expected at most h2 (`##`)"),
])
def test_a_skipped_level_is_named(text, found):
    (problem,) = problems(text)
    assert problem.startswith(found) and problem.endswith("heading levels go down one at a time")


def test_headings_in_code_are_not_headings():
    text = "Intro.\n\n```sh\n# a shell comment\n#### another\n```\n\n    # indented code\n\n`# code span`\n"
    assert MarkdownScan(text).headings == []


# --- agreement with Python-Markdown -----------------------------------------------------------------------

_EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
               "pymdownx.superfences", "pymdownx.details"]
_PARTS = ["# H", "## H", "### H", "###### H", "####### H", "#H", "## H ##", "Text H", "", "H\n===", "H\n---",
          "```\n# H\n```", "    # H", '!!! note "N"\n\n    ## H', '!!! note "N"\n\n    Text H\n    ### H',
          "- item H", "- item\n\n    ## H", "Text\n# H", "`# H`", "<!-- # H -->", "Term\n:   ## H",
          "  # H", "Text\n    # H", "Text\n  # H", "- item\n\n  ## H", "1. # H", "- ### H", "<!--\n# H\n-->",
          "    code\n# H", '!!! note "N"\n\n      # H', "H\n---\n# H"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PARTS), max_size=8))
def test_heading_levels_are_those_python_markdown_renders(parts):
    source = "\n\n".join(part.replace("H", f"w{number}x") for number, part in enumerate(parts)) + "\n"
    rendered = markdown.markdown(source, extensions=_EXTENSIONS)
    expected = [int(level) for level in re.findall(r"<h([1-6])[ >]", rendered)]
    assert [heading.level for heading in MarkdownScan(source).headings] == expected


# --- raw <img> targets -------------------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path):
    project = load_project(make_project(tmp_path / "site"))
    (project.docs_dir / "assets").mkdir(exist_ok=True)
    (project.docs_dir / "assets" / "figure.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return project


def check(project, text: str) -> list[str]:
    path = project.docs_dir / "articles" / "img.md"
    path.write_text(GOOD + text, encoding="utf-8")
    offset = GOOD.count("\n")
    return [re.sub(r"^docs/articles/img\.md:(\d+)", lambda m: f"L{int(m[1]) - offset}", str(p))
            for p in run_checks(project, load_sources(project, [path]))]


def test_raw_img_resolved_from_the_page_address_passes(project):
    # docs/articles/img.md is served at articles/img/: two levels up is the site root.
    assert check(project, '\n<img src="../../assets/figure.png" alt="A figure">\n') == []
    assert check(project, "\n![A figure](../assets/figure.png)\n") == []  # Markdown: relative to the file


def test_raw_img_written_relative_to_the_file_names_the_path_that_works(project):
    assert check(project, '\nSee <img alt="A figure"\n     src="../assets/figure.png">\n') == [
        "L3:11: error: found <img src='../assets/figure.png'>, which the browser loads from "
        "/articles/assets/figure.png (this page is served at /articles/img/); expected "
        "src='../../assets/figure.png', or Markdown ![text](../assets/figure.png), whose path MkDocs takes "
        "from the file"]


@pytest.mark.parametrize(("src", "found"), [
    ("../../assets/missing.png", "L2:11: error: found <img src='../../assets/missing.png'>, but "
                                 "docs/assets/missing.png does not exist"),
    ("/assets/figure.png", "L2:11: error: found <img src='/assets/figure.png'>, a path from the server's "
                           "root"),
    ("../../../../x.png", "L2:11: error: found <img src='../../../../x.png'>, which points above the site's "
                          "root"),
    ("", "L2:11: error: found <img> with an empty src ''"),
])
def test_raw_img_pointing_nowhere_fails_the_check(project, src, found):
    (problem,) = check(project, f'\n<img src="{src}" alt="A figure">\n')
    assert problem.startswith(found), problem


def test_raw_img_in_code_or_external_is_not_a_file(project):
    assert check(project, '\n`<img src="nowhere.png">`\n\n```html\n<img src="nowhere.png">\n```\n') == []
    assert [p for p in check(project, '\n<img src="https://example.org/x.png" alt="x">\n')
            if "<img src=" in p] == []
