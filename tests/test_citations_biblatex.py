"""Real-world bibliographies: BibLaTeX as Zotero, Better BibTeX, Mendeley, EndNote and JabRef export it, every
field a reader needs, and no silent loss (an entry that would print without what a reader needs is an error
with its file and line). Identifiers here are fake: DOI prefix 10.5555 and PMIDs of a few digits."""

from __future__ import annotations

import pytest

from medsite.bibliography.reference_format import format_bibliography
from tests.citation_samples import load

ZOTERO = r"""@article{aalen_nonparametric_1976,
	title = {Nonparametric inference in connection with multiple decrement models},
	volume = {3},
	issn = {0303-6898},
	url = {https://example.org/stable/4615622?seq=1%20x},
	abstract = {An abstract with a stray % sign and \href{https://example.org/a%20b}{a link}.},
	pages = {15--27},
	number = {1},
	journaltitle = {Scandinavian Journal of Statistics},
	shortjournal = {Scan J Stat},
	author = {Aalen, Odd O.},
	urldate = {2021-03-04},
	date = {1976},
	note = {Publisher: \href{https://example.org/x%y}{Wiley}},
	eprinttype = {pubmed},
	eprint = {12345},
	keywords = {survival, {Nelson–Aalen}},
	file = {Full Text:/home/me/Zotero/storage/ABC/aalen.pdf:application/pdf},
}

@online{cdc_flu_2020,
	title = {Is it flu? {A} question for clinicians},
	url = {https://example.org/flu/index.html?q=1%2C2},
	author = {{Centers for Disease Control and Prevention}},
	urldate = {2021-03-04},
	date = {2020-05-06},
	langid = {english},
}

@software{doe_tool_2021,
	title = {Dose calculator},
	version = {1.2},
	url = {https://example.org/tool},
	author = {Doe, Jane},
	date = {2021},
}

@thesis{student_thesis_2018,
	title = {Outcomes of a thing},
	type = {phdthesis},
	institution = {University of Somewhere},
	author = {Student, Sam},
	location = {Somewhere},
	date = {2018},
}

@report{who_report_2021,
	title = {A report on things},
	number = {12},
	type = {Technical report},
	institution = {World Health Organization},
	location = {Geneva},
	date = {2021-06},
}

@inproceedings{doe_paper_2019,
	title = {A paper},
	booktitle = {Proceedings of the Meeting},
	editor = {Roe, Rick},
	publisher = {ACM},
	location = {Paris},
	author = {Doe, Jane},
	date = {2019-06-10},
	pages = {1--10},
}

@incollection{doe_chapter_2019,
	title = {A chapter},
	booktitle = {The Book},
	editor = {Roe, Rick},
	publisher = {Springer},
	location = {Berlin},
	edition = {2},
	author = {Doe, Jane},
	date = {2019},
	pages = {100--120},
}

@book{roe_edited_2019,
	title = {An edited book},
	subtitle = {with a subtitle},
	publisher = {Press},
	location = {Boston, MA},
	editor = {Roe, Rick and Poe, Pat},
	date = {2019},
}

@article{doe_preprint_2020,
	title = {A preprint},
	journaltitle = {arXiv},
	author = {Doe, Jane},
	date = {2020},
	eprinttype = {arxiv},
	eprint = {2001.01234},
}
"""

BIBTEX = r"""@article{anon2020,
  title   = {Is the anonymous article printed once?},
  journal = {J Test},
  year    = {2020},
  month   = mar,
  volume  = {3},
  pages   = {1234--45},
  doi     = {10.5555/anon}
}

@phdthesis{phd2010,
  author = {Student, Sam},
  title  = {A thesis},
  school = {MIT},
  year   = {2010}
}

@mastersthesis{ms2011,
  author = {Student, Sam},
  title  = {A shorter thesis},
  school = {MIT},
  year   = {2011}
}

@techreport{tr2021,
  author      = {Doe, Jane},
  title       = {A tech report},
  institution = {WHO},
  address     = {Geneva},
  number      = {12},
  year        = {2021}
}

@article{latex2020,
  author  = {O'Neil, Jane and M{\"u}ller, J{\"o}rg and de la Fontaine, Jean and Roach, III, Mack},
  title   = {HbA$_{1c}$ below 7\% in \emph{vitro}: ``quoted'', `single' and \enquote{enquoted} text,
             $\geq$ 20 mg/m$^2$:},
  journal = {J Test},
  year    = {2020},
  volume  = {3},
  number  = {2},
  pages   = {e123},
  pmid    = {42}
}
"""


@pytest.fixture(scope="module")
def formatted(tmp_path_factory):
    bibliography = load(tmp_path_factory.mktemp("bib"), zotero=ZOTERO, bibtex=BIBTEX)
    assert [problem for problem in bibliography.problems if problem.severity == "error"] == []
    return bibliography, format_bibliography(bibliography, cache_root=None)


def text(formatted, key):
    return formatted[1][key].text


def test_biblatex_journal_date_shortjournal_urldate_and_pubmed_eprint_are_read(formatted):
    bibliography, references = formatted
    entry = bibliography.entries["aalen_nonparametric_1976"]
    assert entry.pmid == "12345"
    assert entry.csl["container-title"] == "Scandinavian Journal of Statistics"
    assert entry.csl["issued"] == {"date-parts": [[1976]]}
    assert text(formatted, "aalen_nonparametric_1976") == (
        "Aalen OO. Nonparametric inference in connection with multiple decrement models. Scan J Stat. "
        "1976;3(1):15–27. Accessed March 4, 2021. https://example.org/stable/4615622?seq=1%20x PMID: 12345")
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345/"' in references["aalen_nonparametric_1976"].html


def test_urls_and_dois_are_verbatim_and_linked(formatted):
    html = formatted[1]["cdc_flu_2020"].html
    url = "https://example.org/flu/index.html?q=1%2C2"
    assert f'<a href="{url}">{url}</a>' in html
    assert '<a href="https://doi.org/10.5555/anon">doi:10.5555/anon</a>' in formatted[1]["anon2020"].html


def test_web_sources_print_their_dates_and_accessed_date(formatted):
    assert text(formatted, "cdc_flu_2020") == (
        "Centers for Disease Control and Prevention. Is it flu? A question for clinicians. May 6, 2020. "
        "Accessed March 4, 2021. https://example.org/flu/index.html?q=1%2C2")


@pytest.mark.parametrize(("key", "printed"), [
    ("doe_tool_2021", "Doe J. Dose calculator. Published online 2021. https://example.org/tool"),
    ("student_thesis_2018", "Student S. Outcomes of a Thing. PhD thesis. University of Somewhere; 2018."),
    ("phd2010", "Student S. A Thesis. PhD thesis. MIT; 2010."),
    ("ms2011", "Student S. A Shorter Thesis. Master’s thesis. MIT; 2011."),
    ("who_report_2021", "A Report on Things. World Health Organization; 2021."),
    ("tr2021", "Doe J. A Tech Report. WHO; 2021."),
    ("doe_paper_2019", "Doe J. A paper. In: Roe R, ed. Proceedings of the Meeting. ACM; 2019:1–10."),
    ("doe_chapter_2019", "Doe J. A chapter. In: Roe R, ed. The Book. 2nd ed. Springer; 2019:100–120."),
    ("roe_edited_2019", "Roe R, Poe P, eds. An Edited Book: With a Subtitle. Press; 2019."),
    ("doe_preprint_2020", "Doe J. A preprint. arXiv. Published online 2020. https://arxiv.org/abs/2001.01234"),
])
def test_every_entry_type_prints_what_a_reader_needs(formatted, key, printed):
    assert text(formatted, key) == printed


def test_a_title_standing_in_for_the_author_is_printed_once_and_short_page_ranges_are_expanded(formatted):
    assert text(formatted, "anon2020") == (
        "Is the anonymous article printed once? J Test. 2020;3:1234–1245. doi:10.5555/anon")


def test_latex_accents_quotes_scripts_and_doubled_punctuation(formatted):
    reference = formatted[1]["latex2020"]
    assert reference.text.startswith(
        "O’Neil J, Müller J, de la Fontaine J, Roach M III. HbA1c below 7% in vitro: “quoted”, ‘single’ and "
        "“enquoted” text, ≥ 20 mg/m²: J Test. 2020;3(2):e123.")
    assert "HbA<sub>1c</sub> below 7% in <i>vitro</i>" in reference.html


BROKEN = {
    "missing_comma": ("@article{x,\n  author = {Doe, Jane},\n  title = {T},\n  journal = {J},\n"
                      "  year = {2020},\n  pages = {660--668}\n  doi = {10.5555/x}\n}\n",
                      6, "field 'pages' of 'x' swallowed the next field ('doi = ...'); expected a comma"),
    "missing_journal": ("@article{x,\n  author = {Doe, Jane},\n  title = {T},\n  year = {2020},\n"
                        "  doi = {10.5555/x}\n}\n",
                        1, "entry 'x' (@article) would print without its journal or journaltitle"),
    "missing_year": ("@article{x,\n  title = {T},\n  journaltitle = {J},\n  doi = {10.5555/x}\n}\n",
                     1, "entry 'x' (@article) would print without its year or date"),
    "online_without_url": ("@online{x,\n  title = {T},\n  date = {2020}\n}\n",
                           1, "entry 'x' (@online) would print without its url or doi"),
    "thesis_without_school": ("@phdthesis{x,\n  author = {Doe, Jane},\n  title = {T},\n  year = {2020}\n}\n",
                              1, "would print without its school or institution"),
    "unbraced_organisation": ("@online{x,\n  title = {T},\n  url = {https://example.org},\n"
                              "  author = {Centers for Disease Control and Prevention}\n}\n",
                              4, "author 'Centers for Disease Control' of 'x' reads as a person's name"),
    "bad_date": ("@article{x,\n  title = {T},\n  journaltitle = {J},\n  date = {spring 2020},\n"
                 "  doi = {10.5555/x}\n}\n", 4, "date 'spring 2020' of 'x' is not a date"),
    "bad_latex": ("@article{x,\n  title = {T \\href{https://example.org/a%b}{x}},\n  journal = {J},\n"
                  "  year = {2020},\n  doi = {10.5555/x}\n}\n", 1, "has a field that is not valid LaTeX"),
    "bad_pubmed_eprint": ("@article{x,\n  title = {T},\n  journal = {J},\n  year = {2020},\n"
                          "  eprinttype = {pubmed},\n  eprint = {PMC123}\n}\n",
                          6, "eprint 'PMC123' of 'x' is not a PubMed id"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_an_entry_that_would_lose_information_is_an_error_with_its_line(tmp_path, case):
    source, line, message = BROKEN[case]
    bibliography = load(tmp_path, s=source)
    errors = [problem for problem in bibliography.problems if problem.severity == "error"]
    assert [(problem.path, problem.line) for problem in errors] == [("references/s.bib", line)]
    assert message in errors[0].message
    assert "x" not in bibliography.entries


def test_a_person_with_a_particle_or_a_braced_organisation_is_no_organisation_problem(tmp_path):
    source = ("@online{x,\n  title = {T},\n  url = {https://example.org},\n  author = {Ludwig van Beethoven "
              "and {World Health Organization} and Jean de la Fontaine and Health, Public}\n}\n")
    bibliography = load(tmp_path, s=source)
    assert bibliography.problems == []
    assert bibliography.entries["x"].csl["author"][1] == {"literal": "World Health Organization"}
