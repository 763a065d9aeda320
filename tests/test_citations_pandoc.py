r"""Differential test: the project's reference lists against `pandoc --citeproc` (pandoc from PyPI's
pypandoc_binary, a test dependency) on the corpus of tests/pandoc_corpus.py, in AMA and in Vancouver.

Each entry must print exactly as pandoc prints it after these normalisations, and no others:
1. markup spelling: pandoc's <em>/<strong> are <i>/<b>; its <span> wrappers (quotes, math) are dropped,
   and math letters ($\chi^2$) lose their italics; links are compared by their text (the
   project's link targets are tested on their own);
2. the project prints superscript and subscript digits as Unicode ("mg/m²"; pandoc: mg/m<sup>2</sup>);
3. the project prints a PMID link after each entry that has one when the style prints none (AMA);
4. the project prints page ranges with an en dash (AMA's CSL has a hyphen);
5. the project keeps name particles in front ("de la Fontaine J"; pandoc: "Fontaine J de la"), as AMA
   and NLM print them;
6. the first letter after ": " compares case-insensitively (pandoc capitalises a subtitle's first word).
Where pandoc is wrong, the entry is listed in PANDOC_WRONG with the reason and the project's own output is
asserted in full; the test fails if pandoc ever gets it right (the list must then shrink).
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pypandoc
import pytest

from medsite.bibliography.bibtex_parse import parse_bib
from medsite.bibliography.reference_format import STYLES, format_bibliography, style_file
from tests.citation_samples import load
from tests.pandoc_corpus import BIBLATEX, BIBTEX

_ENTRY = re.compile(r'<div id="ref-(?P<key>[^"]+)" class="csl-entry"[^>]*>(?P<body>.*?)</div>\s*'
                    r'(?=<div id="ref-|</div>\s*$)', re.DOTALL)
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

# Entries pandoc 3.9 prints wrongly, by style: the reason, and what the project prints instead.
PANDOC_WRONG = {
    **{(style, "jabref_accents"): (
        "pandoc reads {\\'\\i} as a dotless i with a combining accent ('Garcı́a'), not 'García'",
        "Müller J, García M, Škoda J, O’Brien S. Does a made-up score predict relapse? A cohort study. Synth "
        f"Eur Urol. 2020;77(4):{pages}. doi:10.5555/synth.4")
      for style, pages in (("ama", "401–408"), ("vancouver", "401–8"))},
    ("ama", "jabref_edited_book"): (
        "pandoc puts the editors' label before the names (', eds.Editor E')",
        "Editor E, Other O, eds. Made-up Topics in Urology. Synthetic Press; 2014."),
    ("ama", "jabref_chapter"): (
        "pandoc puts the editor's label before the name ('In, ed.Editor E.')",
        "Chapter C. A made-up chapter on imaging. In: Editor E, ed. Made-up Topics in Urology. Synthetic "
        "Press; 2014:100–120."),
    ("vancouver", "zotero_article"): (
        "pandoc does not read a PMID given as eprint with eprinttype = {pubmed} (Zotero's BibLaTeX), so the "
        "style prints the URL where it prints a PMID",
        "Aalen OO. Nonparametric made-up inference for multiple decrement models. Synth J Stat. "
        "1976;3(1):15–27. PubMed PMID: 13."),
    ("vancouver", "jabref_edited_book"): (
        "pandoc puts the editors' label before the names (', editorsEditor E')",
        "Editor E, Other O, editors. Made-up topics in urology. London: Synthetic Press; 2014."),
    ("vancouver", "jabref_chapter"): (
        "pandoc puts the editor's label before the name ('In, editorEditor E.')",
        "Chapter C. A made-up chapter on imaging. In: Editor E, editor. Made-up topics in urology. London: "
        "Synthetic Press; 2014. p. 100–20."),
}


def pandoc_references(bib: Path, style: Path) -> dict[str, str]:
    """key → the HTML of its entry as `pandoc --citeproc` prints it, without the citation number."""
    document = bib.with_suffix(".md")
    document.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    result = subprocess.run([pypandoc.get_pandoc_path(), str(document), "--citeproc", f"--csl={style}",
                             f"--bibliography={bib}", "-t", "html", "--wrap=none"],
                            capture_output=True, text=True, check=True, timeout=120)
    entries = {}
    for match in _ENTRY.finditer(result.stdout):
        body = re.sub(r'<div class="csl-left-margin">.*?</div>', "", match.group("body"), flags=re.DOTALL)
        body = re.sub(r'</?div[^>]*>', "", body)
        entries[match.group("key")] = body.strip()
    return entries


def _common(markup: str) -> str:
    markup = re.sub(r"</?a\b[^>]*>", "", markup)  # 1: links by their text
    markup = re.sub(r"(\d)\u2013(\d)", r"\1-\2", markup)  # 4
    markup = re.sub(r": (\w)", lambda match: ": " + match.group(1).lower(), markup)  # 6
    return " ".join(html.unescape(markup).split())


def normalise_pandoc(markup: str) -> str:
    markup = re.sub(r'<span class="math inline">(.*?)</span>',
                    lambda match: re.sub(r"</?em>", "", match.group(1)), markup)  # 1: math without italics
    markup = markup.replace("<em>", "<i>").replace("</em>", "</i>")
    markup = markup.replace("<strong>", "<b>").replace("</strong>", "</b>")
    markup = re.sub(r"</?span\b[^>]*>", "", markup)
    markup = re.sub(r"<sup>(\d+)</sup>", lambda match: match.group(1).translate(_SUPERSCRIPT), markup)  # 2
    markup = re.sub(r"<sub>(\d+)</sub>", lambda match: match.group(1).translate(_SUBSCRIPT), markup)
    return _common(markup)


def normalise_ours(markup: str, csl: dict, pandoc: str) -> str:
    if "PMID" not in normalise_pandoc(pandoc):
        markup = re.sub(r' <a href="https://pubmed[^"]*">PMID: \d+</a>$', "", markup)  # 3
    for name in csl.get("author", []) + csl.get("editor", []):  # 5
        if particle := name.get("non-dropping-particle"):
            markup = re.sub(rf"{re.escape(particle)} {re.escape(name['family'])} ([A-Z]+)\b",
                            rf"{name['family']} \1 {particle}", markup)
    return _common(markup)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pandoc")
    bibliography = load(folder, bibtex=BIBTEX, biblatex=BIBLATEX)
    assert [problem for problem in bibliography.problems if problem.severity == "error"] == []
    return folder, bibliography


@pytest.mark.parametrize("style_name", sorted(STYLES))
def test_every_entry_prints_as_pandoc_prints_it_after_the_normalisations(corpus, style_name, capsys):
    folder, bibliography = corpus
    style = style_file(style_name)
    ours = format_bibliography(bibliography, cache_root=None, style=style)
    theirs = {}
    for name in ("bibtex", "biblatex"):
        theirs.update(pandoc_references(folder / "references" / f"{name}.bib", style))
    assert set(theirs) == set(ours) == set(bibliography.entries)
    identical, differences = [], []
    for key, entry in bibliography.entries.items():
        pandoc = normalise_pandoc(theirs[key])
        mine = normalise_ours(ours[key].html, entry.csl, theirs[key])
        if (style_name, key) in PANDOC_WRONG:
            reason, expected = PANDOC_WRONG[style_name, key]
            assert mine != pandoc, f"pandoc now prints {key} right: remove it from PANDOC_WRONG"
            assert ours[key].text == expected, reason
        elif mine == pandoc:
            identical.append(key)
        else:
            differences.append(f"{key}:\n  ours:   {mine}\n  pandoc: {pandoc}")
    assert differences == [], "\n".join(differences)
    with capsys.disabled():
        wrong = sum(style == style_name for style, _ in PANDOC_WRONG)
        print(f"\n{style_name}: {len(bibliography.entries)} entries compared with pandoc, {len(identical)} "
              f"identical after normalisation, {wrong} where pandoc is wrong")


def test_the_normalisations_cannot_hide_a_lost_field(corpus):
    """A reference without its journal does not compare equal to pandoc's with it."""
    folder, bibliography = corpus
    entry = bibliography.entries["zotero_article"]
    style = style_file("ama")
    theirs = pandoc_references(folder / "references" / "biblatex.bib", style)["zotero_article"]
    pandoc = normalise_pandoc(theirs)
    source = BIBLATEX.split("\n\n")[0].replace("\tshortjournal = {Synth J Stat},\n", "")
    stripped = parse_bib(source.replace("Synthetic Journal of Statistics", "X"), "x.bib")[0][0]
    ours = format_bibliography(type(bibliography)({"zotero_article": stripped}, [], "x"), cache_root=None,
                               style=style)
    assert normalise_ours(ours["zotero_article"].html, entry.csl, theirs) != pandoc


def test_the_project_links_dois_urls_and_pmids(corpus):
    _, bibliography = corpus
    ours = format_bibliography(bibliography, cache_root=None)
    doi = "10.5555/synth.1"
    assert f'<a href="https://doi.org/{doi}">doi:{doi}</a>' in ours["jabref_particles"].html
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/13/">PMID: 13</a>' in ours["zotero_article"].html
    url = "https://example.org/stable/4615622?seq=1%20x"
    assert f'<a href="{url}">{url}</a>' in ours["zotero_article"].html
