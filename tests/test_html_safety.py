"""Level 1: the raw-HTML source check and the sanitiser's allow-list, as pure functions."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medsite.model.project import load_project
from medsite.model.sources import load_sources
from medsite.safety.html_safety import (
    _markdown_findings,
    _url_problem,
    check_articles,
    check_markdown,
    sanitize_html,
    url_scheme,
)

FRONT = "---\ntitle: A question?\n---\n"


def found(body: str) -> list[tuple[int, int, str]]:
    """(line, col, message) of each problem in an article whose body starts on line 4."""
    return [(p.line, p.col, p.message) for p in check_markdown(FRONT + body, "docs/articles/a.md")]


@pytest.mark.parametrize("element", ["script", "iframe", "object", "embed", "form", "base", "meta",
                                     "link", "style", "SCRIPT"])
def test_each_executable_element_is_reported_with_line_and_column(element):
    problems = check_markdown(FRONT + f"Text.\n\nSome <{element} x=1>y</{element}>\n", "docs/articles/a.md")
    assert [(p.path, p.line, p.col, p.severity) for p in problems] == [("docs/articles/a.md", 6, 6, "error")]
    assert f"<{element.lower()}> element" in problems[0].message


@pytest.mark.parametrize("attribute", ["onclick", "onerror", "ONMOUSEOVER", "onload"])
def test_event_handler_attributes_are_reported(attribute):
    [(line, col, message)] = found(f'<img src="a.png" {attribute}="alert(1)">\n')
    assert (line, col) == (4, 1)
    assert f"event-handler attribute {attribute.lower()}=" in message


@pytest.mark.parametrize("style", ["background: url(x)", "background:URL( x )", "width: expression(alert(1))",
                                   r"background: u\72l(x)", "background: u/**/rl(x)"])
def test_style_attributes_that_fetch_or_run_are_reported(style):
    [(_, _, message)] = found(f'<p style="{style}">x</p>\n')
    assert "style attribute" in message


def test_harmless_style_is_not_reported():
    assert found('<p style="color: red">x</p>\n') == []


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "jav&#x61;script:alert(1)",
                                  "jav&#97;script:alert(1)", "jav\tascript:alert(1)", "jav&Tab;ascript:x",
                                  " \x01javascript:x", "vbscript:msgbox(1)", "data:text/html,<b>x</b>"])
def test_executable_urls_in_html_are_reported(href):
    [(line, _, message)] = found(f'Text <a href="{href}">x</a>\n')
    assert line == 4
    assert "executable" in message and "href= on <a>" in message


@pytest.mark.parametrize("markup", ['<form action="javascript:x"></form>',
                                    '<button formaction="javascript:x">',
                                    '<svg><a xlink:href="javascript:x">y</a></svg>',
                                    '<img src="data:image/png,x">'])
def test_other_url_attributes_are_reported(markup):
    assert any("executable" in message for _, _, message in found(markup + "\n"))


@pytest.mark.parametrize("markdown_text", ["[x](javascript:alert(1))", "[x](<JavaScript:alert(1)>)",
                                           "[x](jav&#x61;script:alert(1))", "![i](data:image/svg+xml,<svg>)",
                                           "[x][r]\n\n[r]: javascript:alert(1)"])
def test_executable_urls_in_markdown_links_are_reported(markdown_text):
    problems = found(markdown_text + "\n")
    assert problems and all("Markdown link or image" in message for _, _, message in problems)


def test_attribute_lists_cannot_add_handlers_or_urls():
    problems = found('## Heading { onclick="alert(1)" }\n\n[x](y.md){ href="javascript:alert(1)" }\n')
    assert [(line, "attribute list" in message) for line, _, message in problems] == [(4, True), (6, True)]


def test_safe_links_and_markup_are_not_reported():
    text = ("[a](https://example.org) [b](other.md#x) [c](mailto:a@b.org) ![d](img/x.png)\n\n"
            '<div markdown class="note" id="n" title="t"><abbr title="x">X</abbr><sup>1</sup></div>\n')
    assert found(text) == []


def test_code_spans_and_fenced_blocks_are_left_alone():
    text = ("Write `<script>alert(1)</script>` or ``a `<iframe>` b``.\n\n"
            "```html\n<script>alert(1)</script>\n[x](javascript:alert(1))\n```\n\n"
            "  ~~~~\n  <object></object>\n  ~~~~\n")
    assert found(text) == []


def test_an_unclosed_fence_is_not_code():
    assert [line for line, _, _ in found("```\n<script>alert(1)</script>\n")] == [5]


def test_front_matter_is_not_scanned():
    assert check_markdown("---\ntitle: <script>x</script>\n---\nBody.\n", "a.md") == []


def test_a_backtick_inside_a_tag_does_not_hide_its_attributes():
    # Python-Markdown keeps this onclick live (the code span only eats the attribute text between).
    text = 'a <span title="`" onclick="alert(1)" title="`">x</span>\n'
    assert "onclick" in markdown.markdown(text)
    [(line, col, message)] = found(text)
    assert (line, col) == (4, 3) and "onclick=" in message


def test_a_code_span_cannot_open_a_script_that_hides_later_tags():
    text = "`<script>` then <img src=x onerror=alert(1)> then `</script>`\n"
    assert [message.split(";")[0] for _, _, message in found(text)] == [
        "found an event-handler attribute onerror= on <img>"]


@pytest.mark.parametrize(("url", "scheme"), [("https://x", "https"), ("JAVASCRIPT:x", "javascript"),
                                              ("java\nscript:x", "javascript"), ("other.md", None),
                                              ("/a:b", None), ("#x", None)])
def test_url_scheme_reads_urls_as_browsers_do(url, scheme):
    assert url_scheme(url) == scheme


# --- the sanitiser ---


def test_sanitiser_removes_everything_executable():
    dirty = ('<script>alert(1)</script><iframe src="x"></iframe>'
             '<p onclick="x" style="background:url(x)">p</p>'
             '<a href="javascript:alert(1)">j</a><a href="jav&#x61;script:x">e</a>'
             '<img src="data:image/png,x">'
             '<svg onload="alert(1)"><path d="M0 0"/></svg>'
             '<form action="x"><input type="text" name="q"></form>'
             '<object data="x"></object><embed src="x"><base href="//evil"><meta http-equiv="refresh">'
             '<link rel="stylesheet" href="x"><style>*{}</style>')
    clean = sanitize_html(dirty)
    for needle in ("<script", "<iframe", "onclick", "onload", "style", "javascript", "data:", "<form",
                   "<object", "<embed", "<base", "<meta", "<link", "alert", 'type="text"', "name="):
        assert needle not in clean.lower()
    assert "<p>p</p>" in clean and "<svg><path" in clean


def test_sanitiser_keeps_tabbed_radio_inputs_only():
    tabbed = ('<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked="checked" '
              'id="__tabbed_1_1" name="__tabbed_1" type="radio"><label for="__tabbed_1_1">A</label></div>')
    assert sanitize_html(tabbed) == tabbed
    assert sanitize_html('<input type="checkbox" name="q" onfocus="x" autofocus>') == "<input>"


def test_sanitiser_keeps_theme_ids_and_classes_out_of_content():
    clean = sanitize_html('<div id="__config" class="md-header admonition note unknown-class">x</div>'
                          '<label for="__search">s</label><h2 id="results">r</h2>')
    assert clean == '<div class="admonition note">x</div><label>s</label><h2 id="results">r</h2>'


def test_sanitiser_allows_the_project_and_reader_attributes():
    html = ('<div class="audience-block" data-audience="patient" data-search-exclude="" hidden="" '
            'aria-label="For patients"><p class="audience-block__label">For patients</p></div>'
            '<a class="evidence-badge" data-grade="1A" href="../evidence-grades/#grade" title="Strong">1A</a>'
            '<table><tr><th align="right">n</th></tr></table>')
    assert sanitize_html(html) == html.replace("<table><tr>", "<table><tbody><tr>").replace(
        "</tr></table>", "</tr></tbody></table>")


def test_pymdown_output_survives_sanitising():
    source = ("Text[^1] with `code` and MCRPC.\n\n## Heading { #custom-id }\n\n"
              "!!! note \"A note\"\n    Body.\n\n"
              "???+ warning \"Details\"\n    Hidden.\n\n"
              "=== \"One\"\n    First.\n\n=== \"Two\"\n    Second.\n\n"
              "| a | b |\n| :- | -: |\n| 1 | 2 |\n\n```python\ndef f(x):\n    return x\n```\n\n"
              "H~2~O<sup>3</sup>\n\n*[MCRPC]: metastatic castration-resistant prostate cancer\n\n"
              "[^1]: Note.\n")
    html = markdown.markdown(source, extensions=[
        "abbr", "admonition", "attr_list", "footnotes", "md_in_html", "toc", "pymdownx.details",
        "pymdownx.superfences", "pymdownx.tabbed", "tables"], extension_configs={
        "toc": {"permalink": True}, "pymdownx.tabbed": {"alternate_style": True},
        "tables": {"use_align_attribute": True}})
    clean = sanitize_html(html)
    for kept in ('<h2 id="custom-id">', '<a class="headerlink" href="#custom-id" title="Permanent link">',
                 '<div class="admonition note">', '<p class="admonition-title">A note</p>',
                 '<details class="warning" open="open">', "<summary>Details</summary>",
                 '<input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio">',
                 '<label for="__tabbed_1_2">Two</label>', '<div class="tabbed-block">',
                 '<th align="left">a</th>', '<td align="right">2</td>',
                 '<div class="highlight"><pre><span></span><code><span class="k">def</span>',
                 '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
                 '<li id="fn:1">', 'class="footnote-backref" href="#fnref:1"',
                 '<abbr title="metastatic castration-resistant prostate cancer">MCRPC</abbr>',
                 "<sup>3</sup>"):
        assert kept in clean, kept


def test_check_articles_reports_articles_only(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    (tmp_path / "docs" / "articles").mkdir(parents=True)
    (tmp_path / "docs" / "articles" / "a.md").write_text(FRONT + "<script>x</script>\n", encoding="utf-8")
    (tmp_path / "docs" / "about.md").write_text("<script>x</script>\n", encoding="utf-8")
    project = load_project(tmp_path / "mkdocs.yml")
    problems = check_articles(project, load_sources(project))
    assert [(p.path, p.line) for p in problems] == [("docs/articles/a.md", 4)]


# The line-start pattern the reference-definition check used before it searched from `]:` (which tried every
# position of the file): the faster search must find the same definitions, at the same offsets.
LINE_START_DEFINITION = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(?P<url>[^\s>]+)", re.MULTILINE)
DEFINITION_PIECES = [*"[]: \t\n<>x\\", "    ", "javascript:y", "]:", "[a]", "&#106;avascript:"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(DEFINITION_PIECES), max_size=40).map("".join))
def test_reference_definitions_are_found_where_a_line_start_pattern_finds_them(text):
    expected = [(m.start(), message) for m in LINE_START_DEFINITION.finditer(text)
                if (message := _url_problem(html.unescape(m.group("url")).replace("\\", ""),
                                            "a Markdown link or image"))]
    assert [(f.offset, f.message) for f in _markdown_findings(text)] == expected
