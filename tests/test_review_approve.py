"""`medsite approve`: records the approval, changes only the keys it owns, never loses or truncates a file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from medsite.cli.main import main
from medsite.core.problems import ProblemsError
from medsite.markdown.frontmatter import parse
from medsite.model.article import ReviewNote, read_article
from medsite.model.registry import load_registry
from medsite.review.approval import approved_source
from medsite.review.rules import approver_problems, pinned_hash
from tests.review_samples import BODY, TEST_REVIEWER, approved_hash, with_test_board
from tests.sitebuild import PROJECT

COMMENTED = """---
# The question, as readers see it
title: Does drug X shrink bone metastases?
description: "No. It prolongs survival but does not eliminate bone metastases."
status: under_review   # submitted | under_review | approved
audience: clinician
topics:
  - prostate cancer   # keep lower case
  - chemotherapy
authors: [editorial-team]
submitted: 2025-01-10
evidence_through: 2024-12-31
---

"""


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(PROJECT / "data", tmp_path / "data")
    with_test_board(tmp_path / "data" / "people.yml")
    (tmp_path / "docs" / "articles").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nextra:\n  medsite:\n    registry: data/people.yml\n", encoding="utf-8"
    )
    return tmp_path


NOTE = "Reviewed against its sources."


def approve(project: Path, *args: str) -> int:
    return main(["approve", *args, "--note", NOTE, "--config", str(project / "mkdocs.yml")])


def test_approve_records_the_review_and_keeps_everything_else(project, capsys):
    path = project / "docs" / "articles" / "a.md"
    path.write_text(COMMENTED + BODY, encoding="utf-8")
    assert (
        approve(
            project,
            str(path),
            "--reviewer",
            TEST_REVIEWER,
            "--date",
            "2025-02-01",
        )
        == 0
    )
    assert "approved" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    reviewers = (TEST_REVIEWER,)
    approved = approved_hash(history=(ReviewNote(dt.date(2025, 2, 1), reviewers, NOTE),))
    # ruamel keeps an end-of-line comment in its column
    expected = (
        COMMENTED.replace("status: under_review   #", "status: approved       #")
        .replace(
            "submitted: 2025-01-10\n",
            f"reviewers: [{TEST_REVIEWER}]\nsubmitted: 2025-01-10\n"
            "reviewed: 2025-02-01\n"
            "next_review: 2026-02-01\n",
        )
        .replace(
            "evidence_through: 2024-12-31\n",
            f"evidence_through: 2024-12-31\nreviewed_hash: {approved}\nreview_history:\n"
            f'  - {{date: 2025-02-01, reviewers: [{", ".join(reviewers)}], note: "{NOTE}"}}\n',
        )
    )
    assert text == expected + BODY
    article = read_article(parse(text, "a.md"), "a.md", "articles/a.md").article
    assert article.reviewed_hash == pinned_hash(article, {})


def test_reapproval_replaces_owned_keys_in_place_and_keeps_a_later_next_review():
    source = (
        COMMENTED.replace(
            "submitted: 2025-01-10\n",
            "reviewers: [board-urology]  # who approved\n"
            "submitted: 2025-01-10\nreviewed: 2024-01-01\nnext_review: 2027-01-01\n"
            "reviewed_hash: sha256:" + "0" * 64 + "\n",
        )
        + BODY
    )
    new = approved_source(source.encode(), "a.md", ["board-radiation-oncology"], dt.date(2025, 2, 1)).decode()
    assert "reviewers: [board-radiation-oncology] # who approved\n" in new
    assert "reviewed: 2025-02-01\nnext_review: 2027-01-01\n" in new
    pinned = approved_hash(reviewers=["board-radiation-oncology"], next_review="2027-01-01")
    assert f"reviewed_hash: {pinned}\n" in new
    assert new.count("\n") == source.count("\n")


def test_next_review_is_reset_when_not_after_the_new_review():
    source = (
        COMMENTED.replace("submitted: 2025-01-10\n", "submitted: 2025-01-10\nnext_review: 2024-01-15\n")
        + BODY
    )
    new = approved_source(source.encode(), "a.md", ["board-urology"], dt.date(2024, 2, 29)).decode()
    assert "next_review: 2025-02-28\n" in new


def test_body_bytes_bom_and_crlf_are_kept():
    body = "Line with trailing spaces  \r\n\r\n\r\nTabs\there\r\nNo final newline"
    source = "\ufeff" + COMMENTED.replace("\n", "\r\n") + body
    new = approved_source(source.encode(), "a.md", ["board-urology"], dt.date(2025, 2, 1))
    assert new.startswith("\ufeff---\r\n".encode())
    assert new.endswith(("---\r\n\r\n" + body).encode())
    assert b"\n" not in new.replace(b"\r\n", b"")
    text = new.decode().removeprefix("\ufeff").replace("\r\n", "\n")
    article = read_article(parse(text, "a.md"), "a.md", "articles/a.md").article
    assert article.status == "approved" and article.reviewed_hash == pinned_hash(article, {})


def test_block_list_style_of_reviewers_is_kept():
    source = COMMENTED.replace(
        "submitted: 2025-01-10\n", "reviewers:\n  - board-urology\nsubmitted: 2025-01-10\n"
    )
    new = approved_source(
        (source + BODY).encode(), "a.md", ["board-urology", "board-medical-oncology"], dt.date(2025, 2, 1)
    ).decode()
    assert "reviewers:\n  - board-urology\n  - board-medical-oncology\nsubmitted:" in new
    assert "topics:\n  - prostate cancer   # keep lower case\n  - chemotherapy\n" in new


def test_unknown_reviewer_is_refused_with_a_suggestion(project, capsys):
    path = project / "docs" / "articles" / "a.md"
    path.write_text(COMMENTED + BODY, encoding="utf-8")
    before = path.read_bytes()
    assert approve(project, str(path), "--reviewer", "board-urolgy") == 1
    err = capsys.readouterr().err
    assert "reviewer `board-urolgy` is not in data/people.yml (did you mean `board-urology`?)" in err
    assert path.read_bytes() == before


def test_author_cannot_approve(project, capsys):
    path = project / "docs" / "articles" / "a.md"
    path.write_text(COMMENTED + BODY, encoding="utf-8")
    assert approve(project, str(path), "--reviewer", "editorial-team") == 1
    refused = capsys.readouterr().err
    assert "reviewer `editorial-team` is an author, not a board member" in refused
    # the build's own rule and wording (medsite.review.rules.approver_problems), not a second copy
    registry, _ = load_registry(project / "data" / "people.yml", "data/people.yml")
    rule = approver_problems(["editorial-team"], (), registry)
    assert refused.strip() == f"data/people.yml: error: {rule[0]}"


def test_an_article_the_build_would_reject_is_not_written(project, capsys):
    path = project / "docs" / "articles" / "a.md"
    path.write_text(COMMENTED.replace("audience: clinician", "audience: doctors") + BODY, encoding="utf-8")
    before = path.read_bytes()
    assert approve(project, str(path), "--reviewer", TEST_REVIEWER) == 1
    assert "`audience` is `doctors`" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert approve(project, str(path), "--reviewer", TEST_REVIEWER, "--date", "2999-01-01") == 1
    assert path.read_bytes() == before


def test_missing_file_and_missing_front_matter(project, capsys):
    assert (
        approve(project, str(project / "docs" / "articles" / "none.md"), "--reviewer", TEST_REVIEWER) == 1
    )
    assert "cannot read the article" in capsys.readouterr().err
    with pytest.raises(ProblemsError) as failure:
        approved_source(b"Just a body\n", "a.md", ["board-urology"], dt.date(2025, 2, 1))
    assert "no front matter" in failure.value.problems[0].message


def test_no_temporary_file_is_left_and_mode_is_kept(project):
    path = project / "docs" / "articles" / "a.md"
    path.write_text(COMMENTED + BODY, encoding="utf-8")
    path.chmod(0o640)
    assert approve(project, str(path), "--reviewer", TEST_REVIEWER, "--date", "2025-02-01") == 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.md"]
    assert path.stat().st_mode & 0o777 == 0o640


def test_interrupted_write_leaves_the_original(project, monkeypatch):
    path = project / "docs" / "articles" / "a.md"
    path.write_text(COMMENTED + BODY, encoding="utf-8")
    before = path.read_bytes()

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr("medsite.core.files.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        approve(project, str(path), "--reviewer", TEST_REVIEWER, "--date", "2025-02-01")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.md"]


@pytest.mark.parametrize("name", sorted(path.relative_to(PROJECT / "docs" / "articles").as_posix()
                                         for path in (PROJECT / "docs" / "articles").rglob("*.md")))
def test_real_articles_change_only_in_owned_lines(name):
    source = (PROJECT / "docs" / "articles" / name).read_bytes()
    new = approved_source(source, name, ["board-urology"], dt.date.today())
    old_lines, new_lines = source.decode().splitlines(), new.decode().splitlines()
    removed = [line for line in old_lines if line not in new_lines]
    added = [line for line in new_lines if line not in old_lines]
    owned = ("status:", "reviewers:", "reviewed:", "next_review:", "reviewed_hash:")
    assert all(line.startswith(owned) for line in removed + added), (removed, added)
    body_start = source.index(b"\n---\n") + 5
    assert new.endswith(source[body_start:])
