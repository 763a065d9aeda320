"""Search synonyms: the data file, the names added to each search document, and the built index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medsite.synonyms import TEXT_FIELD, TITLE_FIELD, Synonyms, add_to_search_index, load_synonyms
from tests.sitebuild import PROJECT, BuildFailed

GROUPS = Synonyms((("cabazitaxel", "Jevtana"), ("mCRPC", "metastatic castration-resistant prostate cancer")))


def index(*docs: dict) -> dict:
    return {"config": {"fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}}, "docs": list(docs)}


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


def test_index_gets_title_and_text_fields_weighted_like_title_and_text():
    built = add_to_search_index(index(
        {"location": "articles/a/", "title": "Can cabazitaxel clear bone metastases?",
         "text": "<p>In mCRPC.</p>"},
        {"location": "articles/a/#dose", "title": "Dose", "text": "<p>Nothing to add.</p>"},
    ), GROUPS)
    assert built["config"]["fields"][TITLE_FIELD] == {"boost": 1000.0}
    assert built["config"]["fields"][TEXT_FIELD] == {"boost": 1.0}
    page, section = built["docs"]
    assert page[TITLE_FIELD] == "Jevtana"
    assert page[TEXT_FIELD] == "metastatic castration-resistant prostate cancer"
    assert page["title"] == "Can cabazitaxel clear bone metastases?"  # what readers see is unchanged
    assert TITLE_FIELD not in section and TEXT_FIELD not in section


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
    data = json.loads((built.site_dir / "search" / "search_index.json").read_text())
    page = next(doc for doc in data["docs"] if doc["location"] == "page/")
    assert page[TITLE_FIELD] == "Taxotere"
    assert "intensity-modulated radiation therapy" in page[TEXT_FIELD]
    assert data["config"]["fields"][TITLE_FIELD] == data["config"]["fields"]["title"]


def test_tiny_site_fails_on_a_bad_synonyms_file(tiny_site):
    tiny_site.write("data/synonyms.yml", "cabazitaxel: Jevtana\n")
    tiny_site.write("docs/page.md", "# Page\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert "data/synonyms.yml:1: error: `cabazitaxel` holds 'Jevtana'" in failure.value.log


def test_real_search_finds_articles_by_brand_name_and_abbreviation(real_site):
    assert real_site.returncode == 0, real_site.stderr
    data = json.loads((real_site.site_dir / "search" / "search_index.json").read_text())
    pages = {doc["location"]: doc for doc in data["docs"] if "#" not in doc["location"]}
    cabazitaxel = pages["articles/cabazitaxel-bone-metastases/"]
    imrt = pages["articles/pelvic-imrt-after-enzalutamide/"]
    assert "Jevtana" in cabazitaxel.get(TITLE_FIELD, "").split()  # weighted like the question itself
    for page in (cabazitaxel, imrt):
        searchable = " ".join(page.get(field, "") for field in ("title", "text", TITLE_FIELD, TEXT_FIELD))
        assert "mcrpc" in searchable.lower()
