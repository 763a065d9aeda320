"""`medsite new`: the template is a valid article, and no existing file is ever touched."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from medsite.authoring.scaffold import (
    MAX_SLUG_LENGTH,
    article_text,
    create_article,
    first_bibliography_key,
    slug_for,
)
from medsite.checks.runner import run_checks
from medsite.core.problems import ProblemsError
from medsite.markdown.frontmatter import split
from medsite.model.project import load_project
from medsite.model.sources import load_sources
from tests.project_samples import make_project
from tests.sitebuild import PROJECT

TODAY = date(2025, 11, 2)
BIB = "@article{first2020key,\n  title = {A title},\n  year = {2020}\n}\n\n@book{second,\n  title = {B}\n}\n"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nextra:\n  medsite:\n    references: refs\n",
                                         encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "main.bib").write_text(BIB, encoding="utf-8")
    return load_project(tmp_path / "mkdocs.yml")


@pytest.mark.parametrize(("question", "slug"), [
    ("Can cabazitaxel clear bone metastases in mCRPC?", "can-cabazitaxel-clear-bone-metastases-in-mcrpc"),
    ("Is  pelvic IMRT an option -- after enzalutamide?", "is-pelvic-imrt-an-option-after-enzalutamide"),
    ("Does Ra-223 help? (Über-question)", "does-ra-223-help-uber-question"),
    # Ranges, decimals, ratios and minus signs keep their numbers apart.
    ("Should metformin stop at eGFR 30–44?", "should-metformin-stop-at-egfr-30-44"),
    ("eGFR 30—44 or 45‒59?", "egfr-30-44-or-45-59"),
    ("Is 2.5 mg enough at 1:1000?", "is-2-5-mg-enough-at-1-1000"),
    ("Sodium −2 mmol/L, and/or both?", "sodium-2-mmol-l-and-or-both"),
    ("– Leading and trailing dashes –", "leading-and-trailing-dashes"),
])
def test_slug(question, slug):
    assert slug_for(question) == slug


def test_long_slug_is_cut_at_a_word_boundary():
    slug = slug_for("Is " + "very " * 40 + "long?")
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slug.endswith("very")


def test_template_front_matter_follows_the_schema():
    text = article_text('Can X: "do" Y #1?', today=TODAY, citation_key="first2020key")
    yaml_text, body, _ = split(text)
    meta = yaml.safe_load(yaml_text)
    assert meta == {"title": 'Can X: "do" Y #1?', "description": meta["description"], "status": "submitted",
                    "audience": "clinician", "topics": [], "authors": [], "reviewers": [], "submitted": TODAY}
    assert not body.lstrip().startswith("#"), "the H1 is generated from the title"
    for needed in ("[@first2020key]", "[grade: 1A]", "## What it does", "## Evidence", "## Alternatives",
                   '!!! safety "Critical safety considerations"', '!!! pitfall "Common pitfall to avoid"'):
        assert needed in body


def test_sample_citation_uses_the_first_key_of_the_bibliography(project):
    assert first_bibliography_key(project.root / "refs") == "first2020key"
    assert first_bibliography_key(project.root / "missing") is None


def test_real_project_sample_citation_key_exists():
    key = first_bibliography_key(PROJECT / "references")
    bibtex = "".join(path.read_text(encoding="utf-8") for path in (PROJECT / "references").glob("*.bib"))
    assert key and f"{{{key}," in bibtex


def test_create_article_writes_a_file_that_passes_the_checks(tmp_path):
    project = load_project(make_project(tmp_path / "complete"))
    path = create_article(project, "  Can X clear Y\nin Z? ", today=TODAY, authors=["editorial-team"],
                          topics=["prostate  cancer"])
    assert path == project.docs_dir / "articles" / "can-x-clear-y-in-z.md"
    text = path.read_text(encoding="utf-8")
    assert "title: Can X clear Y in Z?\n" in text
    assert "submitted: 2025-11-02\n" in text
    assert "authors: [editorial-team]\n" in text and "topics: [prostate cancer]\n" in text
    assert run_checks(project, load_sources(project, [path])) == []
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, "good.md"], "no temporary file left"


def test_never_overwrites_an_existing_article(project):
    path = create_article(project, "Can X clear Y?", today=TODAY)
    path.write_text("the author's work", encoding="utf-8")
    with pytest.raises(ProblemsError) as error:
        create_article(project, "Can X clear Y?", today=TODAY)
    assert "already exists" in str(error.value)
    assert path.read_text(encoding="utf-8") == "the author's work"


def test_existing_file_is_found_case_insensitively(project):
    existing = project.docs_dir / "articles" / "Can-X-Clear-Y.md"
    existing.parent.mkdir(parents=True)
    existing.write_text("keep me", encoding="utf-8")
    with pytest.raises(ProblemsError) as error:
        create_article(project, "can x clear y", today=TODAY)
    assert "docs/articles/Can-X-Clear-Y.md" in str(error.value)
    assert sorted(p.name for p in existing.parent.iterdir()) == ["Can-X-Clear-Y.md"]


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_is_refused(project, question):
    with pytest.raises(ProblemsError) as error:
        create_article(project, question, today=TODAY)
    assert "empty" in str(error.value)
    assert not (project.docs_dir / "articles").exists()


def test_question_without_letters_is_refused(project):
    with pytest.raises(ProblemsError) as error:
        create_article(project, "??? !!!", today=TODAY)
    assert "no letters or digits" in str(error.value)


def test_slug_option_names_the_file(project):
    path = create_article(project, "Should metformin stop at eGFR 30–44?", today=TODAY,
                          file_slug="metformin-egfr-30-44")
    assert path.name == "metformin-egfr-30-44.md"
    assert "title: Should metformin stop at eGFR 30–44?\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", ["Metformin", "a_b", "a--b", "-a", "a-", "a b", "a/b", "ü", "", "x" * 81])
def test_malformed_slug_is_refused(project, bad):
    with pytest.raises(ProblemsError) as error:
        create_article(project, "Can X clear Y?", today=TODAY, file_slug=bad)
    assert f"--slug {bad!r} is not a file name we publish" in str(error.value)
    assert not (project.docs_dir / "articles").exists()


@pytest.mark.parametrize("existing", ["can-x-clear-y.markdown", "can-x-clear-y/index.md", "Can-X-Clear-Y.md",
                                      "can-x-clear-y/README.md", "CAN-X-CLEAR-Y.mdown"])
def test_an_article_published_at_the_same_address_is_refused(project, existing):
    path = project.docs_dir / "articles" / existing
    path.parent.mkdir(parents=True)
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(ProblemsError) as error:
        create_article(project, "Can X clear Y?", today=TODAY)
    (problem,) = error.value.problems
    assert problem.path == f"docs/articles/{existing}"
    assert "already exists" in problem.message and "`articles/can-x-clear-y/`" in problem.message
    assert sorted(p.relative_to(project.docs_dir).as_posix() for p in project.docs_dir.rglob("*")
                  if p.is_file()) == [f"articles/{existing}"]


def test_a_different_slug_for_the_same_question_is_allowed(project):
    create_article(project, "Can X clear Y?", today=TODAY)
    second = create_article(project, "Can X clear Y?", today=TODAY, file_slug="can-x-clear-y-in-children")
    assert second.is_file()
