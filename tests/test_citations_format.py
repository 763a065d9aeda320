"""AMA formatting: names, page ranges, superscripts, links, escaping, and the caches."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from citeproc.model import CitationStylesElement
from citeproc.source import CitationItem
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import zotero_bibliography
from medsite.bibliography import citeproc_fixes, reference_format
from medsite.bibliography.reference_format import format_bibliography
from tests.citation_samples import SEED, SYNTHETIC, load


def formatted(tmp_path, **files):
    return format_bibliography(load(tmp_path, **files), cache_root=None)


def test_name_particles_stay_in_front_of_the_family_name(tmp_path):
    references = formatted(tmp_path, seed=SEED)
    assert references["debono2010tropic"].text.startswith("de Bono JS, Oudard S, Ozguroglu M, et al. ")
    assert "Bono JS de" not in references["debono2010tropic"].text
    assert references["dewit2019card"].text.startswith("de Wit R, de Bono J, Sternberg CN, et al.")


def test_page_ranges_use_an_en_dash_never_two_hyphens(tmp_path):
    references = formatted(tmp_path, seed=SEED, s=SYNTHETIC)
    assert "Lancet</i>. 2010;376:1147\u20131154." in references["debono2010tropic"].html
    assert "2021;3:100\u2013105." in references["smith:2020.x-y"].text
    assert not any("--" in reference.html for reference in references.values())


def test_math_superscripts_become_unicode(tmp_path):
    references = formatted(tmp_path, seed=SEED)
    assert "Cabazitaxel (20 mg/m²) and the Currently Approved Dose (25 mg/m²)" in (
        references["eisenberger2017proselica"].text)
    assert "$" not in references["eisenberger2017proselica"].html


def test_doi_and_pubmed_links(tmp_path):
    html = formatted(tmp_path, seed=SEED)["debono2010tropic"].html
    assert html.endswith('<a href="https://doi.org/10.1016/S0140-6736(10)61389-X">doi:10.1016/S0140-6736(10)61389-X'
                         '</a> <a href="https://pubmed.ncbi.nlm.nih.gov/20888992/">PMID: 20888992</a>')


def test_an_entry_without_pmid_has_no_pubmed_link_and_a_url_stands_in_for_a_doi(tmp_path):
    references = formatted(tmp_path, s=SYNTHETIC)
    assert "pubmed" not in references["alpha"].html
    assert references["gamma"].html.endswith('<a href="https://example.org/gamma">https://example.org/gamma</a>')
    assert references["gamma"].text.startswith("Gamma Working Group. Gamma guideline.")


def test_markup_in_fields_is_escaped(tmp_path):
    reference = formatted(tmp_path, s=SYNTHETIC)["beta"]
    assert "<b>" not in reference.html and "Beta Book &lt;b&gt;&amp;&lt;/b&gt; More" in reference.html
    assert "Beta Book <b>&</b> More" in reference.text


def test_text_has_no_markup_for_title_attributes(tmp_path):
    for reference in formatted(tmp_path, seed=SEED).values():
        assert "<" not in reference.text and "&amp;" not in reference.text


def test_formatting_reads_entries_from_the_disk_cache_in_a_fresh_process(tmp_path):
    bibliography = load(tmp_path, s=f"% {tmp_path}\n{SYNTHETIC}")
    first = format_bibliography(bibliography, cache_root=tmp_path)
    cache = tmp_path / ".cache" / "medsite" / "references.json"
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert len(stored["items"]["entries"]) == len(bibliography.entries)
    text = cache.read_text(encoding="utf-8")
    cache.write_text(text.replace("Alpha trial", "Read from disk"), encoding="utf-8")
    second = format_bibliography(bibliography, cache_root=tmp_path)
    assert "Read from disk" in second["alpha"].html and "Alpha trial" in first["alpha"].html
    assert second["beta"] == first["beta"]


def test_one_process_building_two_projects_writes_each_its_own_disk_cache(tmp_path):
    # The memory a process keeps across builds (mkdocs serve) once returned the second project's references
    # from the first's without writing the second project's .cache/medsite/references.json.
    memory = reference_format.ReferenceCache()
    first_root, second_root = tmp_path / "first", tmp_path / "second"
    first_root.mkdir(), second_root.mkdir()
    first = format_bibliography(load(first_root, s=SYNTHETIC), cache_root=first_root, memory=memory)
    second = format_bibliography(load(second_root, s=SYNTHETIC), cache_root=second_root, memory=memory)
    assert first == second
    for root in (first_root, second_root):
        stored = json.loads((root / ".cache" / "medsite" / "references.json").read_text(encoding="utf-8"))
        assert len(stored["items"]["entries"]) == len(first), root
    formatted_before = reference_format.FORMATTED["entries"]
    assert format_bibliography(load(first_root, s=SYNTHETIC), cache_root=first_root, memory=memory) == first
    assert reference_format.FORMATTED["entries"] == formatted_before  # nothing formatted again


def test_a_changed_entry_is_formatted_again(tmp_path):
    before = format_bibliography(load(tmp_path, s=SYNTHETIC), cache_root=tmp_path)
    after = format_bibliography(load(tmp_path, s=SYNTHETIC.replace("Alpha trial", "Alpha trial, revised")),
                                cache_root=tmp_path)
    assert "Alpha trial, revised" in after["alpha"].text and before["beta"] == after["beta"]


def test_a_batch_split_across_processes_formats_exactly_as_one_batch(tmp_path):
    from medsite.bibliography.citeproc_format import format_entries, format_in_parallel

    entries = list(load(tmp_path, seed=SEED, s=SYNTHETIC).entries.values())
    style = reference_format.AMA_STYLE.read_bytes()
    assert len(entries) >= 6  # three worker processes, two entries or more each
    assert format_in_parallel(entries, style, chunk=2, workers=3) == format_entries(entries, style)


@pytest.mark.parametrize("style", sorted(reference_format.STYLES))
def test_keeping_citeprocs_answers_and_references_formats_as_asking_afresh(tmp_path, monkeypatch, style):
    from medsite.bibliography.citeproc_format import format_entries

    # Journal articles, books, chapters, web pages and reports, with and without authors, DOIs and PMIDs.
    entries = list(load(tmp_path, seed=SEED, s=SYNTHETIC, z=zotero_bibliography(300)).entries.values())
    csl = reference_format.style_file(style).read_bytes()
    kept = format_entries(entries, csl)
    monkeypatch.setattr(CitationStylesElement, "xpath_search", citeproc_fixes.XPATH_SEARCH)
    assert format_entries(entries, csl) == kept
    monkeypatch.setattr(CitationItem, "reference", citeproc_fixes.REFERENCE)  # each reference looked up anew
    assert format_entries(entries, csl) == kept
    assert len({reference.html for reference in kept}) == len(entries)


FRESH_PROCESS = """
import sys
from pathlib import Path
from medsite.bibliography.load import load_bibliography
from medsite.bibliography.reference_format import format_bibliography
root = Path(sys.argv[1])
references = format_bibliography(load_bibliography(root / "references", root=root), cache_root=root)
heavy = sorted(name for name in ("bibtexparser", "pylatexenc", "citeproc", "lxml") if name in sys.modules)
print(len(references), *heavy)
"""


def test_a_cached_bibliography_is_loaded_and_formatted_without_the_parser_or_citeproc(tmp_path):
    """What keeps a warm build fast (benchmarks/bibliography.py): with `.cache/medsite/` filled, a fresh
    process imports neither bibtexparser, pylatexenc, citeproc-py nor lxml."""
    load(tmp_path, s=f"% {tmp_path}\n{SYNTHETIC}")
    command = [sys.executable, "-c", FRESH_PROCESS, str(tmp_path)]
    runs = [subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
            for _ in range(2)]
    assert runs == [["5", "bibtexparser", "citeproc", "lxml", "pylatexenc"], ["5"]]


def _linked_by_pattern(body: str, entry) -> str:
    """The links as a regular expression of the entry's own DOI and URL put them (the code before
    `_linked` used `str.find`): the reference the faster code must agree with."""
    import html
    import re
    from urllib.parse import quote

    from medsite.bibliography.citeproc_format import _link

    targets = {}
    if entry.doi:
        targets[html.escape(entry.doi, quote=False)] = f"https://doi.org/{quote(entry.doi, safe='/:;()-._')}"
    if entry.url:
        targets[html.escape(entry.url, quote=False)] = entry.url
    if not targets:
        return body
    pattern = "|".join(f"(?:doi: ?)?{re.escape(text)}" if text in targets and entry.doi and
                       text == html.escape(entry.doi, quote=False) else re.escape(text)
                       for text in sorted(targets, key=len, reverse=True))

    def link(match: re.Match[str]) -> str:
        printed = match.group(0)
        return _link(targets[printed.removeprefix("doi:").lstrip()] if printed.startswith("doi:") else
                     targets[printed], printed)

    return re.sub(pattern, link, body, count=len(targets))


_PIECES = st.sampled_from(["doi:", "doi: ", "doi:  ", " ", ". ", "<i>x</i>", "&amp;", "10.1/a", "10.1/a.b",
                           "https://e.org/10.1/a", "https://e.org/", "PMID: 1", "a", "b"])


@settings(max_examples=400)
@given(doi=st.one_of(st.none(), st.sampled_from(["10.1/a", "10.1/a.b", "10.1/a&b", "a"])),
       url=st.one_of(st.none(), st.sampled_from(["https://e.org/10.1/a", "https://e.org/", "10.1/a",
                                                 "https://e.org/?a=1&b=2"])),
       pieces=st.lists(_PIECES, max_size=12))
def test_links_found_by_text_are_the_links_the_pattern_found(doi, url, pieces):
    from medsite.bibliography.citeproc_format import _linked
    from medsite.citations.bib_model import Entry

    entry = Entry("k", "article", "refs.bib", 1, {}, doi=doi, url=url)
    body = "".join(pieces)
    assert _linked(body, entry) == _linked_by_pattern(body, entry)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["<i>", "</i>", "<b>", "<script>", "</script>", "<a href='https://e.org/'>",
                                 "<a href=\"javascript:x\" onclick=y>", "</a>", "<sup>2</sup>", "&amp;",
                                 "&lt;", "<span class=x>", "</span>", "<img src=x>", "<!-- c -->", "text",
                                 " ", "é"]), max_size=15))
def test_formatted_markup_is_cleaned_as_nh3_clean_cleans_it(pieces):
    """The cleaners built once clean as `nh3.clean` with the same settings, called afresh each time."""
    import html

    import nh3

    from medsite.bibliography.reference_markup import ENTRY_TAGS, formatted_reference

    markup = "".join(pieces)
    clean = nh3.clean(markup, tags=ENTRY_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https"},
                      link_rel=None)
    found = formatted_reference(markup)
    assert (found.html, found.text) == (clean, html.unescape(nh3.clean(clean, tags=set())))
