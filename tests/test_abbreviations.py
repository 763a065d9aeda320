"""Abbreviations an article defines, read as the abbr extension reads them and expanded in article lists."""

from __future__ import annotations

import re

import markdown
from hypothesis import given
from hypothesis import strategies as st

from medsite.markdown.abbreviations import definitions, expand

IMRT = "intensity-modulated radiotherapy"


def test_definitions_are_read_as_the_abbr_extension_reads_them():
    source = ("Text about IMRT and HR.\n\n*[IMRT]: old\n*[HR]: hazard ratio\n\n"
              f"*[IMRT]:   {IMRT}  \n*[HR]: ''\n*[OS]:\n")
    assert definitions(source) == {"IMRT": IMRT}  # the last wins; '' removes one; no expansion, no entry
    rendered = markdown.markdown(source, extensions=["abbr"])
    assert f'<abbr title="{IMRT}">IMRT</abbr>' in rendered and "<abbr title" not in rendered.replace(
        f'<abbr title="{IMRT}">IMRT</abbr>', "")


def test_a_definition_inside_code_is_code():
    source = ("Text.\n\n```text\n*[IMRT]: fenced\n```\n\n    *[HR]: indented\n\n"
              "- item\n\n        *[OS]: indented in a list\n")
    assert definitions(source) == {}


def test_a_page_without_definitions_has_none():
    assert definitions("# Title\n\nNo abbreviations; a [link] and *emphasis*.\n") == {}


def test_each_abbreviation_is_expanded_where_the_page_first_uses_it():
    glossary = {"IMRT": IMRT, "HR": "hazard ratio", "HRQoL": "health-related quality of life"}
    expanded: set[tuple[str, str]] = set()
    assert expand("IMRT: HRQoL and HR, not HRs or xIMRT", glossary, expanded) == [
        ("IMRT", IMRT), (": ", ""), ("HRQoL", "health-related quality of life"), (" and ", ""),
        ("HR", "hazard ratio"), (", not HRs or xIMRT", "")]
    assert expand("IMRT again", glossary, expanded) == [("IMRT again", "")]
    assert expand("IMRT elsewhere", {"IMRT": "image-modulated radiotherapy"}, expanded) == [
        ("IMRT", "image-modulated radiotherapy"), (" elsewhere", "")]  # another meaning is expanded too


def test_text_without_a_glossary_is_one_part():
    assert expand("IMRT?", {}, set()) == [("IMRT?", "")]


@given(st.text(alphabet="IMRT HRx?.-", max_size=40), st.booleans())
def test_the_parts_always_join_back_into_the_text(text, expanded_before):
    glossary = {"IMRT": IMRT, "HR": "hazard ratio"}
    expanded = {("IMRT", IMRT)} if expanded_before else set()
    parts = expand(text, glossary, expanded)
    assert "".join(part for part, _ in parts) == text
    assert all(part for part, _ in parts)
    assert all(glossary[part] == expansion for part, expansion in parts if expansion)


_LINES = st.sampled_from(["*[AB]: first", "*[AB]: second", "*[CD]: third", "*[CD]: ''", "```", "~~~", "",
                          "Some text.", "    *[AB]: indented"])


@given(st.lists(_LINES, max_size=12))
def test_definitions_match_what_the_abbr_extension_renders(lines):
    source = "\n".join(lines) + "\n\nUses AB and CD.\n"
    rendered = markdown.markdown(source, extensions=["abbr", "pymdownx.superfences"])
    shown = {abbreviation: expansion
             for expansion, abbreviation in re.findall(r'<abbr title="([^"]*)">(AB|CD)</abbr>', rendered)}
    assert shown == definitions(source)
