"""The one model of what is code in Markdown source (`medsite.markdown.prose`), and the checks that share
it."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medsite.citations.syntax import scan
from medsite.extensions.flags import _lines_matching
from medsite.markdown.links import MarkdownScan
from medsite.markdown.prose import fenced_lines, prose_line_numbers, prose_units, source_lines
from medsite.safety.html_safety import check_markdown


def fenced(source: str) -> list[int]:
    """1-based numbers of the lines superfences would take as code."""
    _, expanded, start = source_lines(source)
    return [number for number, code in enumerate(fenced_lines(expanded, start), start=1) if code]


@pytest.mark.parametrize(("source", "code"), [
    ("a\n```\nx\n```\nb", [2, 3, 4]),
    ("a\n~~~~\nx\n~~~\n~~~~\nb", [2, 3, 4, 5]),  # closed only by a fence as long as the opener
    ("a\n```\nx\nb", []),  # never closed: Markdown renders it as text
    ("- item\n\n    ```\n    x\n    ```\n", [3, 4, 5]),  # inside a list item
    ("  ```\n  x\n```\n", []),  # the closing fence is less indented: superfences gives up
    ("---\ntitle: T\n---\n```\nx\n```\n", [4, 5, 6]),  # front matter is never a fence
    ("    code\n~~~\nx\n~~~\n", []),  # in an indented code block's block: put back as text
    ("    code\n\n~~~\nx\n~~~\n", [3, 4, 5]),  # a blank line ends that block
    ("    code\n# Heading\n~~~\nx\n~~~\n", []),  # the code block takes the block, heading and all
    ("[r]: https://example.org\n    code\n# Heading\n~~~\nx\n~~~\n", [4, 5, 6]),  # a heading splits first
    ("*[AB]: x\n    code\n~~~\nx\n~~~\n", []),  # what follows a definition is a block of its own
])
def test_fences_are_found_as_superfences_finds_them(source, code):
    assert fenced(source) == code


def test_prose_leaves_out_front_matter_fences_and_indented_code():
    source = ("---\ntitle: T\n---\nText.\n\n    indented code\n\n```\nfenced\n```\n\n"
              "- item\n\n        code in item\n")
    assert sorted(prose_line_numbers(source)) == [4, 12]


def test_prose_units_split_at_headings_and_items_but_keep_paragraphs_and_setext_headings():
    source = "# Title\nPara one\nstill one\n\n- a\n- b\n\nSetext\n======\n\nOther\n------\n"
    lines, expanded, start = source_lines(source)
    units = [[lines[index] for index in unit] for unit in prose_units(expanded, start)]
    assert units == [["# Title"], ["Para one", "still one"], ["- a"], ["- b"], ["Setext", "======"],
                     ["Other", "------"]]


def test_a_tab_title_opens_a_container():
    source = '=== "Tab"\n\n        code in a tab\n\n    Tab text.\n'
    assert sorted(prose_line_numbers(source)) == [1, 5]


@pytest.mark.parametrize(("source", "expected"), [
    ("[grade: 9Z]\n\n```\n[grade: 9Z]\n```\n", [1]),
    ("Text.\n\n    [grade: 9Z]\n", []),  # an indented code block renders as code: nothing to flag there
    ("```\n[grade: 9Z]\n", [2]),  # an unclosed fence is text, and a flag on it is real
])
def test_flagged_markup_is_traced_to_prose_lines_only(source, expected):
    assert _lines_matching(source, re.compile(r"\[grade: 9Z\]")) == expected


def test_raw_html_check_skips_fenced_code_but_not_unclosed_fences():
    closed = "Text.\n\n```\n<script>alert(1)</script>\n```\n"
    unclosed = "Text.\n\n```\n<script>alert(1)</script>\n"
    assert check_markdown(closed, "a.md") == []
    [problem] = check_markdown(unclosed, "a.md")
    assert (problem.line, problem.col) == (4, 1) and "<script>" in problem.message


def test_link_scan_finds_setext_heading_ids_and_skips_code():
    scan = MarkdownScan("Setext title\n============\n\n`[x](code.md)` [y](real.md)\n\n    [z](indented.md)\n")
    assert "setext-title" in scan.anchor_ids()
    assert [(link.target, link.line, link.col) for link in scan.links] == [("real.md", 4, 20)]


def test_a_fence_put_back_as_text_is_checked_like_text():
    source = 'Text.\n\n    code\n~~~\n<b onclick="go()">Hi</b> [@nokey]\n~~~\n'
    [problem] = check_markdown(source, "a.md")
    assert (problem.line, problem.col) == (5, 1) and "onclick" in problem.message
    assert [(group.text, group.line) for group in scan(source).groups] == [("[@nokey]", 5)]
    assert '<b onclick="go()">' in markdown.markdown(source, extensions=["pymdownx.superfences"])


def test_a_long_glossary_before_a_fence_is_split_line_by_line_without_recursion():
    glossary = "".join(f"*[A{number}]: term {number}\n" for number in range(3000))
    source = f"{glossary}~~~\n<b onclick=\"go()\">Hi</b>\n~~~\n"
    assert fenced(source) == [3001, 3002, 3003]
    assert check_markdown(source, "a.md") == []  # fenced code, as Markdown renders it


_KINDS = ["T", "  T", "    T", "        T", "Text T", "", "~~~", "```", "# T", "[r]: https://example.org",
          "*[AB]: x"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_KINDS), max_size=10))
def test_prose_lines_are_the_lines_markdown_renders_outside_code_blocks(kinds):
    lines = [kind.replace("T", f"w{number}x") for number, kind in enumerate(kinds)]
    source = "\n".join(lines) + "\n"
    rendered = markdown.markdown(source, extensions=["abbr", "pymdownx.superfences"])
    outside_code_blocks = re.sub(r"<pre>.*?</pre>", "", rendered, flags=re.DOTALL)
    shown = {int(number) + 1 for number in re.findall(r"w(\d+)x", outside_code_blocks)}
    marked = {number for number, line in enumerate(lines, start=1) if re.search(r"w\d+x", line)}
    assert prose_line_numbers(source) & marked == shown
