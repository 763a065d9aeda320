"""What changed: `medsite approve --note` records a change note in the article's review history; What's new
and the Atom feed list the approvals of approved articles only, newest first, with absolute URLs; each
approved article shows its history. The feed is read back with feedparser and checked element by element
against RFC 4287's required elements."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import feedparser
import pytest

from medsite.cli.main import main
from medsite.core.problems import ProblemsError
from medsite.model.article import ReviewNote, read_history
from medsite.pages.whats_new import approved_changes, atom_feed, whats_new_page
from medsite.review.approval import approved_source, change_note
from medsite.review.rules import pinned_hash
from tests.review_samples import (
    BODY,
    TEST_REVIEWER,
    TITLE,
    TODAY,
    approved_hash,
    article,
    cited_as_formatted,
    project_pins,
)
from tests.test_review_rules import typed
from tests.test_topics import catalog_of

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://clinical-answers.example.org/"


def noted(*notes: tuple[str, str], body: str = BODY, title: str = TITLE, **keys: object) -> str:
    """An approved article whose review history holds `notes` (date, note), hashed as approved."""
    history = tuple(ReviewNote(dt.date.fromisoformat(day), (TEST_REVIEWER,), note) for day, note in notes)
    lines = "".join(
        f'\n  - {{date: {n.date}, reviewers: [{TEST_REVIEWER}], note: "{n.note}"}}' for n in history
    )
    source = article(
        body,
        title=title,
        status="approved",
        reviewed=notes[-1][0],
        reviewed_hash=approved_hash(body, title, reviewed=notes[-1][0], references=cited_as_formatted(body),
                                    history=history),
        **keys,
    )
    return source.replace("\n---\n\n", f"\nreview_history:{lines}\n---\n\n", 1)


def test_history_is_read_and_refused_when_malformed():
    good = [{"date": dt.date(2025, 2, 1), "reviewers": ["board-urology"], "note": "First approval."}]
    assert read_history(good) == (
        (ReviewNote(dt.date(2025, 2, 1), ("board-urology",), "First approval."),),
        None,
    )
    for bad in (
        "text",
        [{"date": "2025-02-01", "note": "x"}],
        [{**good[0], "note": "two\nlines"}],
        [{**good[0], "note": "x" * 201}],
        [{**good[0], "date": "soon"}],
        [{**good[0], "extra": 1}],
    ):
        assert read_history(bad)[0] is None


def test_a_note_edited_by_hand_is_a_change_since_review():
    source = noted(("2025-02-01", "First approval."))
    assert typed(source).reviewed_hash == pinned_hash(typed(source), project_pins())
    edited = typed(source.replace("First approval.", "Rewritten by someone else."))
    assert edited.reviewed_hash != pinned_hash(edited, project_pins())


def test_approve_appends_one_line_per_approval_and_keeps_earlier_ones():
    first = approved_source(
        article().encode(), "a.md", ["board-urology"], dt.date(2025, 2, 1), note="First approval."
    ).decode()
    assert (
        '\nreview_history:\n  - {date: 2025-02-01, reviewers: [board-urology], note: "First approval."}\n'
        in first
    )
    second = approved_source(
        first.encode(),
        "a.md",
        ["board-radiation-oncology"],
        dt.date(2025, 3, 1),
        note='Added the "CARD" results: rPFS 8.0 vs 3.7 months.',
    ).decode()
    assert first.split("review_history:")[1].split("\n---")[0].rstrip() in second
    reading = typed(second)
    assert [(n.date.isoformat(), n.reviewers, n.note) for n in reading.history] == [
        ("2025-02-01", ("board-urology",), "First approval."),
        ("2025-03-01", ("board-radiation-oncology",), 'Added the "CARD" results: rPFS 8.0 vs 3.7 months.'),
    ]
    assert reading.reviewed_hash == pinned_hash(reading, {})


def test_a_change_note_is_one_line_of_text():
    assert change_note("  Added   the 2024 update. ", "a.md") == "Added the 2024 update."
    for bad in ("", "   ", "first line\nsecond line", "x" * 201):
        with pytest.raises(ProblemsError):
            change_note(bad, "a.md")


def test_only_approved_articles_are_listed_newest_first(tmp_path):
    catalog = catalog_of(
        tmp_path,
        {
            "old.md": noted(
                ("2025-01-20", "First approval."), ("2025-03-01", "Updated doses."), title="Old?"
            ),
            "new.md": noted(("2025-04-02", "New article."), title="New?"),
            "pending.md": noted(("2025-04-03", "Approved once."), title="Pending?").replace(
                "status: approved", "status: under_review"
            ),
            "changed.md": noted(("2025-04-04", "Approved once."), title="Changed?") + "\nAdded later.\n",
        },
    )
    changes = approved_changes(catalog)
    assert [(c.date.isoformat(), c.title, c.note, c.anchor) for c in changes] == [
        ("2025-04-02", "New?", "New article.", "medsite-review-1"),
        ("2025-03-01", "Old?", "Updated doses.", "medsite-review-2"),
        ("2025-01-20", "Old?", "First approval.", "medsite-review-1"),
    ]
    assert changes[0].reviewers == ("Test Reviewer",)


def feed_checked(xml: bytes, site_url: str) -> feedparser.FeedParserDict:
    """The feed parsed by feedparser (well-formed Atom 1.0) and its required elements checked (RFC 4287)."""
    parsed = feedparser.parse(xml)
    assert parsed.bozo == 0 and parsed.version == "atom10", parsed.get("bozo_exception")
    root = etree.fromstring(xml)
    assert root.tag == f"{ATOM}feed"
    for element in (root, *root.findall(f"{ATOM}entry")):
        for required in ("id", "title", "updated"):
            assert element.find(f"{ATOM}{required}") is not None, required
        for link in element.findall(f"{ATOM}link"):
            assert urlsplit(link.get("href")).scheme == "https" and link.get("href").startswith(site_url)
    assert root.find(f"{ATOM}author/{ATOM}name") is not None  # entries carry none of their own
    ids = [entry.id for entry in parsed.entries]
    assert len(ids) == len(set(ids))
    return parsed


def test_feed_is_valid_atom_with_absolute_urls_and_escaped_text(tmp_path):
    catalog = catalog_of(
        tmp_path,
        {
            "a.md": noted(("2025-03-01", "Fixed <b>bold</b> & more."), title="Is <i>X</i> & Y safe?"),
        },
    )
    xml = atom_feed(
        approved_changes(catalog),
        site_url=SITE,
        site_name="Clinical Answers",
        url_of=lambda src: src.removesuffix(".md") + "/",
        updated=dt.date(2025, 6, 1),
    )
    parsed = feed_checked(xml, SITE)
    [entry] = parsed.entries
    assert entry.link == f"{SITE}articles/a/#medsite-review-1" and entry.title == "Is <i>X</i> & Y safe?"
    assert entry.summary == "Fixed <b>bold</b> & more. (Reviewed by Test Reviewer.)"
    assert entry.updated.startswith("2025-03-01")
    assert b"<i>X</i>" not in xml  # text, not markup
    empty = feed_checked(
        atom_feed(
            [], site_url=SITE.rstrip("/"), site_name="S", url_of=lambda s: s, updated=dt.date(2025, 6, 1)
        ),
        SITE,
    )
    assert empty.entries == [] and empty.feed.updated.startswith("2025-06-01")


@pytest.fixture
def site(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    return tiny_site


def test_tiny_site_lists_approvals_in_whats_new_the_feed_and_the_article(site):
    site.write(
        "docs/articles/old.md",
        noted(("2025-01-20", "First approval."), ("2025-03-01", "Updated doses."), title="Old?"),
    )
    site.write(
        "docs/articles/pending.md",
        noted(("2025-04-03", "Secret pending note."), title="Pending?").replace(
            "status: approved", "status: under_review"
        ),
    )
    site.write(
        "docs/articles/changed.md",
        noted(("2025-04-04", "Note of a changed article."), title="Changed?") + "\nUnreviewed text.\n",
    )
    built = site.build(strict=False)  # changed since review is a warning
    page = built.html("whats-new.md")
    listed = page.split('<ol class="medsite-whats-new">')[1]
    assert listed.index("Updated doses.") < listed.index("First approval.")
    assert 'href="../articles/old/#medsite-review-2"' in listed
    assert "Secret pending note" not in page and "changed article" not in page
    feed = (built.site_dir / "feed.xml").read_bytes()
    parsed = feed_checked(feed, SITE)
    assert [e.link for e in parsed.entries] == [
        f"{SITE}articles/old/#medsite-review-2",
        f"{SITE}articles/old/#medsite-review-1",
    ]
    assert b"Secret pending note" not in feed and b"Unreviewed" not in feed and b"Changed?" not in feed
    old = built.html("articles/old.md")
    history = old.split('id="medsite-review-history"')[1]
    assert history.index('id="medsite-review-2"') < history.index('id="medsite-review-1"')
    assert "Updated doses." in history and "Reviewed by Test Reviewer." in history
    assert "Review history" not in built.html("articles/pending.md")
    assert "Review history" not in built.html("articles/changed.md")
    assert '<link rel="alternate" type="application/atom+xml"' in old and 'href="../../feed.xml"' in old


def test_tiny_site_without_site_url_has_no_feed(site):
    site.config.pop("site_url", None)
    site.write("docs/articles/old.md", noted(("2025-01-20", "First approval."), title="Old?"))
    built = site.build(strict=False)
    assert not (built.site_dir / "feed.xml").exists()
    assert any("site_url is not set" in line for line in built.warnings)
    assert "First approval." in built.html("whats-new.md")


def test_approve_on_the_command_line_needs_a_note_and_reaches_whats_new(site, capsys):
    path = site.write("docs/articles/a.md", article())
    site.build()
    config = str(site.root / "mkdocs.yml")
    approve = ["approve", str(path), "--reviewer", TEST_REVIEWER, "--date", TODAY, "--config", config]
    with pytest.raises(SystemExit):
        main(approve)  # --note is required
    assert "--note" in capsys.readouterr().err
    assert main([*approve, "--note", "First approval after board review."]) == 0
    assert "First approval after board review." in site.build().html("whats-new.md")


def test_docs_files_in_the_way_of_the_generated_page_or_feed_are_errors(tmp_path):
    _, problems = whats_new_page(catalog_of(tmp_path, {}), existing={"whats-new.md", "feed.xml"})
    expected = [("docs/whats-new.md", "error"), ("docs/feed.xml", "error")]
    assert [(p.path, p.severity) for p in problems] == expected
