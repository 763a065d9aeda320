"""The citation scanner: what it finds, where (file line and column), and what it leaves alone."""

from __future__ import annotations

import pytest

from medsite.citations.syntax import (
    check_citations,
    check_site_citations,
    only_known_citations,
    scan,
    uncited_entries,
)
from tests.citation_samples import SYNTHETIC, load


def keys(source: str) -> list[str]:
    return scan(source).keys


def test_single_key():
    found = scan("Survival improved [@alpha].\n")
    assert [(g.text, g.line, g.col) for g in found.groups] == [("[@alpha]", 1, 19)]
    assert found.groups[0].items[0].locator is None


def test_two_keys_in_one_group():
    assert keys("Both [@alpha; @beta].") == ["alpha", "beta"]


def test_locator_is_kept_with_its_key():
    items = scan("See [@alpha, p 12; @beta].").groups[0].items
    assert [(item.key, item.locator) for item in items] == [("alpha", "p 12"), ("beta", None)]


@pytest.mark.parametrize("key", ["smith:2020", "Jarse.2023", "de-bono-2010", "smith:2020.x-y", "a_b/c+d"])
def test_keys_may_contain_dot_colon_and_dash(key):
    assert keys(f"Cited [@{key}].") == [key]


def test_trailing_punctuation_is_not_part_of_a_key():
    found = scan("Cited [@alpha.].")
    assert found.groups == [] and [m.text for m in found.malformed] == ["[@alpha.]"]


def test_lines_and_columns_are_the_files_own_front_matter_included():
    source = "---\ntitle: T\n---\n\nFirst line.\nA group [@alpha;\n  @beta] spans lines.\n"
    group = scan(source).groups[0]
    assert (group.line, group.col) == (6, 9)
    assert [(i.key, i.line, i.col) for i in group.items] == [("alpha", 6, 10), ("beta", 7, 3)]


@pytest.mark.parametrize("source", [
    "Code `[@alpha]` here.",
    "Code ``a `[@alpha]` b`` here.",
    "```\n[@alpha]\n```\n",
    "~~~\n[@alpha]\n~~~\n",
    "```python title=\"x\"\n[@alpha]\n```\n",
    "- item\n\n    ```\n    [@alpha]\n    ```\n",
    "Text.\n\n    [@alpha]\n",
    "- item\n\n        [@alpha]\n",
    "!!! note\n\n        [@alpha]\n",
    "Escaped \\@alpha.",
])
def test_code_and_escapes_are_not_scanned(source):
    assert keys(source) == []


@pytest.mark.parametrize("source", [
    "- item [@alpha]\n",
    "- item\n\n    continued [@alpha]\n",
    "!!! note \"Title\"\n    Inside [@alpha].\n",
    "??? note\n\n    Inside [@alpha].\n",
    "=== \"Tab\"\n\n    Inside [@alpha].\n",
    "Text.\n[^1]\n\n[^1]: A note [@alpha].\n",
    "```\nnot closed [@alpha]\n",
    "  ```\n  [@x]\n```\n[@alpha]\n",
    "Unclosed `code [@alpha]",
    "| a | b |\n|---|---|\n| [@alpha] | x |\n",
])
def test_prose_in_containers_and_unclosed_fences_is_scanned(source):
    assert "alpha" in keys(source)


@pytest.mark.parametrize("source", [
    "Write to me@example.org.",
    "Write to [me@example.org].",
    "Mail <mailto:team@example.org> or <team@example.org>.",
    "Escaped \\@alpha alone.",
    "A path https://example.org/@alpha or a/@alpha.",
])
def test_email_addresses_and_bare_at_signs_are_not_citations(source):
    found = scan(source)
    assert found.groups == [] and found.malformed == []


@pytest.mark.parametrize("written", ["[@]", "[@alpha @beta]", "[@alpha.]", "[@ alpha]"])
def test_malformed_groups_are_reported_not_skipped(tmp_path, written):
    problems = check_citations("docs/a.md", f"x\n\nText {written} end.\n", load(tmp_path, s=SYNTHETIC))
    assert [(p.line, p.col, p.severity) for p in problems] == [(3, 6, "error")]
    assert written.split("]")[0] in problems[0].message and "expected [@key]" in problems[0].message


def test_unknown_key_names_file_line_column_and_nearest_keys(tmp_path):
    source = "---\ntitle: T\n---\nKnown [@alpha], unknown [@smith:2020.x-z; @alpah].\n"
    problems = check_citations("docs/articles/a.md", source, load(tmp_path, s=SYNTHETIC))
    assert [(p.path, p.line, p.col) for p in problems] == [("docs/articles/a.md", 4, 26),
                                                           ("docs/articles/a.md", 4, 43)]
    assert "unknown citation key 'smith:2020.x-z'" in problems[0].message
    assert "nearest: smith:2020.x-y" in problems[0].message
    assert "nearest: alpha" in problems[1].message


def test_uncited_entries_are_warnings_at_their_entry(tmp_path):
    bibliography = load(tmp_path, s=SYNTHETIC)
    found = uncited_entries(bibliography, ["alpha", "beta", "gamma", "delta"])
    assert [(p.path, p.line, p.severity) for p in found] == [("references/s.bib", 10, "warning")]
    assert "'smith:2020.x-y' is not cited" in found[0].message


def test_site_check_combines_bibliography_citation_and_uncited_problems(tmp_path):
    bare = "@article{bare,\n  title = {Bare},\n  journal = {J},\n  year = {2020}\n}\n"
    bibliography = load(tmp_path, s=SYNTHETIC, extra=bare)
    sources = {"docs/a.md": "[@alpha; @beta]\n", "docs/b.md": "[@gamma] [@delta] [@nope]\n"}
    problems = check_site_citations(sources, bibliography)
    found = {(p.path, p.line, p.severity, p.message.split(";")[0]) for p in problems}
    assert found == {
        ("references/extra.bib", 1, "warning", "journal article 'bare' has neither doi nor pmid"),
        ("references/extra.bib", 1, "warning", "entry 'bare' is not cited by any page"),
        ("references/s.bib", 10, "warning", "entry 'smith:2020.x-y' is not cited by any page"),
        ("docs/b.md", 1, "error", "unknown citation key 'nope' in [@nope]"),
    }


@pytest.mark.parametrize(("source", "quick", "problems"), [
    ("No citations.\n", True, 0),
    ("Text [@alpha; @beta, p 3] and [@alpha].\n", True, 0),
    ("Escaped \\@alpha is no citation and no problem.\n", True, 0),
    ("Unknown [@omega].\n", False, 1),
    ("Malformed [@ alpha].\n", False, 1),
    # The full scan decides: how a paragraph's lines join, what is code.
    ("A group [@alpha;\n@beta] over two lines.\n", False, 0),
    ("Code `@omega` is no problem.\n", False, 0),
])
def test_quick_check_passes_only_pages_the_scan_would_pass(tmp_path, source, quick, problems):
    assert only_known_citations(source, {"alpha", "beta"}) is quick
    assert len(check_citations("a.md", source, load(tmp_path, s=SYNTHETIC))) == problems
