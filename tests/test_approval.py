"""Who may approve, and what an approval pins: not an author, not a placeholder seat, not a board member
added in the same change; the title, answer, body, audience, reviewers, review dates and every cited
reference as formatted; never an untouched `medsite new` scaffold."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from medsite.authoring.scaffold import create_article
from medsite.cli.main import main
from medsite.model.project import load_project
from medsite.review.approval import approved_source
from tests.project_samples import GOOD, make_project, small_bib
from tests.review_samples import TEST_BOARD, TEST_REVIEWER, TODAY, article, line_of
from tests.sitebuild import BuildFailed

CAUTION = "Educational purpose only · content pending human review"


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("CI", raising=False)
    make_project(tmp_path)
    return tmp_path


def approve(root: Path, *reviewers: str, path: str = "docs/articles/good.md") -> int:
    flags = [flag for reviewer in reviewers for flag in ("--reviewer", reviewer)]
    return main(["approve", str(root / path), *flags, "--date", "2025-02-01", "--note", "First version.",
                 "--config", str(root / "mkdocs.yml")])


def check(root: Path, *extra: str) -> int:
    return main(["check", "--config", str(root / "mkdocs.yml"), *extra])


# --- who may approve ------------------------------------------------------------------------------------


def test_a_placeholder_seat_cannot_approve(project, capsys):
    before = (project / "docs" / "articles" / "good.md").read_bytes()
    assert approve(project, "board-urology") == 1
    assert "`board-urology` is a placeholder seat (sample: true)" in capsys.readouterr().err
    assert (project / "docs" / "articles" / "good.md").read_bytes() == before


def test_an_approval_by_a_placeholder_seat_written_by_hand_fails_the_build_and_shows_no_review(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    source = article(status="approved", reviewers=["board-urology"])
    tiny_site.write("docs/articles/a.md", source)
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert (f"docs/articles/a.md:{line_of(source, 'reviewers')}: error: reviewer `board-urology` is a "
            "placeholder seat") in failure.value.log
    with pytest.raises(BuildFailed):  # an error, so a preview (non-strict) does not publish it either
        tiny_site.build(strict=False)


def test_an_author_cannot_approve_their_own_article(project, capsys):
    path = project / "docs" / "articles" / "good.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "authors: [editorial-team]", f"authors: [editorial-team, {TEST_REVIEWER}]"), encoding="utf-8")
    before = path.read_bytes()
    assert approve(project, TEST_REVIEWER) == 1
    assert f"reviewer `{TEST_REVIEWER}` is an author of this article" in capsys.readouterr().err
    assert path.read_bytes() == before
    # Written by hand, the approval fails the check (and the page keeps its caution: see test_review_site).
    path.write_text(article(status="approved", authors=["editorial-team", TEST_REVIEWER]), encoding="utf-8")
    assert check(project) == 1
    assert "is an author of this article" in capsys.readouterr().out


def test_an_untouched_scaffold_cannot_be_approved(project, capsys):
    created = create_article(load_project(project / "mkdocs.yml"), "Can X clear Y?",
                             today=dt.date(2025, 1, 10), authors=["editorial-team"])
    before = created.read_bytes()
    assert approve(project, TEST_REVIEWER, path=str(created.relative_to(project))) == 1
    err = capsys.readouterr().err
    lines = {int(line) for line in re.findall(r"can-x-clear-y\.md:(\d+): error: the placeholder text", err)}
    source = before.decode()
    assert line_of(source, "description") in lines  # "Replace with the one-line answer."
    first = source.splitlines().index(next(line for line in source.splitlines()
                                           if line.startswith("Replace this paragraph"))) + 1
    assert {first, first + 1} <= lines  # the bottom line and its example citation
    assert created.read_bytes() == before
    # Rewriting the placeholders is what makes it approvable: the headings and callouts may stay.
    body = source.split("---\n", 2)[2]
    own = re.sub(r"(?m)^( *)(?![#!/ ]|$).*$", r"\1Our own sentence [@debono2010tropic].", body)
    created.write_text(source.replace(body, own).replace("Replace with the one-line answer.", "No."),
                       encoding="utf-8")
    assert approve(project, TEST_REVIEWER, path=str(created.relative_to(project))) == 0, \
        capsys.readouterr().err


# --- what the approval pins -----------------------------------------------------------------------------


def approved_project(project: Path) -> Path:
    assert approve(project, TEST_REVIEWER) == 0
    assert check(project) == 0
    return project / "docs" / "articles" / "good.md"


@pytest.mark.parametrize(("what", "before", "after"), [
    ("the title", "shrink bone metastases?", "shrink bone metastases at all?"),
    ("the answer", "does not eliminate", "may eliminate"),
    ("the body", "does not clear", "may clear"),
    ("the reviewers", f"reviewers: [{TEST_REVIEWER}]", f"reviewers: [{TEST_REVIEWER}, board-hostile]"),
    ("the review date", "reviewed: 2025-02-01", "reviewed: 2025-03-01"),
    ("the next review", "next_review: 2026-02-01", "next_review: 2030-02-01"),
    ("the audience", "audience: clinician", "audience: patient"),
    ("an audience block", "## Evidence", "/// audience | patient\nIt cures.\n///\n\n## Evidence"),
])
def test_a_change_to_what_the_page_shows_as_reviewed_is_changed_since_review(project, capsys, what, before,
                                                                           after):
    registry = project / "data" / "people.yml"
    second = TEST_BOARD.replace(TEST_REVIEWER, "board-hostile")
    registry.write_text(registry.read_text(encoding="utf-8") + second, encoding="utf-8")
    path = approved_project(project)
    capsys.readouterr()
    path.write_text(path.read_text(encoding="utf-8").replace(before, after, 1), encoding="utf-8")
    assert check(project) == 1, what
    assert "error: changed since review" in capsys.readouterr().out, what


@pytest.mark.parametrize(("field", "before", "after"), [
    ("title", "Prednisone plus cabazitaxel", "Prednisone plus cabazitaxel (retracted)"),
    ("year", "year    = {2010}", "year    = {2011}"),
    ("pmid", "pmid    = {20888992}", "pmid    = {20888993}"),
])
def test_a_change_to_a_cited_bibtex_entry_is_changed_since_review(project, capsys, field, before, after):
    approved_project(project)
    capsys.readouterr()
    bib = project / "references" / "small.bib"
    text = bib.read_text(encoding="utf-8")
    assert before in text, field
    bib.write_text(text.replace(before, after, 1), encoding="utf-8")
    assert check(project) == 1, field
    assert "good.md" in (out := capsys.readouterr().out) and "changed since review" in out, field


def test_a_page_whose_cited_reference_changed_after_approval_shows_the_caution(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("references/seed-references.bib", small_bib())
    tiny_site.write("docs/articles/good.md", GOOD)
    tiny_site.save_config()
    assert main(["approve", str(tiny_site.docs / "articles" / "good.md"), "--reviewer", TEST_REVIEWER,
                 "--date", "2025-02-01", "--note", "First version.",
                 "--config", str(tiny_site.root / "mkdocs.yml")]) == 0
    html = tiny_site.build().html("articles/good.md")
    assert CAUTION not in html and "Reviewed by" in html
    bib = tiny_site.root / "references" / "seed-references.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text.replace("year    = {2010}", "year    = {2009}"), encoding="utf-8")
    html = tiny_site.build(strict=False).html("articles/good.md")  # changed since review: a warning
    assert CAUTION in html and "Changed since review" in html and "Reviewed by" not in html


# --- a board member added in the same change ------------------------------------------------------------


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                               "PATH": "/usr/bin:/bin", "HOME": str(root)}).stdout.strip()


def test_a_board_member_added_in_the_same_change_cannot_approve(project, capsys):
    registry = project / "data" / "people.yml"
    without = registry.read_text(encoding="utf-8").replace(TEST_BOARD, "")
    registry.write_text(without, encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base: the board has placeholder seats only")
    base = git(project, "rev-parse", "HEAD")
    # The pull request: the contributor adds a board member and approves with it, in one change.
    registry.write_text(without + TEST_BOARD, encoding="utf-8")
    assert approve(project, TEST_REVIEWER) == 0
    git(project, "commit", "-qam", "add myself to the board and approve")
    capsys.readouterr()
    assert check(project) == 0  # without the base, the registry alone looks fine
    assert check(project, "--base", base) == 1
    out = capsys.readouterr().out
    assert re.search(rf"docs/articles/good\.md:\d+: error: reviewer `{TEST_REVIEWER}` was not a board member "
                     rf"on {base}", out)
    # Once the member was appointed in an earlier change (reviewed by a maintainer), the approval stands.
    assert check(project, "--base", "HEAD") == 0
    assert check(project, "--base", "no-such-branch") == 1
    assert "`no-such-branch` is not a revision" in capsys.readouterr().out
    written = project / "written-by-git"
    assert check(project, f"--base=--output={written}") == 1  # never an option of git
    assert "is not a revision name" in capsys.readouterr().out and not written.exists()


def test_a_member_promoted_from_a_placeholder_seat_in_the_same_change_cannot_approve(project, capsys):
    registry = project / "data" / "people.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "  role: board\n  name: Test Reviewer", "  role: board\n  sample: true\n  name: Test Reviewer"),
        encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    promoted = registry.read_text(encoding="utf-8").replace("  sample: true\n  name: Test", "  name: Test")
    registry.write_text(promoted, encoding="utf-8")
    assert approve(project, TEST_REVIEWER) == 0
    capsys.readouterr()
    assert check(project, "--base", "main") == 1
    assert "was not a board member on main" in capsys.readouterr().out


def test_codeowners_gives_the_trust_decisions_to_maintainers():
    from tests.sitebuild import PROJECT

    rules = [line.split()[0] for line in (PROJECT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
             .splitlines() if line.strip() and not line.startswith("#")]
    for path in ("/data/people.yml", "/hooks/", "/overrides/", "/mkdocs.yml", "/medsite/", "/.github/",
                 "/docs/assets/"):
        assert path in rules, path


# --- `medsite approve` keeps its promise ----------------------------------------------------------------

ODD = """---
title:   'Does drug X shrink bone metastases?'    # odd spacing, kept
description: >-
  No. It prolongs survival but does not
  eliminate bone metastases.
status: under_review
audience:    clinician
topics: [ prostate cancer ,chemotherapy ]
authors:
- editorial-team
reviewers: []
submitted: 2025-01-10   # trailing comment
---

Body.
"""


def without_owned_keys(text: str) -> list[str]:
    """The lines of a source outside the keys `medsite approve` owns (a key's lines run to the next key)."""
    kept, owned = [], False
    for line in text.splitlines(keepends=True):
        if line[:1] not in (" ", "-", "#", "\n") or line.startswith("---"):
            owned = line.startswith(("status:", "reviewers:", "reviewed:", "next_review:", "reviewed_hash:"))
        if not owned:
            kept.append(line)
    return kept


def test_approve_changes_only_its_own_lines_byte_for_byte():
    new = approved_source(ODD.encode(), "a.md", [TEST_REVIEWER], dt.date(2025, 2, 1)).decode()
    assert without_owned_keys(new) == without_owned_keys(ODD)
    assert "status: approved\n" in new and f"- {TEST_REVIEWER}\n" in new


def test_approve_refuses_a_read_only_file_and_a_symbolic_link(project, capsys):
    path = project / "docs" / "articles" / "good.md"
    path.chmod(0o444)
    before = path.read_bytes()
    assert approve(project, TEST_REVIEWER) == 1
    assert "good.md: error: the file is read-only" in capsys.readouterr().err
    assert path.read_bytes() == before
    path.chmod(0o644)
    link = project / "docs" / "articles" / "link.md"
    link.symlink_to(path)
    assert approve(project, TEST_REVIEWER, path="docs/articles/link.md") == 1
    assert "link.md: error: a symbolic link" in capsys.readouterr().err
    assert path.read_bytes() == before and link.is_symlink()


def test_an_approval_that_does_not_hold_is_never_presented_as_reviewed():
    """Defence in depth: even where the build would not stop, the review state keeps the caution."""
    from medsite.markdown.frontmatter import parse
    from medsite.model.article import read_article
    from medsite.model.registry import registry_from_text
    from medsite.review.rules import review_state
    from tests.sitebuild import PROJECT

    text = (PROJECT / "data" / "people.yml").read_text(encoding="utf-8") + TEST_BOARD
    registry, _ = registry_from_text(text, "data/people.yml")

    def state(**keys):
        source = article(status="approved", **keys)
        typed = read_article(parse(source, "a.md"), "a.md", "articles/a.md").article
        return review_state(typed, dt.date(2025, 6, 1), registry=registry, pins={})

    assert state().approved
    for keys in ({"reviewers": ["board-urology"]}, {"authors": [TEST_REVIEWER]}, {"reviewers": ["nobody"]}):
        found = state(**keys)
        assert found.caution and not found.approved and found.step == "under_review", keys
