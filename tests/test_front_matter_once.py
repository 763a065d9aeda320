"""Front matter is parsed once per build: the build's parse (medsite.markdown.frontmatter) serves the checks,
the catalog and MkDocs, which gets the page's body alone (the adapter's `mkdocs_text`) and its metadata
from that parse (hooks/context.py). Differential against MkDocs' own reader (`mkdocs.utils.meta.get_data`):
handing MkDocs the body must give exactly the body and metadata it reads from the whole source, or the
source is handed whole."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from medsite.core.problems import ProblemsError
from medsite.markdown.frontmatter import parse, split
from medsite.model.sources import page_text
from medsite_mkdocs.adapter import mkdocs_text
from tests.review_samples import TODAY, article
from tests.sitebuild import PROJECT

TRICKY = [
    "---\ntitle: A\n---\n\nBody.\n",
    "---\ntitle: A\n...\nBody.\n",
    "---\ntitle: A\ndate: 2024-02-03\nwhen: 2024-02-03 10:00:00\n---\n\n\n\nBody after blank lines.\n",
    "---\nbase: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n---\nBody.\n",
    "---\ntitle: A\ntitle: B\n---\nDuplicate keys: PyYAML keeps the last.\n",
    "---\nwhen: 2025-13-45\n---\nA date PyYAML cannot read.\n",
    "---\n- a list\n---\nNot a mapping.\n",
    "---\n\n---\nEmpty.\n",
    "---\n[unclosed\n---\nNot YAML.\n",
    "---\n? [a, b]\n: x\n---\nA key PyYAML cannot hash.\n",
    "---\nyes: no\n1: on\nnull: ~\n---\nYAML 1.1 values.\n",
    "---\ntitle: A\n---\n---\nA second block is body.\n",
    "---\ntitle: A\n---\n    indented code\n",
    "---\ntitle: A\n---\ntitle: looks like MultiMarkdown\n\nBody.\n",
    "---\ntitle: A\n---\n",
    "---\ntitle: 'é \u2028 x'\n---\nUnicode.\n",
    "title: MultiMarkdown\nmore: lines\n\nBody.\n",
    "No front matter.\n",
    "\n---\ntitle: not at the start\n---\n",
    "---\nanchors: &a [1, 2]\nagain: *a\n---\nShared values.\n",
]


def _same_as_mkdocs(source: str) -> None:
    """What MkDocs reads from the text the build hands it, with the metadata the build sets, is what MkDocs
    reads from the whole source."""
    source = page_text(source.encode())
    try:
        front = parse(source, "docs/a.md")
    except ProblemsError:
        return  # handed whole (hooks/context.py)
    handed = mkdocs_text(front)
    if handed is None:
        return
    assert get_data(handed) == (front.body, {})
    assert get_data(source) == (front.body, front.data)


@pytest.mark.parametrize("source", TRICKY)
def test_the_body_and_metadata_are_what_mkdocs_reads(source):
    _same_as_mkdocs(source)


def test_every_page_of_the_project_is_handed_to_mkdocs_as_it_reads_it():
    pages = sorted((PROJECT / "docs").rglob("*.md"))
    assert pages
    for path in pages:
        _same_as_mkdocs(path.read_text(encoding="utf-8"))
        front = parse(page_text(path.read_bytes()), "x")
        assert front.data is None or mkdocs_text(front) is not None, f"{path}: parsed twice"


YAML_PIECES = st.sampled_from(["title: A", "a: 1", "a: 1", "b: [1, 2]", "c: {d: e}", "d: 2024-01-02",
                               "e: 2024-02-30", "f: &x 1", "g: *x", "<<: {h: 1}", "- i", "j:", "  k: l",
                               "? m", ": n", "o: 'p", "'q': r", "s: |", "  t", "u: yes", "v: .inf", "# w",
                               "x: !!str 1", "y: !!binary aGk=", "z: !!python/none ''", "\t", "...", ""])
BODY_PIECES = st.sampled_from(["", "\n", "Body.\n", "\n\nBody.\n", "key: value\n\nText.\n", "---\n",
                               "\r\nWindows.\r\n", "    code\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(YAML_PIECES, max_size=8), st.sampled_from(["---", "..."]), BODY_PIECES)
def test_generated_front_matter_is_handed_to_mkdocs_as_it_reads_it(lines, end, body):
    _same_as_mkdocs("---\n" + "".join(line + "\n" for line in lines) + end + "\n" + body)


def _yaml_texts_during(build) -> list[str]:
    """The text of every YAML loader made while `build()` runs, seen by a profile function (nothing is
    replaced): libyaml reads each text once per loader."""
    texts: list[str] = []

    def profile(frame, event: str, arg) -> None:  # noqa: ARG001
        code = frame.f_code
        if event == "call" and code.co_name == "__init__" and code.co_filename.endswith(
                ("yaml/cyaml.py", "yaml/loader.py")) and isinstance(frame.f_locals.get("stream"), str):
            texts.append(frame.f_locals["stream"])

    sys.setprofile(profile)
    try:
        build()
    finally:
        sys.setprofile(None)
    return texts


def test_each_page_front_matter_is_parsed_once_per_build(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", ("---\ntitle: Home\nhide: [toc]\n---\n\n# Home\n\n"
                                      "See [a](articles/a.md).\n"))
    tiny_site.write("docs/articles/a.md", article("Cited text [@debono2010tropic].\n\n## Safety\n\nMore.\n"))
    tiny_site.write("docs/articles/b.md", article("Another answer.\n", audience="patient"))
    sources = {path: page_text((tiny_site.docs / path).read_bytes())
               for path in ("index.md", "articles/a.md", "articles/b.md")}
    built = []
    texts = _yaml_texts_during(lambda: built.append(tiny_site.build()))
    for path, source in sources.items():
        block, _, _ = split(source)
        assert texts.count(block) == 1, (path, texts.count(block))
    html = built[0].html("articles/b.md")
    assert "Another answer." in html and "<h1" in html


def test_a_page_mkdocs_reads_whole_still_builds_as_before(tiny_site):
    """A site page whose YAML is no mapping: MkDocs reads the whole source, as it always did."""
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "title: Home\n\n# Welcome\n\nText.\n")
    assert "Welcome" in tiny_site.build().html("index.md")
