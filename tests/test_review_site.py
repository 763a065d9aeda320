"""The review workflow in built pages: tiny sites through MkDocs, and the real site."""

from __future__ import annotations

import html as html_lib
import itertools
import json
import logging
import re

import pytest

from medsite.model.registry import load_registry
from tests.review_samples import TEST_REVIEWER, TODAY, article, line_of
from tests.sitebuild import BuildFailed
from tests.sites import article_slug

CAUTION = "Educational purpose only · content pending human review"
HOSTILE = "<img src=x onerror=alert(1)>"
STATUSES = ["submitted", "under_review", "approved"]
AUDIENCES = ["clinician", "patient"]
EDITS = ["unchanged", "changed"]  # the body as approved, or edited afterwards


@pytest.fixture
def site(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/board.md", "# Medical Advisory Board\n")
    tiny_site.write("docs/editorial-policy.md", "# Editorial policy\n")
    return tiny_site


def jsonld(html: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return json.loads(block)


def visible_disclaimer(html: str) -> str:
    (visible,) = re.findall(r'<div data-audience="(\w+)">', html)
    assert len(re.findall(r'<div data-audience="\w+" hidden>', html)) == 1
    return visible


def test_invariant_caution_over_every_status_audience_and_edit(site):
    """Not approved, or changed since approval: always the caution. Approved and unchanged: never."""
    cases = list(itertools.product(STATUSES, AUDIENCES, EDITS))
    for status, audience, edit in cases:
        source = article(status=status, audience=audience, reviewed="2025-02-01", next_review="2026-02-01")
        if "reviewed_hash" not in source:  # pending articles may carry the hash of an older approval
            source = source.replace(
                "next_review: 2026-02-01\n",
                "next_review: 2026-02-01\nreviewed_hash: "
                + article(status="approved").split("reviewed_hash: ")[1].split("\n")[0]
                + "\n",
            )
        if edit == "changed":
            source = source.replace("It prolongs survival.", "It prolongs survival in some trials.")
        site.write(f"docs/articles/{status}-{audience}-{edit}.md", source)
    built = site.build(strict=False)  # changed-since-review is a warning: strict builds fail on it
    for status, audience, edit in cases:
        html = built.html(f"articles/{status}-{audience}-{edit}.md")
        reviewed = status == "approved" and edit == "unchanged"
        assert (CAUTION in html) is not reviewed, (status, audience, edit)
        assert ("Changed since review" in html) is (status == "approved" and edit == "changed")
        assert ("Reviewed by" in html) is reviewed
        assert ('"lastReviewed"' in html) is reviewed
        assert visible_disclaimer(html) == audience
        (current,) = re.findall(r'aria-current="step">(?:<span[^>]*>✓</span> )?([A-Za-z ]+?) <span', html)
        expected = (
            "Approved"
            if reviewed
            else "Under review"
            if status == "approved"
            else status.replace("_", " ").capitalize()
        )
        assert current == expected, (status, audience, edit)


def test_changed_since_review_fails_a_strict_build_and_shows_on_the_page(site):
    source = article(status="approved").replace("It prolongs survival.", "It cures.")
    site.write("docs/articles/a.md", source)
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert (
        f"docs/articles/a.md:{line_of(source, 'reviewed_hash')}: warning: changed since review"
        in failure.value.log
    )
    page = site.root / "site" / "articles" / "a" / "index.html"
    if page.exists():  # MkDocs aborts a strict build only after writing pages: this one must still warn
        assert CAUTION in page.read_text(encoding="utf-8")


BAD_INPUTS = {
    "unknown status": ({"status": "aproved"}, "status", "did you mean `approved`?"),
    "approved without reviewer": (
        {"status": "approved", "reviewers": None},
        "status",
        "no reviewer is named",
    ),
    "reviewer not in registry": (
        {"reviewers": ["board-urolgy"]},
        "reviewers",
        "did you mean `board-urology`?",
    ),
    "review date in the future": (
        {"status": "approved", "reviewed": "2025-06-02", "next_review": "2026-06-02"},
        "reviewed",
        "is in the future",
    ),
    "next_review before reviewed": (
        {"status": "approved", "next_review": "2025-01-01"},
        "next_review",
        "is not after the review date",
    ),
    "malformed date": ({"submitted": "2025-02-30"}, "submitted", "a real calendar date"),
    "missing title": ({"title": None}, None, "missing key `title`"),
}


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "not-strict"])
@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_front_matter_fails_the_build_before_any_page_is_written(site, case, strict):
    keys, key, message = BAD_INPUTS[case]
    source = article(**keys)
    site.write("docs/articles/a.md", source)
    with pytest.raises(BuildFailed) as failure:
        site.build(strict=strict)
    line = line_of(source, key) if key else 1
    assert f"docs/articles/a.md:{line}: error: " in failure.value.log
    assert message in failure.value.log
    assert not (site.root / "site" / "articles").exists()


@pytest.mark.parametrize(
    "front, line, message",
    [
        ("- a list\n", 2, "front matter is a list; expected a mapping"),
        ("title: x\ntopics: [a, b\n", 4, "not valid YAML"),
    ],
)
def test_unreadable_front_matter_fails_with_file_and_line(site, front, line, message):
    site.write("docs/articles/a.md", f"---\n{front}---\n\nBody.\n")
    with pytest.raises(BuildFailed) as failure:
        site.build(strict=False)
    assert re.search(rf"docs/articles/a\.md:{line}: error: .*{re.escape(message)}", failure.value.log)
    assert not (site.root / "site" / "articles").exists()


def test_duplicate_article_slug_fails_the_build(site):
    site.write("docs/articles/a.md", article())
    site.write("docs/articles/a/index.md", article())
    with pytest.raises(BuildFailed) as failure:
        site.build(strict=False)
    (line,) = [line for line in failure.value.log.splitlines() if "duplicate article" in line]
    assert "docs/articles/a.md" in line and "docs/articles/a/index.md" in line and "`articles/a/`" in line
    assert not (site.root / "site" / "articles").exists()


def test_all_problems_of_all_articles_are_reported_together(site):
    site.write("docs/articles/a.md", article(status="aproved"))
    site.write("docs/articles/b.md", article(reviewers=["nobody"], audience="doctors"))
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert (
        len(re.findall(r"^ERROR: docs/articles/[ab]\.md:\d+: error:", failure.value.log, re.MULTILINE)) == 3
    )


def test_approved_page_names_reviewers_linked_to_the_board(site):
    site.write(
        "docs/articles/a.md",
        article(status="approved", reviewers=[TEST_REVIEWER]),
    )
    built = site.build()
    html = built.html("articles/a.md")
    assert f'<a href="../../board/#{TEST_REVIEWER}">Test Reviewer</a>' in html
    assert re.search(r'Articles are reviewed by the\s+<a href="../../board/">Medical Advisory Board</a>',
                     html)
    assert '<a href="../../editorial-policy/">View editorial policy</a>' in html
    assert 'Last reviewed: <time datetime="2025-02-01">February 1, 2025</time>' in html
    assert 'Next review due: <time datetime="2026-02-01">February 1, 2026</time>' in html
    data = jsonld(html)
    assert data["lastReviewed"] == "2025-02-01"
    assert [p["name"] for p in data["reviewedBy"]] == ["Test Reviewer"]
    board = built.html("board.md")
    registry, _ = load_registry(site.root / "data" / "people.yml", "data/people.yml")
    for member in registry.board():
        assert f'id="{member.id}"' in board
    samples = [member for member in registry.board() if member.sample]
    assert board.count("Sample entry — seat to be filled.") == len(samples)
    for member in samples:
        assert html_lib.escape(member.conflicts, quote=False) in board


def test_generated_title_and_metadata(site):
    site.write("docs/articles/a.md", article(updated="2025-03-04", audience="patient"))
    html = site.build().html("articles/a.md")
    assert re.search(r'<h1 id="[^"]+">Does drug X shrink bone metastases\?', html)
    assert html.count("<h1") == 1
    assert 'Last updated: <time datetime="2025-03-04">March 4, 2025</time>' in html
    assert visible_disclaimer(html) == "patient"
    assert "Have a follow-up question?" in html
    assert ("issues/new?template=follow-up.yml&amp;page=docs%2Farticles%2Fa.md") in html
    assert jsonld(html)["medicalAudience"]["audienceType"] == "Patient"


def test_overdue_review_shows_on_the_page_and_in_the_log_without_failing_strict(site, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")
    source = article(status="approved", next_review="2025-05-31")
    site.write("docs/articles/a.md", source)
    built = site.build()
    html = built.html("articles/a.md")
    assert "Review overdue:" in html and 'datetime="2025-05-31"' in html
    assert (
        f"INFO: docs/articles/a.md:{line_of(source, 'next_review')}: warning: review overdue: "
        "next review was due 2025-05-31" in built.log
    )
    assert built.warnings == []


def test_front_matter_and_registry_values_are_escaped(site):
    people = (site.root / "data" / "people.yml").read_text(encoding="utf-8")
    site.write(
        "data/people.yml",
        people + f"\nboard-hostile:\n  role: board\n  name: '{HOSTILE}'\n"
        f"  credentials: '{HOSTILE}'\n  specialty: '\"><script>alert(1)</script>'\n"
        f"  conflicts: '{HOSTILE}'\n",
    )
    title = f'Is {HOSTILE} "quoted" & </title><script>alert(1)</script> safe?'
    description = 'No." onmouseover="alert(1)'
    source = article(status="approved", reviewers=["board-hostile"], title=title, description=description)
    site.write("docs/articles/a.md", source)
    built = site.build()
    for page in ("articles/a.md", "board.md"):
        html = built.html(page)
        assert "<img src=x" not in html and "<script>alert" not in html and 'onmouseover="' not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    html = built.html("articles/a.md")
    assert (
        '<meta name="description" content="No.&#34; onmouseover=&#34;alert(1)">' in html
        or '<meta name="description" content="No.&quot; onmouseover=&quot;alert(1)">' in html
    )
    assert jsonld(html)["name"] == title


def test_real_articles_carry_parsable_jsonld(real_site):
    assert real_site.returncode == 0, real_site.stderr
    assert real_site.articles, "the project has no article: nothing below checks one"
    for slug in real_site.articles:
        html = real_site.html(f"articles/{slug}")
        data = jsonld(html)
        assert data["@type"] == "MedicalWebPage" and data["name"] and data["description"]
        assert data["url"].startswith("https://")
        assert data["citation"] and all(work["name"] for work in data["citation"])
        if CAUTION in html:  # pending review: the structured data must not claim a review
            assert "lastReviewed" not in data and "reviewedBy" not in data
        else:
            assert data["lastReviewed"] and data["reviewedBy"]


def test_real_board_page_lists_every_board_member(real_site):
    assert real_site.returncode == 0, real_site.stderr
    html = real_site.html("board")
    board = real_site.catalog.registry.board()
    for member in board:
        assert f'id="{member.id}"' in html
    assert html.count("Sample entry — seat to be filled.") == sum(member.sample for member in board)


def test_every_real_article_carries_the_caution_unless_approved(real_site):
    """The promise on whatever content exists: the caution on every page our rules do not prove approved,
    and the approval (reviewers linked to the board) on every page they do."""
    assert real_site.returncode == 0, real_site.stderr
    catalog = real_site.catalog
    for uri, written in catalog.articles.items():
        html = real_site.html(f"articles/{article_slug(uri)}")
        state = catalog.state(written)
        assert (CAUTION in html) is state.caution, uri
        assert ("Changed since review" in html) is state.changed, uri
        assert ("Reviewed by" in html) is state.approved, uri
