"""The editorial dashboard: rows, flags and counts from front matter; a generated page that survives the
sanitiser and renders every title and name as text."""

from __future__ import annotations

import re

import pytest

from medsite.pages.dashboard import bar_chart, dashboard_page, dashboard_rows, status_counts
from tests.review_samples import BODY, TEST_BOARD, TODAY, approved_hash, article
from tests.sitebuild import PROJECT, BuildFailed
from tests.test_topics import catalog_of  # the same small catalog, with the project's registry

CHANGED = BODY + "\nA sentence added after approval.\n"
SAMPLES = {
    "approved.md": article(title="Approved?", status="approved", next_review="2026-02-01"),
    "overdue.md": article(title="Overdue?", status="approved", reviewed="2024-02-01",
                          next_review="2025-02-01"),
    "changed.md": article(CHANGED, title="Changed?", status="approved", reviewed_hash=approved_hash()),
    "pending.md": article(title="Pending?"),
    "new.md": article(title="New?", status="submitted", reviewers=[]),
}


def test_rows_carry_status_names_dates_and_flags_overdue_first(tmp_path):
    rows = dashboard_rows(catalog_of(tmp_path, SAMPLES))
    assert [(r.title, r.bucket, r.overdue, r.changed) for r in rows] == [
        ("Overdue?", "approved", True, False),
        ("Approved?", "approved", False, False),
        ("Changed?", "changed", False, True),
        ("New?", "submitted", False, False),
        ("Pending?", "under_review", False, False),
    ]
    assert rows[0].reviewers == ("Test Reviewer",)
    assert rows[0].reviewed.isoformat() == "2024-02-01" and rows[0].next_review.isoformat() == "2025-02-01"
    assert rows[3].reviewers == () and rows[3].reviewed is None and rows[3].next_review is None


def test_counts_cover_every_status_including_zero(tmp_path):
    rows = dashboard_rows(catalog_of(tmp_path, SAMPLES))
    assert status_counts(rows) == {"submitted": 1, "under_review": 1, "approved": 2, "changed": 1}
    assert status_counts([]) == {"submitted": 0, "under_review": 0, "approved": 0, "changed": 0}


def test_page_is_out_of_search_and_its_rows_keep_titles_as_written(tmp_path):
    catalog = catalog_of(tmp_path, {"a.md": article(title="Is *drug* <b>X</b> | Y better?")})
    page, problems = dashboard_page(catalog, existing=set())
    assert problems == []
    assert page.startswith("---\nsearch:\n  exclude: true\n---\n")
    assert "Where each of the 1 article stands in review" in page and "drug" not in page
    [row] = dashboard_rows(catalog)
    assert (row.title, row.status, row.flags) == ("Is *drug* <b>X</b> | Y better?", "Under review", [])


def test_a_docs_file_in_the_way_of_the_dashboard_is_an_error(tmp_path):
    _, problems = dashboard_page(catalog_of(tmp_path, {}), existing={"dashboard.md"})
    assert [(p.path, p.severity) for p in problems] == [("docs/dashboard.md", "error")]


def test_chart_draws_bars_to_scale_with_a_summary_as_its_name():
    chart = bar_chart({"submitted": 0, "under_review": 1, "approved": 2, "changed": 1})
    assert chart.summary == ("Articles by status: Submitted 0, Under review 1, Approved 2, "
                             "Changed since review 1")
    assert [(bar.label, bar.count, bar.width) for bar in chart.bars] == [
        ("Submitted", 0, 0), ("Under review", 1, 100), ("Approved", 2, 200), ("Changed since review", 1, 100)]
    assert [bar.text_y for bar in chart.bars] == [16, 40, 64, 88] and chart.height == 96
    assert [bar.width for bar in bar_chart({"submitted": 0}).bars] == [0]  # no division by zero


def test_tiny_site_dashboard_lists_articles_with_flags_and_escaped_text(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("data/people.yml", (PROJECT / "data/people.yml").read_text(encoding="utf-8") + TEST_BOARD
                    + "\nboard-hostile:\n  role: board\n  name: \"<img src=x onerror=alert(1)> Dr Evil\"\n"
                      "  credentials: MD\n  specialty: Urology\n  conflicts: None declared\n")
    tiny_site.write("docs/articles/approved.md", article(title="Approved <i>really</i>?", status="approved",
                                                         reviewers=["board-hostile"]))
    tiny_site.write("docs/articles/pending.md", article(title="Pending?"))
    tiny_site.write("docs/articles/changed.md", article(CHANGED, title="Changed?", status="approved",
                                                        reviewed_hash=approved_hash(title="Changed?")))
    built = tiny_site.build(strict=False)  # changed since review is a warning, which strict builds fail on
    page = built.html("dashboard.md")
    rows = {re.search(r">([^<]*(?:&lt;i&gt;really&lt;/i&gt;)?[^<]*)</a>", row).group(1): row
            for row in re.findall(r"<tr>.*?</tr>", page, re.DOTALL)[1:]}
    assert set(rows) == {"Approved &lt;i&gt;really&lt;/i&gt;?", "Pending?", "Changed?"}
    assert '<a href="../articles/approved/">' in rows["Approved &lt;i&gt;really&lt;/i&gt;?"]
    assert "&lt;img src=x onerror=alert(1)&gt; Dr Evil" in rows["Approved &lt;i&gt;really&lt;/i&gt;?"]
    assert "<img" not in page.split('class="md-content"')[1]
    assert "Changed since review" in rows["Changed?"] and "Review overdue" not in rows["Changed?"]
    assert "Under review" in rows["Pending?"]
    assert '<svg role="img" aria-label="Articles by status: Submitted 0, Under review 1, Approved 1, ' \
           'Changed since review 1"' in page
    assert page.count("<rect ") == 4 and ">Changed since review</text>" in page
    chart = re.search(r'<svg role="img".*?</svg>', page, re.DOTALL).group(0)
    assert "style=" not in chart  # the CSP allows no style attributes
    assert "<li>Under review: 1</li>" in page and "<li>Review overdue: 0</li>" in page
    assert not (tiny_site.docs / "dashboard.md").exists()


def test_tiny_site_fails_when_docs_has_a_dashboard_file(tiny_site):
    tiny_site.write("docs/dashboard.md", "# Mine\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert "docs/dashboard.md: error: this file is in the way" in failure.value.log
