"""Search synonyms: the data file, the names a text lacks, and the names the built search index holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from medsite.search.pagefind import indexed_pages
from medsite.search.synonyms import Synonyms, load_synonyms
from tests.sitebuild import PROJECT, BuildFailed

GROUPS = Synonyms((("cabazitaxel", "Jevtana"), ("mCRPC", "metastatic castration-resistant prostate cancer")))


def test_project_file_has_the_issue_groups():
    synonyms, problems = load_synonyms(PROJECT / "data" / "synonyms.yml", "data/synonyms.yml")
    assert problems == []
    pairs = [("cabazitaxel", "Jevtana"), ("enzalutamide", "Xtandi"), ("abiraterone", "Zytiga"),
             ("docetaxel", "Taxotere"), ("radium-223", "Xofigo"), ("177Lu-PSMA-617", "Pluvicto"),
             ("olaparib", "Lynparza"), ("mCRPC", "metastatic castration-resistant prostate cancer"),
             ("IMRT", "intensity-modulated radiation therapy")]
    for generic, other in pairs:
        assert any(generic in group and other in group for group in synonyms.groups), generic


def test_names_a_text_lacks_are_added_for_every_group_it_mentions():
    assert GROUPS.missing_names("Cabazitaxel in Metastatic Castration Resistant Prostate Cancer") == [
        "Jevtana", "mCRPC"]
    assert GROUPS.missing_names("Jevtana (cabazitaxel)") == []
    assert GROUPS.missing_names("cabazitaxelum, mCRPCs") == []  # whole words only


def write(tmp_path: Path, text: str) -> tuple[Synonyms, list]:
    path = tmp_path / "synonyms.yml"
    path.write_text(text, encoding="utf-8")
    return load_synonyms(path, "data/synonyms.yml")


@pytest.mark.parametrize("text, line, expected", [
    ("cabazitaxel: [Jevtana]\ndocetaxel: Taxotere\n", 2, "expected a list of other names"),
    ("cabazitaxel: []\n", 1, "expected a list of other names"),
    ("cabazitaxel: [Jevtana, 3]\n", 1, "expected a list of other names"),
    ("cabazitaxel: [Jevtana]\nJEVTANA: [XRP6258]\n", 2, "`JEVTANA` is already in the group on line 1"),
    ("cabazitaxel: [Jevtana\n", 2, "not valid YAML"),
])
def test_bad_synonyms_file_is_a_problem_with_its_line(tmp_path, text, line, expected):
    _, problems = write(tmp_path, text)
    assert [p.line for p in problems] == [line]
    assert expected in problems[0].message
    assert problems[0].path == "data/synonyms.yml"


def test_missing_synonyms_file_is_a_problem(tmp_path):
    synonyms, problems = load_synonyms(tmp_path / "nope.yml", "data/nope.yml")
    assert synonyms.groups == () and "cannot read the synonyms file" in problems[0].message


def test_tiny_site_search_index_has_the_synonyms(tiny_site):
    tiny_site.write("docs/page.md", "# Docetaxel after progression\n\nSome text about IMRT.\n")
    built = tiny_site.build()
    [page] = [page for page in indexed_pages(built.site_dir) if page["url"] == "/page/"]
    assert page["meta"]["title_synonyms"] == "Taxotere"  # weighted like the title
    assert "intensity-modulated radiation therapy" in page["meta"]["synonyms"]


def test_tiny_site_fails_on_a_bad_synonyms_file(tiny_site):
    tiny_site.write("data/synonyms.yml", "cabazitaxel: Jevtana\n")
    tiny_site.write("docs/page.md", "# Page\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert "data/synonyms.yml:1: error: `cabazitaxel` holds 'Jevtana'" in failure.value.log


def test_real_search_finds_articles_by_brand_name_and_abbreviation(real_site):
    assert real_site.returncode == 0, real_site.stderr
    pages = {page["url"]: page for page in indexed_pages(real_site.site_dir)}
    cabazitaxel = pages["/articles/cabazitaxel-bone-metastases/"]
    imrt = pages["/articles/pelvic-imrt-after-enzalutamide/"]
    assert "Jevtana" in cabazitaxel["meta"]["title_synonyms"].split()  # weighted like the question itself
    for page in (cabazitaxel, imrt):
        searchable = " ".join([page["content"], *page["meta"].values()])
        assert "mcrpc" in searchable.lower()
