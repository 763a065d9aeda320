"""A complete small project for the command-line tests: config, the real people registry, a small .bib.

Commands run every check (schema, review rules, citations, raw HTML, links), so a fixture project must be
one a contributor could really have: a missing registry or references folder would hide the finding a
test is about behind other errors.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.review_samples import TODAY, article, with_test_board
from tests.sitebuild import PROJECT

CITED = ("debono2010tropic", "dewit2019card")  # two entries of the real bibliography, each with DOI and PMID
CONFIG = f"""site_name: Test answers
extra:
  medsite:
    registry: data/people.yml
    today: {TODAY}
    site_pages: [index.md, other.md]
"""
BODY = f"""**Drug X does not clear bone metastases** [@{CITED[0]}].

## Evidence

It prolongs survival [@{CITED[1]}].
"""
GOOD = article(BODY)


def small_bib(keys: tuple[str, ...] = CITED) -> str:
    """The given entries, copied verbatim from the project's references/seed-references.bib."""
    seed = (PROJECT / "references" / "seed-references.bib").read_text(encoding="utf-8")
    return "\n".join(re.search(rf"^@\w+\{{{re.escape(key)},.*?^\}}\n", seed, re.MULTILINE | re.DOTALL)[0]
                     for key in keys)


def make_project(root: Path) -> Path:
    """mkdocs.yml, data/people.yml, references/small.bib and a good article citing every entry."""
    (root / "docs" / "articles").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (root / "data").mkdir()
    shutil.copy(PROJECT / "data" / "people.yml", root / "data" / "people.yml")
    with_test_board(root / "data" / "people.yml")
    (root / "references").mkdir()
    (root / "references" / "small.bib").write_text(small_bib(), encoding="utf-8")
    (root / "docs" / "articles" / "good.md").write_text(GOOD, encoding="utf-8")
    return root / "mkdocs.yml"


def line_after(source: str) -> int:
    """The line number a text appended to `source` starts on."""
    return len(source.splitlines()) + 1
