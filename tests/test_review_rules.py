"""Review rules, review state, banner data, the catalog and the JSON-LD: pure functions on tiny inputs."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess

import pytest

from medsite.citations.bib_model import Bibliography, Entry, FormattedReference
from medsite.markdown.frontmatter import parse
from medsite.model import git_dates as git_dates_module
from medsite.model.article import read_article
from medsite.model.project import load_project
from medsite.model.registry import registry_from_text
from medsite.model.settings import read_settings
from medsite.model.sources import load_sources
from medsite.pages.jsonld import cited_works, medical_web_page, script_json
from medsite.review.catalog import CatalogCache, check_articles, load_catalog, slug
from medsite.review.rules import (
    banner,
    follow_up_url,
    overdue_notices,
    people_problems,
    review_problems,
    review_state,
)
from tests.review_samples import TEST_BOARD, TEST_REVIEWER, article, line_of, with_test_board
from tests.sitebuild import PROJECT

TODAY = dt.date(2025, 6, 1)
REGISTRY, _ = registry_from_text((PROJECT / "data" / "people.yml").read_text(encoding="utf-8") + TEST_BOARD,
                                 "data/people.yml")


def state_of(article, today: dt.date = TODAY):
    return review_state(article, today, registry=REGISTRY, pins={})


def typed(source: str):
    reading = read_article(parse(source, "a.md"), "a.md", "articles/a.md")
    assert reading.article is not None, reading.problems
    return reading.article


def rule_messages(source: str, today: dt.date = TODAY) -> list[str]:
    reading = read_article(parse(source, "a.md"), "a.md", "articles/a.md")
    found = [*reading.problems, *people_problems(reading, REGISTRY)]
    if reading.article:
        found += review_problems(reading.article, today)
    return [str(p) for p in found]


def test_valid_approved_article_has_no_problems():
    assert rule_messages(article(status="approved")) == []


def test_approved_without_reviewer():
    source = article(status="approved", reviewers=None)
    assert rule_messages(source) == [
        (
            f"a.md:{line_of(source, 'status')}: error: status is approved but no reviewer is named; expected "
            "`reviewers: [board-member-id]` (set by `medsite approve`)"
        )
    ]


def test_approved_without_review_date_or_hash():
    source = article(status="approved", reviewed=None, reviewed_hash=None)
    found = rule_messages(source)
    assert any("`reviewed` is missing" in m for m in found)
    assert any("`reviewed_hash` is missing" in m for m in found)


def test_reviewer_not_in_registry_suggests_nearest():
    source = article(reviewers=["board-urolgy"])
    assert rule_messages(source) == [
        (
            f"a.md:{line_of(source, 'reviewers')}: error: reviewer `board-urolgy` is not in data/people.yml "
            "(did you mean `board-urology`?); expected a board member's id ("
            + ", ".join(f"`{member.id}`" for member in REGISTRY.board())
            + "), or for a new board member an entry with `role: board` in data/people.yml"
        )
    ]


def test_reviewer_must_be_a_board_member():
    (message,) = rule_messages(article(reviewers=["editorial-team"]))
    assert "is an author, not a board member" in message


@pytest.mark.parametrize("reviewer", ["board-cardiology", "dr-jane-smith", "board-nephrology"])
def test_a_new_reviewer_gets_a_hint_to_add_a_board_entry_not_someone_elses_id(reviewer):
    (message,) = rule_messages(article(reviewers=[reviewer]))
    assert "did you mean" not in message
    assert message.endswith("or for a new board member an entry with `role: board` in data/people.yml")


def test_part_of_exactly_one_id_is_suggested():
    (message,) = rule_messages(article(reviewers=["urology"]))
    assert "(did you mean `board-urology`?)" in message


def test_a_new_author_gets_a_hint_to_add_themselves():
    (message,) = rule_messages(article(authors=["jane-doe"]))
    assert message.endswith("author `jane-doe` is not in data/people.yml; expected an id from "
                            "data/people.yml, or for a new author an entry with `role: author` there")


def test_unknown_author():
    (message,) = rule_messages(article(authors=["editorial-tem"]))
    assert "author `editorial-tem` is not in data/people.yml (did you mean `editorial-team`?)" in message


def test_registry_checks_run_even_when_another_key_is_broken():
    found = rule_messages(article(status="aproved", reviewers=["board-urolgy"]))
    assert len(found) == 2 and any("board-urolgy" in m for m in found)


def test_review_date_in_the_future():
    source = article(status="approved", reviewed="2025-06-02", next_review="2026-06-02")
    assert rule_messages(source) == [
        (
            f"a.md:{line_of(source, 'reviewed')}: error: review date 2025-06-02 is in the future; "
            "expected today "
            "(2025-06-01) or earlier"
        )
    ]


def test_next_review_before_reviewed():
    source = article(status="approved", next_review="2025-01-31")
    assert rule_messages(source) == [
        (
            f"a.md:{line_of(source, 'next_review')}: error: next_review 2025-01-31 is not after the "
            "review date "
            "2025-02-01; expected a later date, e.g. a year after the review"
        )
    ]


def test_review_before_submission():
    (message,) = rule_messages(article(status="approved", submitted="2025-03-01"))
    assert "before the submission date 2025-03-01" in message


def test_hash_mismatch_after_an_edit_is_a_warning_and_the_state_says_changed():
    source = article(status="approved").replace("It prolongs survival.", "It cures everyone.")
    (message,) = rule_messages(source)
    assert message.startswith(f"a.md:{line_of(source, 'reviewed_hash')}: warning: changed since review")
    state = state_of(typed(source), TODAY)
    assert state.changed and state.caution and not state.approved
    assert state.name == "changed_since_review" and state.step == "under_review"


@pytest.mark.parametrize("status", ["submitted", "under_review"])
def test_not_approved_is_always_cautioned(status):
    state = state_of(typed(article(status=status, reviewed_hash=None)), TODAY)
    assert state.caution and state.name == "pending" and state.step == status


def test_approved_unchanged_is_not_cautioned():
    state = state_of(typed(article(status="approved")), TODAY)
    assert state.approved and not state.caution and state.step == "approved"


def test_overdue_is_a_notice_not_a_failure():
    a = typed(article(status="approved"))
    assert not state_of(a, dt.date(2026, 2, 1)).overdue
    assert state_of(a, dt.date(2026, 2, 2)).overdue
    (notice,) = overdue_notices(a, dt.date(2026, 2, 2))
    assert notice.severity == "warning" and "review overdue: next review was due 2026-02-01" in notice.message
    assert review_problems(a, dt.date(2026, 2, 2)) == []


def test_banner_data():
    a = typed(article(status="approved", reviewers=[TEST_REVIEWER]))
    data = banner(
        a,
        state_of(a, TODAY),
        REGISTRY,
        updated=dt.date(2025, 3, 4),
        board_url="../../board/",
        policy_url="../../editorial-policy/",
        follow_up_url=None,
    )
    assert [(s["label"], s["current"], s["done"]) for s in data["steps"]] == [
        ("Submitted", False, True),
        ("Under review", False, True),
        ("Approved", True, True),
    ]
    assert [r["url"] for r in data["reviewers"]] == [f"../../board/#{TEST_REVIEWER}"]
    assert data["dates"]["updated"] == {"iso": "2025-03-04", "text": "March 4, 2025"}
    assert data["dates"]["reviewed"]["text"] == "February 1, 2025"
    assert data["caution"] is False and data["audience"] == "clinician"


def test_banner_names_no_reviewer_unless_approved_and_unchanged():
    for source in (article(), article(status="approved").replace("survival", "surrvival")):
        a = typed(source)
        data = banner(
            a,
            state_of(a, TODAY),
            REGISTRY,
            updated=TODAY,
            board_url="b/",
            policy_url=None,
            follow_up_url=None,
        )
        assert data["reviewers"] == [] and data["caution"] is True


def test_follow_up_url_fills_in_the_page_path():
    url = follow_up_url("https://github.com/o/r/issues/new?template=follow-up.yml", "docs/articles/a b&c.md")
    assert url == "https://github.com/o/r/issues/new?template=follow-up.yml&page=docs%2Farticles%2Fa+b%26c.md"


# --- catalog --------------------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path):
    shutil.copytree(PROJECT / "data", tmp_path / "data")
    with_test_board(tmp_path / "data" / "people.yml")
    (tmp_path / "docs" / "articles").mkdir(parents=True)
    return tmp_path


def write(site, name: str, text: str):
    path = site / "docs" / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(site, cache=None, **settings):
    return load_catalog(site / "docs", site, read_settings({"today": "2025-06-01", **settings}), cache=cache)


def test_catalog_reports_every_problem_of_every_file(site):
    write(site, "a.md", article(status="aproved"))
    write(site, "b.md", article(reviewers=["nobody"]))
    write(site, "c.md", article())
    catalog = load(site)
    assert [(p.path, p.line) for p in catalog.problems] == [
        ("docs/articles/a.md", 4),
        ("docs/articles/b.md", 8),
    ]
    assert set(catalog.articles) == {"articles/b.md", "articles/c.md"}


@pytest.mark.parametrize(
    "first, second",
    [
        ("a.md", "A.md"),
        ("a.md", "a/index.md"),
        ("x/A.md", "x/a/index.md"),
    ],
)
def test_duplicate_article_slug(site, first, second):
    write(site, first, article())
    write(site, second, article())
    (problem,) = load(site).problems
    assert problem.message.startswith("duplicate article: ")
    assert f"docs/articles/{first}" in problem.message and f"docs/articles/{second}" in problem.message


def test_slug_definition():
    assert slug("articles/Cabazitaxel.md") == slug("articles/cabazitaxel/index.md") == "articles/cabazitaxel"


def test_catalog_is_cached_until_a_file_changes(site):
    """What `mkdocs serve` relies on: the cache the build context's maker keeps across builds."""
    path = write(site, "a.md", article())
    other = write(site, "b.md", article())
    cache = CatalogCache()
    first = load(site, cache)
    assert load(site, cache) is first and load(site) is not first  # no cache, no reuse
    reading_of_b = cache.readings["docs/articles/b.md"][1]
    path.write_text(article(status="aproved"), encoding="utf-8")
    second = load(site, cache)
    assert second is not first and second.problems
    assert cache.readings["docs/articles/b.md"][1] is reading_of_b  # the unchanged file was not parsed again
    other.unlink()
    assert set(load(site, cache).articles) == set()  # a.md has an error, b.md is gone


def test_unreadable_article(site):
    (site / "docs" / "articles" / "a.md").write_bytes(b"---\ntitle: \xff\n---\n")
    (problem,) = load(site).problems
    assert problem.path == "docs/articles/a.md" and "not UTF-8" in problem.message


def test_last_updated_prefers_front_matter_then_git_then_mtime(site):
    write(site, "a.md", article(updated="2025-05-05"))
    write(site, "b.md", article())
    write(site, "c.md", article())
    git = ["git", "-C", str(site), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "docs/articles/b.md"], check=True)
    env = {
        **os.environ,
        "GIT_COMMITTER_DATE": "2024-04-04T12:00:00Z",
        "GIT_AUTHOR_DATE": "2024-04-04T12:00:00Z",
    }
    subprocess.run([*git, "commit", "-q", "-m", "b"], check=True, env=env)
    os.utime(site / "docs" / "articles" / "c.md", (dt.datetime(2023, 3, 3, 12).timestamp(),) * 2)
    catalog = load(site)
    dates = {uri: catalog.last_updated(a) for uri, a in catalog.articles.items()}
    assert dates == {
        "articles/a.md": dt.date(2025, 5, 5),
        "articles/b.md": dt.date(2024, 4, 4),
        "articles/c.md": dt.date(2023, 3, 3),
    }


def test_git_dates_are_read_with_one_process(site, monkeypatch):
    for name in ("a.md", "b.md", "c.md"):
        write(site, name, article())
    calls = []
    real_popen = subprocess.Popen
    monkeypatch.setattr(
        git_dates_module.subprocess, "Popen", lambda *a, **k: calls.append(a) or real_popen(*a, **k)
    )
    catalog = load(site)
    for a in catalog.articles.values():
        catalog.last_updated(a)
    assert len(calls) == 1


def test_check_articles_for_the_check_command(site):
    (site / "mkdocs.yml").write_text(
        "site_name: t\nextra:\n  medsite:\n    today: 2025-06-01\n", encoding="utf-8"
    )
    write(site, "a.md", article(status="approved").replace("survival", "surrvival"))
    write(site, "b.md", article(status="approved", next_review="2025-05-01"))
    project = load_project(site / "mkdocs.yml")
    found = check_articles(project, load_sources(project, [site / "docs" / "articles" / "a.md"]))
    # Changed since review fails the check as it fails a strict build; the overdue notice is not about a.md.
    assert [(p.path, p.severity) for p in found] == [("docs/articles/a.md", "error")]
    everything = check_articles(project, load_sources(project))
    assert ("docs/articles/b.md", "warning") in [(p.path, p.severity) for p in everything]


# --- JSON-LD --------------------------------------------------------------------------------------------


def jsonld(source: str, **kwargs) -> dict:
    a = typed(source)
    return medical_web_page(
        a,
        state_of(a, TODAY),
        REGISTRY,
        url="https://x.org/articles/a/",
        board_url="https://x.org/board/",
        updated=dt.date(2025, 3, 4),
        **kwargs,
    )


def test_jsonld_of_approved_article_claims_the_review():
    work = {"@type": "CreativeWork", "name": "Smith J. Trial. 2020.", "url": "https://doi.org/10.1/x"}
    data = jsonld(article(status="approved"), citations=[work])
    assert data["@type"] == "MedicalWebPage" and data["lastReviewed"] == "2025-02-01"
    assert data["reviewedBy"] == [
        {"@type": "Person", "name": "Test Reviewer", "url": f"https://x.org/board/#{TEST_REVIEWER}"}
    ]
    assert data["medicalAudience"]["audienceType"] == "Clinician"
    assert data["about"] == [{"@type": "Thing", "name": "prostate cancer"}]
    assert data["citation"] == [work]
    assert data["dateModified"] == "2025-03-04"


@pytest.mark.parametrize("source", [article(), article(status="approved").replace("survival", "surrvival")])
def test_jsonld_never_claims_a_review_the_page_does_not_show(source):
    data = jsonld(source)
    assert "lastReviewed" not in data and "reviewedBy" not in data


def test_cited_works_in_order_of_first_citation_with_doi_or_pubmed_links():
    def entry(key, **ids):
        return Entry(key=key, kind="article", path="r.bib", line=1, csl={}, **ids)

    bibliography = Bibliography(
        {"a": entry("a", doi="10.1/a"), "b": entry("b", pmid="123"), "c": entry("c")}, [], "digest"
    )
    references = {key: FormattedReference(html=f"<i>{key}</i>", text=f"Ref {key}.") for key in "abc"}
    assert cited_works(["b", "a", "b", "c", "unknown"], bibliography, references) == [
        {"@type": "CreativeWork", "name": "Ref b.", "url": "https://pubmed.ncbi.nlm.nih.gov/123/"},
        {"@type": "CreativeWork", "name": "Ref a.", "url": "https://doi.org/10.1/a"},
        {"@type": "CreativeWork", "name": "Ref c."},
    ]


def test_script_json_cannot_close_the_script_element():
    text = script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & <!--"
