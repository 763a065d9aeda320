"""The Markdown extension: numbers by first use, compression, links to the list's entries, the keys it
hands to the list, and code left alone; and the scanner agreeing with the renderer on what is a citation."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medsite.bibliography.reference_format import format_bibliography
from medsite.citations.syntax import check_citations, scan
from medsite.extensions.citations import CitationsExtension, compress, reference_list
from medsite.extensions.flags import problems
from tests.citation_samples import SYNTHETIC, load, render, render_numbered, renderer

KEYS = ["alpha", "smith:2020.x-y", "beta", "gamma", "delta"]


@pytest.fixture(scope="module")
def bibliography(tmp_path_factory):
    return load(tmp_path_factory.mktemp("bib"), s=SYNTHETIC)


def numbers(html: str) -> list[str]:
    """The printed citation groups: link texts and locators, as a reader sees them."""
    groups = re.findall(r'<sup class="medsite-cite">(.*?)</sup>', html, re.DOTALL)
    return [re.sub(r"<[^>]+>", "", group) for group in groups]


def test_single_citation_links_to_its_entry_as_a_footnote_reference(bibliography):
    html, listed = render_numbered(bibliography, "Survival improved [@alpha].")
    assert ('<p>Survival improved<sup class="medsite-cite"><a class="footnote-ref" href="#ref-alpha">1</a>'
            '</sup>.</p>') in html
    assert listed == ["alpha"]


def test_group_of_two(bibliography):
    assert numbers(render(bibliography, "Both [@alpha; @beta].")) == ["1,2"]


def test_locator_follows_its_number(bibliography):
    html = render(bibliography, "See [@alpha, p 12; @beta].")
    assert numbers(html) == ["1(p 12),2"]


def test_numbers_follow_first_use_and_repeated_keys_reuse_theirs(bibliography):
    html, listed = render_numbered(bibliography,
                                   "First [@beta]. Then [@alpha]. Again [@beta].\n\n- Both [@alpha; @beta]\n")
    assert numbers(html) == ["1", "2", "1", "1,2"]
    assert listed == ["beta", "alpha"]


def test_adjacent_numbers_compress_with_an_en_dash(bibliography):
    html = render(bibliography, "All [@gamma; @alpha; @beta].")
    assert numbers(html) == ["1\u20133"]
    assert ('<a class="footnote-ref" href="#ref-gamma">1</a>\u2013'
            '<a class="footnote-ref" href="#ref-beta">3</a>') in html


def test_compression_keeps_gaps(bibliography):
    source = ("[@alpha] [@beta] [@gamma] [@delta] [@smith:2020.x-y]\n\n"
              "Later [@smith:2020.x-y; @alpha; @delta; @gamma].")
    assert numbers(render(bibliography, source))[-1] == "1,3\u20135"


@pytest.mark.parametrize(("given_numbers", "printed"), [
    ([1, 2, 3], [(1, 3)]),
    ([1, 2], [(1, 1), (2, 2)]),
    ([5, 1, 3, 4], [(1, 1), (3, 5)]),
    ([2, 2, 1], [(1, 1), (2, 2)]),
    ([], []),
])
def test_compress(given_numbers, printed):
    assert compress(given_numbers) == printed


def test_keys_with_dot_colon_and_dash(bibliography):
    html, listed = render_numbered(bibliography, "See [@smith:2020.x-y].")
    assert '<a class="footnote-ref" href="#ref-smith:2020.x-y"' in html and listed == ["smith:2020.x-y"]


def test_reference_list_is_left_out_of_the_converted_markdown(bibliography):
    """The template prints it after the content, so search and the sanitiser never parse it."""
    html, listed = render_numbered(bibliography, "A [@alpha].\n\nB [@beta].")
    assert listed == ["alpha", "beta"]
    assert "References" not in html and "Alpha trial" not in html


def test_reference_list_rows_hold_the_sanitised_entries_in_number_order(bibliography):
    references = format_bibliography(bibliography, cache_root=None)
    rows = reference_list(["beta", "alpha"], references)
    assert [row["id"] for row in rows] == ["ref-beta", "ref-alpha"]
    assert rows[1]["html"].startswith("Alpha A. Alpha trial. <i>J Test</i>.")
    assert "<b>" not in rows[0]["html"]  # the title's markup is text, not tags


def test_page_without_citations_hands_on_no_keys(bibliography):
    html, listed = render_numbered(bibliography, "No citations, only me@example.org.")
    assert listed == [] and "medsite-cite" not in html


def test_keys_are_handed_on_once(bibliography):
    """Taking the keys clears them: a page converted without citations never gets another's list."""
    extension = CitationsExtension(bibliography, format_bibliography(bibliography, cache_root=None))
    renderer(bibliography, extension).convert("A [@alpha].")
    assert extension.take_numbered() == ["alpha"]
    assert extension.take_numbered() == []


@pytest.mark.parametrize("source", [
    "Code `[@alpha]` here.",
    "```\n[@alpha]\n```",
    "~~~\n[@alpha]\n~~~",
    "Text.\n\n    [@alpha]",
])
def test_code_is_left_untouched(bibliography, source):
    html, listed = render_numbered(bibliography, source)
    assert "[@alpha]" in html and "medsite-cite" not in html and listed == []


def test_email_address_is_not_a_citation(bibliography):
    html = render(bibliography, "Write to me@example.org or [me@example.org].")
    assert "medsite-cite" not in html and "[me@example.org]" in html


def test_unknown_key_is_flagged_with_its_line_not_dropped(bibliography):
    source = "Fine [@alpha].\n\nBroken [@alpah] here.\n"
    html = render(bibliography, source)
    assert "[@alpah]" in html
    found = problems("docs/a.md", source, html)
    assert [(p.path, p.line) for p in found] == [("docs/a.md", 3)]
    # the scan's own wording, so whichever path reports it, a contributor reads one message
    assert found[0].message == check_citations("docs/a.md", source, bibliography)[0].message
    assert found[0].message.startswith("unknown citation key 'alpah' in [@alpah]; expected a key from")
    assert "nearest: alpha" in found[0].message


# --- the scanner and the renderer agree ---------------------------------------------------------------

GROUPS = st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(["", ", p 3", ", pp 4-5"])),
                  min_size=1, max_size=3).map(lambda items: "[" + "; ".join(f"@{k}{loc}" for k, loc in items)
                                              + "]")
WRAPPERS = [
    "{c}", "Text {c} more.", "- item {c}\n- other", "1. first {c}", "!!! note\n    In a note {c}.",
    '!!! note "Title {c}"\n    Body.', "??? question\n    Hidden {c}.", '=== "Tab"\n\n    Tab {c}.',
    "> quoted {c}", "| a | b |\n|---|---|\n| {c} | x |", "Term\n:   Definition {c}", "## Heading {c}",
    "`code {c}`", "```\n{c}\n```", "~~~\n{c}\n~~~", "    indented {c}", "- item\n\n        code {c}",
    "- item\n\n    paragraph {c}", "\\{c}", "*emphasis {c}*", "/// audience | patient\nPatient {c}\n///",
    "- item\n\n    ```\n    {c}\n    ```", "Line one\n    lazy {c}",
    "- item\n\n    !!! note\n        Nested note {c}", "!!! note\n    - item {c}\n\n            code {c}",
    "- a\n    - nested {c}\n\n            code {c}", "Text\n- not a list {c}\n\n    code {c}",
    "  ```\n  {c}\n```", "```\n{c}", "``` not-a-fence\n{c}\n```",
    "1. one\n\n    ~~~\n    {c}\n    ~~~\n\n    after {c}",
]
DOCUMENTS = st.lists(st.tuples(st.sampled_from(WRAPPERS), GROUPS).map(lambda pair: pair[0].format(c=pair[1])),
                     max_size=6).map("\n\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(DOCUMENTS)
def test_scanner_and_renderer_agree_on_cited_keys_and_their_order(bibliography, document):
    assert render_numbered(bibliography, document)[1] == list(dict.fromkeys(scan(document).keys))


def test_scanner_and_renderer_agree_on_citations_in_footnotes(bibliography):
    document = "Text[^1] [@beta].\n\n[^1]: A note [@alpha; @gamma].\n"
    assert set(render_numbered(bibliography, document)[1]) == set(scan(document).keys)
    assert set(scan(document).keys) == {"alpha", "beta", "gamma"}
