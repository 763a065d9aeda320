"""A bibliography written for the differential test against pandoc: BibTeX as JabRef, Mendeley and EndNote
write it, and BibLaTeX as Zotero and Better BibTeX write it; every entry type the project reads, names
with particles, suffixes and organisations, LaTeX accents, quotes and math. Nothing here is a real work:
titles are made up, DOIs use the example prefix 10.5555 and PMIDs are a few digits."""

from __future__ import annotations

BIBTEX = r"""@article{jabref_particles,
  author  = {van der Berg, Piet and de la Fontaine, Jean and Ozg{\"u}r, Ay{\c{s}}e and Smith, Jr., John
             and {\AA}str{\"o}m, Lars},
  title   = {Outcomes of a made-up drug at 20 mg/m$^2$ in older adults},
  journal = {J Synth Med},
  year    = {2019},
  month   = mar,
  volume  = {12},
  number  = {3},
  pages   = {1234--45},
  doi     = {10.5555/synth.1}
}

@article{mendeley_many_authors,
  author  = {Alpha, Ann and Beta, Bob and Gamma, Carl and Delta, Dora and Epsilon, Eve and Zeta, Zed
             and Eta, Ed},
  title   = {A randomized trial of a made-up regimen: the {SYNTH-1} study},
  journal = {N Synth J Med},
  year    = {2021},
  volume  = {385},
  number  = {12},
  pages   = {1091--1103},
  doi     = {10.5555/synth.2},
  pmid    = {11}
}

@article{endnote_corporate,
  author  = {{Synthetic Trials Collaborative Group} and Roe, Rick},
  title   = {Effect of a made-up intervention on {HbA}$_{1c}$: a pooled analysis},
  journal = {Synth Diabetes Care},
  year    = {2018},
  volume  = {41},
  pages   = {e12},
  doi     = {10.5555/synth.3}
}

@article{jabref_accents,
  author  = {M{\"u}ller, J{\"o}rg and Garc{\'\i}a, Mar{\'\i}a and {\v{S}}koda, Jan and O'Brien, Sean},
  title   = {Does a made-up score predict relapse? {A} cohort study},
  journal = {Synth Eur Urol},
  year    = {2020},
  volume  = {77},
  number  = {4},
  pages   = {401--408},
  doi     = {10.5555/synth.4}
}

@article{jabref_math,
  author  = {Kim, Sun},
  title   = {Serum levels $\geq$ 5 {ng/mL} and a $\chi^2$ test in a made-up cohort},
  journal = {Synth Clin Chem},
  year    = {2017},
  volume  = {63},
  pages   = {99--101},
  pmid    = {12}
}

@article{anonymous_article,
  title   = {A made-up editorial without an author},
  journal = {Synth Lancet},
  year    = {2016},
  volume  = {388},
  pages   = {2--3},
  doi     = {10.5555/synth.6}
}

@book{jabref_book,
  author    = {Writer, William and Author, Alice},
  title     = {A made-up handbook of oncology},
  publisher = {Synthetic Press},
  address   = {Boston, MA},
  edition   = {3},
  year      = {2015}
}

@book{jabref_edited_book,
  editor    = {Editor, Eve and Other, Oscar},
  title     = {Made-up topics in urology},
  publisher = {Synthetic Press},
  address   = {London},
  year      = {2014}
}

@incollection{jabref_chapter,
  author    = {Chapter, Chris},
  title     = {A made-up chapter on imaging},
  booktitle = {Made-up topics in urology},
  editor    = {Editor, Eve},
  publisher = {Synthetic Press},
  address   = {London},
  year      = {2014},
  pages     = {100--120}
}

@inproceedings{mendeley_paper,
  author    = {Speaker, Sam},
  title     = {A made-up conference paper},
  booktitle = {Proceedings of the synthetic oncology meeting},
  publisher = {Synthetic Society},
  address   = {Paris},
  year      = {2013},
  pages     = {1--10}
}

@phdthesis{jabref_phd,
  author = {Student, Sam},
  title  = {A made-up thesis on survival},
  school = {Synthetic University},
  year   = {2010}
}

@mastersthesis{jabref_masters,
  author = {Learner, Lee},
  title  = {A made-up thesis on dosing},
  school = {Synthetic University},
  year   = {2011}
}

@techreport{endnote_report,
  author      = {Analyst, Ann},
  title       = {A made-up technical report},
  institution = {Synthetic Health Agency},
  address     = {Geneva},
  number      = {12},
  year        = {2012}
}
"""

BIBLATEX = r"""@article{zotero_article,
	title = {Nonparametric made-up inference for multiple decrement models},
	volume = {3},
	url = {https://example.org/stable/4615622?seq=1%20x},
	pages = {15--27},
	number = {1},
	journaltitle = {Synthetic Journal of Statistics},
	shortjournal = {Synth J Stat},
	author = {Aalen, Odd O.},
	urldate = {2021-03-04},
	date = {1976},
	eprinttype = {pubmed},
	eprint = {13},
	note = {Publisher: \href{https://example.org/x%y}{Wiley}},
	abstract = {Anything at all, with a % sign.},
}

@article{bbt_article,
	title = {Made-up survival with a made-up drug in {Parkinson} disease},
	volume = {20},
	doi = {10.5555/synth.20},
	pages = {e2020123},
	number = {2},
	journaltitle = {Synth Neurol},
	author = {Nguyen, Thi and {\O}stergaard, Kim and d'Amico, Anna},
	date = {2020-02-15},
}

@online{zotero_online,
	title = {Made-up guidance for clinicians},
	url = {https://example.org/guidance/index.html?q=1%2C2},
	author = {{Synthetic Centers for Disease Control and Prevention}},
	urldate = {2021-03-04},
	date = {2020-05-06},
}

@software{zotero_software,
	title = {Made-up dose calculator},
	version = {1.2},
	url = {https://example.org/tool},
	author = {Coder, Cat},
	date = {2021},
}

@thesis{zotero_thesis,
	title = {Made-up outcomes of a thing},
	type = {phdthesis},
	institution = {Synthetic University},
	author = {Doctor, Dana},
	date = {2018},
}

@report{zotero_report,
	title = {A made-up report on things},
	type = {Technical report},
	institution = {Synthetic Health Organization},
	location = {Geneva},
	author = {Reporter, Ray},
	date = {2021-06},
}

@inproceedings{zotero_paper,
	title = {A made-up paper},
	booktitle = {Proceedings of the synthetic meeting},
	publisher = {Synthetic Society},
	location = {Paris},
	author = {Talker, Tom},
	date = {2019-06-10},
	pages = {11--19},
}

@incollection{zotero_chapter,
	title = {A made-up chapter},
	booktitle = {The synthetic book},
	publisher = {Synthetic Press},
	location = {Berlin},
	edition = {2},
	author = {Writer, Wendy},
	date = {2019},
	pages = {200--215},
}

@book{zotero_book,
	title = {A made-up book},
	subtitle = {with a subtitle},
	publisher = {Synthetic Press},
	location = {Boston, MA},
	author = {Booker, Ben},
	date = {2019},
}

@article{zotero_preprint,
	title = {A made-up preprint},
	journaltitle = {arXiv},
	author = {Poster, Pat},
	date = {2020},
	eprinttype = {arxiv},
	eprint = {2001.01234},
}
"""
