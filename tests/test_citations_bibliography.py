"""Loading references/: entries with their lines, and every mistake in a .bib file as file:line."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from medsite.bibliography.bibtex_text import _DECODER, decode, plain
from medsite.bibliography.load import load_bibliography
from tests.citation_samples import SEED, SYNTHETIC, load

ONE = "@article{one,\n  title = {One},\n  journal = {J Test},\n  year = {2020},\n  doi = {10.5555/one}\n}\n"


def test_entries_know_their_file_and_1_based_line(tmp_path):
    bibliography = load(tmp_path, s=SYNTHETIC)
    assert bibliography.problems == []
    assert bibliography.entries["alpha"].where == "references/s.bib:1"
    assert bibliography.entries["smith:2020.x-y"].where == "references/s.bib:10"


def test_the_seed_bibliography_loads_without_errors(tmp_path):
    bibliography = load(tmp_path, seed=SEED)
    assert [p for p in bibliography.problems if p.severity == "error"] == []
    assert len(bibliography.entries) == 20


def test_duplicate_key_in_one_file_names_both_lines(tmp_path):
    bibliography = load(tmp_path, s=ONE + "\n" + ONE)
    assert [(p.path, p.line, p.severity) for p in bibliography.problems] == [("references/s.bib", 8, "error")]
    assert "duplicate key 'one': already defined at references/s.bib:1" in bibliography.problems[0].message


def test_duplicate_key_across_files_names_both_locations(tmp_path):
    bibliography = load(tmp_path, a=ONE, b="\n\n" + ONE)
    assert [(p.path, p.line) for p in bibliography.problems] == [("references/b.bib", 3)]
    assert "already defined at references/a.bib:1" in bibliography.problems[0].message


def test_keys_differing_only_in_case_are_a_problem(tmp_path):
    bibliography = load(tmp_path, a=ONE, b=ONE.replace("{one,", "{One,"))
    assert [(p.path, p.line) for p in bibliography.problems] == [("references/b.bib", 1)]
    assert "differs only in case from 'one' at references/a.bib:1" in bibliography.problems[0].message


def test_malformed_entry_is_a_problem_with_file_and_line(tmp_path):
    broken = ONE + "\n@article{broken,\n  title = {Never closed,\n  year = 2020\n\n"
    broken += ONE.replace("one", "two")
    bibliography = load(tmp_path, s=broken)
    assert [(p.path, p.line, p.severity) for p in bibliography.problems] == [("references/s.bib", 8, "error")]
    assert "malformed BibTeX entry (parsing stopped at line 12)" in bibliography.problems[0].message
    assert set(bibliography.entries) == {"one", "two"}


def test_duplicate_field_is_a_problem(tmp_path):
    bibliography = load(tmp_path, s=ONE.replace("  year", "  year = {2019},\n  year"))
    assert [(p.line, p.severity) for p in bibliography.problems] == [(1, "error")]
    assert "sets year more than once" in bibliography.problems[0].message


def test_file_that_is_not_utf8_is_a_problem_on_its_line(tmp_path):
    folder = tmp_path / "references"
    folder.mkdir()
    (folder / "latin.bib").write_bytes(b"% ok\n@article{x, title = {G\xe9czi}}\n")
    bibliography = load_bibliography(folder, root=tmp_path, use_disk_cache=False)
    assert [(p.path, p.line) for p in bibliography.problems] == [("references/latin.bib", 2)]
    assert "not UTF-8" in bibliography.problems[0].message


def test_missing_references_folder_is_a_problem(tmp_path):
    bibliography = load_bibliography(tmp_path / "nowhere", root=tmp_path)
    assert [(p.path, p.severity) for p in bibliography.problems] == [("nowhere", "error")]


def test_journal_article_without_doi_or_pmid_is_a_warning_naming_it(tmp_path):
    bibliography = load(tmp_path, s=ONE.replace("  doi = {10.5555/one}\n", ""))
    assert [(p.path, p.line, p.severity) for p in bibliography.problems] == [
        ("references/s.bib", 1, "warning")]
    assert "journal article 'one' has neither doi nor pmid" in bibliography.problems[0].message
    assert "one" in bibliography.entries  # still usable


def test_a_pmid_alone_is_enough(tmp_path):
    assert load(tmp_path, s=SYNTHETIC).entries["delta"].pmid == "1"


def test_bad_identifiers_are_problems_on_their_field_line(tmp_path):
    text = ONE.replace("10.5555/one", "one")
    text = text.replace("  year", "  pmid = {PMC123},\n  url = {ftp://x},\n  year")
    messages = {p.line: p.message for p in load(tmp_path, s=text).problems}
    assert "is not a DOI" in messages[7]
    assert "is not a PubMed id" in messages[4]
    assert "is not a web address" in messages[5]


def test_unknown_entry_type_and_missing_title_are_problems(tmp_path):
    problems = load(tmp_path, s="@artcle{x,\n  title = {X}\n}\n@misc{y,\n  year = {2020}\n}\n").problems
    assert [(p.line, p.severity) for p in problems] == [(1, "error"), (4, "error")]
    assert "unknown type @artcle" in problems[0].message and "has no title" in problems[1].message


def test_doi_written_as_a_link_is_stored_bare(tmp_path):
    bibliography = load(tmp_path, s=ONE.replace("10.5555/one", "https://doi.org/10.5555/one"))
    assert bibliography.entries["one"].doi == "10.5555/one"


def test_names_keep_their_particles_and_corporate_authors_stay_whole(tmp_path):
    bibliography = load(tmp_path, seed=SEED)
    assert bibliography.entries["debono2010tropic"].csl["author"][0] == {
        "family": "Bono", "given": "Johann Sebastian", "non-dropping-particle": "de"}
    eau = bibliography.entries["eau2024prostate"]
    assert eau.csl["author"] == [{"literal": "European Association of Urology"}]
    assert bibliography.entries["hartsell2005rtog9714"].csl["author"][5] == {
        "family": "Roach", "given": "Mack", "suffix": "III"}
    assert bibliography.entries["hussain2020profoundos"].csl["author"][-1] == {"literal": "et al"}


def test_latex_is_decoded_to_unicode(tmp_path):
    csl = load(tmp_path, s=SYNTHETIC).entries["smith:2020.x-y"].csl
    assert csl["title"] == "Punctuated keys at 20 mg/m² with PSMA — a test"
    assert csl["page"] == "100–105"


def test_a_fresh_process_reads_the_parse_from_the_disk_cache(tmp_path):
    folder = tmp_path / "references"
    folder.mkdir()
    (folder / "s.bib").write_text(f"% {tmp_path}\n{SYNTHETIC}", encoding="utf-8")  # unseen by this process
    first = load_bibliography(folder, root=tmp_path)
    cache = tmp_path / ".cache" / "medsite" / "bibliography.json"
    text = cache.read_text(encoding="utf-8")
    cache.write_text(text.replace("Alpha trial", "Read from disk"), encoding="utf-8")
    second = load_bibliography(folder, root=tmp_path)
    assert second.entries["alpha"].csl["title"] == "Read from disk"
    assert first.entries["alpha"].csl["title"] == "Alpha trial"
    assert second.entries.keys() == first.entries.keys() and second.problems == first.problems


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("{}-'\"#^_!? aZ9\n\t")), max_size=60))
def test_fast_path_decodes_braces_and_dashes_as_pylatexenc_does(text):
    # An apostrophe inside a word becomes ’ (as pandoc prints it); pylatexenc leaves it straight.
    assert decode(text) == re.sub(r"(?<=\w)'(?=\w)", "\u2019", plain(_DECODER.latex_to_text(text)))


def test_a_large_file_parsed_in_parallel_gives_exactly_the_whole_files_result():
    from medsite.bibliography.bibtex_parse import parse_bib, parse_in_parallel

    text = SEED + "\n" + SYNTHETIC
    assert parse_in_parallel(text, "s.bib", chunk=4, workers=3) == parse_bib(text, "s.bib")
    broken = text.replace("@article{delta,", "@article{delta,\n  title = {Never closed,")
    serial = parse_bib(broken, "s.bib")
    assert serial[1] and parse_in_parallel(broken, "s.bib", chunk=4, workers=3) == serial
