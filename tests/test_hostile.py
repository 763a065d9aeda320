"""Hostile articles (tests/hostile/, one attack per file): the check names file and line, and nothing
executable reaches a page even when the check does not run."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from medsite.extensions.engine import NAME as ENGINE_GUARD
from medsite.extensions.engine import EngineGuardExtension
from medsite.model.project import CITATIONS_EXTENSION
from medsite.safety.html_safety import check_markdown, sanitize_html
from tests.executable import executable_markup
from tests.sitebuild import PROJECT, BuildFailed

HOSTILE = sorted((Path(__file__).parent / "hostile").glob("*.md"))
ATTACK_LINE = 3  # every file: bottom line, blank line, attack
FRONT_MATTER = ("---\ntitle: Is this article safe?\ndescription: It must be.\nstatus: submitted\n"
                "audience: clinician\ntopics: [safety]\nauthors: [editorial-team]\n"
                "submitted: 2025-11-02\n---\n")


@cache
def site_markdown() -> markdown.Markdown:
    """Python-Markdown with the site's own extensions and settings, as MkDocs configures them before our
    hooks run (the citation extension aside, which hooks/citations.py loads; the engine guard told so)."""
    config = load_config(str(PROJECT / "mkdocs.yml"))
    extensions = [EngineGuardExtension.run_by("tests") if name == ENGINE_GUARD else name
                  for name in config.markdown_extensions if name != CITATIONS_EXTENSION]
    return markdown.Markdown(extensions=extensions, extension_configs=config.mdx_configs)


def content_of(page: str) -> str:
    """The article body of a built page (Material's own scripts live outside it)."""
    opening = page.index('<article class="md-content__inner md-typeset"')  # attributes may follow (search's)
    return page[page.index(">", opening) + 1:].split("</article>", 1)[0]


def test_the_corpus_covers_every_attack_the_issue_names():
    names = {path.stem for path in HOSTILE}
    assert {"script-tag", "iframe", "object-embed", "onclick-attribute", "img-onerror", "style-url",
            "javascript-link", "javascript-link-mixed-case", "javascript-link-entities",
            "javascript-link-tab", "data-url-image", "svg-onload", "form-formaction", "base-tag",
            "meta-refresh", "link-tag"} <= names


@pytest.mark.parametrize("path", HOSTILE, ids=lambda path: path.stem)
def test_the_check_names_file_and_line(path):
    problems = check_markdown(path.read_text(encoding="utf-8"), f"docs/articles/{path.name}")
    assert problems, "the attack was not reported"
    assert {(problem.path, problem.line, problem.severity) for problem in problems} == {
        (f"docs/articles/{path.name}", ATTACK_LINE, "error")}


@pytest.mark.parametrize("path", HOSTILE, ids=lambda path: path.stem)
def test_an_article_with_the_attack_fails_the_build_with_file_and_line(tiny_site, path):
    tiny_site.write(f"docs/articles/{path.name}", FRONT_MATTER + path.read_text(encoding="utf-8"))
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    line = ATTACK_LINE + FRONT_MATTER.count("\n")
    assert f"docs/articles/{path.name}:{line}:" in failure.value.log
    assert "Traceback" not in failure.value.log


def test_nothing_executable_reaches_pages_the_check_does_not_cover(tiny_site):
    """Site pages outside docs/articles/ are not checked; the sanitiser still strips every attack."""
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/hostile/benign.md", "# Benign\n\nThe bottom line.\n")
    for path in HOSTILE:
        tiny_site.write(f"docs/hostile/{path.name}", path.read_text(encoding="utf-8"))
    built = tiny_site.build(strict=False)  # MkDocs warns about the odd links; the point is the HTML
    benign_scripts = re.findall(r"<script\b[^>]*>", built.html("hostile/benign.md"))
    for path in HOSTILE:
        page = built.html(f"hostile/{path.name}")
        assert "The bottom line." in page
        assert executable_markup(content_of(page)) == [], path.name
        assert re.findall(r"<script\b[^>]*>", page) == benign_scripts, path.name  # Material's own only


RAW_HTML_PIECES = st.sampled_from([
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil/x.js></SCRIPT>", "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>", "<a href='javascript:alert(1)'>", "<a href=\"jav&#x61;script:x\">",
    "<iframe srcdoc='<script>x</script>'>", "<div ", " onclick=\"x\"", ">", "</div>", "<!--", "-->", "`",
    "```", "\n", "\n\n", "    ", "!!! note\n    ", "[x](javascript:alert(1))", "{ onclick=x }", "<style>",
    "</style>", "<![CDATA[", "]]>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "text", "&lt;script&gt;", "\"", "'",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(RAW_HTML_PIECES, st.text(max_size=8)), max_size=12))
def test_fuzzed_raw_html_never_reaches_the_sanitised_html(pieces):
    source = "".join(pieces)
    html = sanitize_html(site_markdown().reset().convert(source))
    assert "<script" not in html.lower()
    assert executable_markup(html) == []
    check_markdown(source, "fuzz.md")  # never raises
