"""Arbitrary text never breaks the scanner, the check or the renderer: a user mistake is a Problem,
never an exception (the renderer flags what it cannot render; the build then reports it)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from medsite.citations.syntax import check_citations, only_known_citations, scan
from tests.citation_samples import SYNTHETIC, load, renderer

PIECES = [*"[]@;,.:-`~ \t\n>*#!?=|\\/_(){}\"'", "alpha", "beta", "p 3", "    ", "```", "- ", "1. ",
          "!!! note", "---", "[@alpha]", "[@alpha; @beta, p 3]"]
MARKDOWNISH = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


@pytest.fixture(scope="module")
def bibliography(tmp_path_factory):
    return load(tmp_path_factory.mktemp("bib"), s=SYNTHETIC)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(MARKDOWNISH, st.text(max_size=200)))
def test_scanner_and_check_accept_any_text(bibliography, text):
    found = scan(text)
    problems = check_citations("docs/a.md", text, bibliography)
    assert len(problems) >= len(found.malformed)
    assert all(p.line is not None and p.line >= 1 and p.col >= 1 for p in problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(MARKDOWNISH, st.text(max_size=200)))
def test_renderer_accepts_any_text(bibliography, text):
    html = renderer(bibliography).convert(text)
    assert html.count('id="references"') <= 1


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(MARKDOWNISH, st.text(max_size=200)))
@example(text="\\@@alphaalpha")  # found by this test: the escape hides the @ before the key (an in-text key)
@example(text="x\\.@alphaalpha")
def test_the_builds_quick_check_never_passes_a_page_the_scan_would_fail(bibliography, text):
    if only_known_citations(text, bibliography.entries):
        assert check_citations("docs/a.md", text, bibliography) == []
