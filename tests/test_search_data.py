"""Site search (Pagefind): each article's answer, synonyms and filter values reach the index; the
indexer runs after every build over the whole site, and its failure fails the build with its message."""

from __future__ import annotations

import pytest

from medsite.core.problems import ProblemsError
from medsite.review.rules import ReviewState
from medsite.search.data import article_search_data, grade_labels, status_label
from medsite.search.pagefind import BUNDLE, index_site, indexed_pages
from medsite.search.synonyms import Synonyms
from tests.review_samples import TODAY, article
from tests.sitebuild import BuildFailed
from tests.sites import article_slug

GROUPS = Synonyms((("cabazitaxel", "Jevtana"), ("mCRPC", "metastatic castration-resistant prostate cancer")))


@pytest.mark.parametrize("state, label", [
    (ReviewState("approved", changed=False, overdue=False), "Approved"),
    (ReviewState("approved", changed=False, overdue=True), "Approved"),
    (ReviewState("approved", changed=True, overdue=False), "Changed since review"),
    (ReviewState("under_review", changed=False, overdue=False), "Under review"),
    (ReviewState("submitted", changed=False, overdue=False), "Submitted"),
])
def test_status_filter_uses_the_trackers_words_and_names_a_change_since_review(state, label):
    assert status_label(state) == label


def test_grades_come_from_the_badges_once_each_in_order():
    html = ('<a class="evidence-badge" data-grade="2B" href="#">GRADE 2B</a> '
            '<a class="evidence-badge" data-grade="I-A" href="#">x</a> '
            '<a class="evidence-badge" data-grade="2B" href="#">GRADE 2B</a> <span data-grade="1A">')
    assert grade_labels(html) == ["GRADE 2B", "Level I, Grade A"]


def test_a_titles_synonyms_are_kept_apart_from_the_texts(tmp_path):
    from medsite.markdown.frontmatter import parse
    from medsite.model.article import read_article
    source = article(title="Can cabazitaxel help?", description="In mCRPC, yes.", topics=["a", "b"])
    reading = read_article(parse(source, "docs/articles/a.md"), "docs/articles/a.md", "articles/a.md")
    data = article_search_data(reading.article, ReviewState("submitted", changed=False, overdue=False),
                               "<p>Cabazitaxel text.</p>", GROUPS)
    assert data.title_synonyms == "Jevtana"
    assert data.synonyms == "metastatic castration-resistant prostate cancer"
    assert data.answer == "In mCRPC, yes."
    assert data.filters == {"topic": ["a", "b"], "status": ["Submitted"],
                            "audience": ["For healthcare professionals"]}  # no badge, no grade filter


def test_tiny_site_index_holds_answers_and_filters_and_no_lists(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/evidence-grades.md", "# Evidence grades\n\n## GRADE {#grade}\n")
    tiny_site.write("docs/articles/a.md", article(
        "**Bottom line.** Cabazitaxel helps [grade: 1A].\n", title="Does drug X help?",
        description="Sometimes <b>not</b>.", topics=["prostate cancer", "chemotherapy"], audience="patient"))
    tiny_site.write("docs/articles/b.md", article(status="approved", title="Is drug Y better?"))
    built = tiny_site.build()
    pages = {page["url"]: page for page in indexed_pages(built.site_dir)}
    a, b = pages["/articles/a/"], pages["/articles/b/"]
    assert a["meta"]["title"] == "Does drug X help?" and a["meta"]["answer"] == "Sometimes <b>not</b>."
    assert "title_synonyms" not in a["meta"]  # the title names nothing the synonyms know
    assert a["meta"]["synonyms"] == "Jevtana"
    assert a["filters"] == {"topic": ["prostate cancer", "chemotherapy"], "status": ["Under review"],
                            "grade": ["GRADE 1A"], "audience": ["For patients and caregivers"],
                            "caution": ["Educational purpose only · content pending human review"]}
    assert b["filters"]["status"] == ["Approved"]
    # A result shows the caution its page carries (search.js), and only where the page carries it.
    assert a["filters"]["caution"] == ["Educational purpose only · content pending human review"]
    assert "caution" not in b["filters"]
    assert "Educational purpose only" in built.html("articles/a.md")
    assert "Educational purpose only" not in built.html("articles/b.md")
    assert "Bottom line. Cabazitaxel helps GRADE 1A." in a["content"]
    assert "Educational purpose only" not in a["content"]  # the review banner is not the article's text
    assert "Professional medical disclaimer" not in a["content"]
    assert "Does drug X help" not in pages["/"]["content"]  # the home list: each article on its own page
    assert not any("filters" in page and page["filters"] for url, page in pages.items()
                   if not url.startswith("/articles/"))
    # Only the index and the worker the site's search uses are published, not Pagefind's own UIs.
    assert sorted(path.name for path in (built.site_dir / BUNDLE).glob("*.js")) == [
        "pagefind-worker.js", "pagefind.js"]


def test_pages_and_sections_excluded_from_search_stay_out(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/hidden.md", "---\nsearch:\n  exclude: true\n---\n# Hidden\n\nText.\n")
    tiny_site.write("docs/part.md",
                    '# Part\n\nKept.\n\n<div data-search-exclude markdown>\nSecret words.\n</div>\n')
    pages = {page["url"]: page for page in indexed_pages(tiny_site.build().site_dir)}
    assert "/hidden/" not in pages and "/" in pages
    assert "Kept." in pages["/part/"]["content"] and "Secret" not in pages["/part/"]["content"]


def test_a_page_where_the_index_goes_fails_the_build(tiny_site):
    # A static file there is off the publishing allow-list; a maintainers' page could still land there
    # (tests/test_search_reserved.py: the index's other folders).
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write(f"docs/{BUNDLE}.md", "# Search\n\nA page where the search index goes.\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    assert f"docs/{BUNDLE}.md: error: found a page or file published to {BUNDLE}/" in failure.value.log


def test_a_failing_indexer_fails_with_its_own_message(tmp_path):
    site = tmp_path / "site"
    site.mkdir()  # no HTML at all: Pagefind refuses
    with pytest.raises(ProblemsError) as failure:
        index_site(site, language="en", display="mkdocs.yml")
    [problem] = failure.value.problems
    assert problem.message.startswith("Pagefind could not index the site (exit 1): ")
    assert "Pagefind was not able to build an index" in problem.message  # Pagefind's own words
    assert sorted(path.name for path in site.iterdir()) == []  # nothing half-written left behind


def test_a_new_index_replaces_the_old_one_whole(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<html lang=en><body><h1>Alpha</h1><p>One.</p></body></html>")
    index_site(site, language="en", display="mkdocs.yml")
    (site / "a" / "index.html").write_text("<html lang=en><body><h1>Beta</h1><p>Two.</p></body></html>")
    index_site(site, language="en", display="mkdocs.yml")
    assert [page["meta"]["title"] for page in indexed_pages(site)] == ["Beta"]
    assert sorted(path.name for path in site.iterdir()) == ["a", BUNDLE]


def test_real_site_index_holds_every_article_with_its_answer_and_filters(real_site):
    assert real_site.returncode == 0, real_site.stderr
    pages = {page["url"]: page for page in indexed_pages(real_site.site_dir)}
    assert real_site.catalog.articles
    for uri, written in real_site.catalog.articles.items():
        page = pages[f"/articles/{article_slug(uri)}/"]
        assert page["meta"]["answer"] == written.description
        assert page["filters"]["topic"] == list(written.topics) and len(page["filters"]["status"]) == 1
        # Its result carries the caution exactly when its page does.
        html = (real_site.site_dir / "articles" / article_slug(uri) / "index.html").read_text("utf-8")
        assert ("caution" in page["filters"]) == ('class="medsite-caution"' in html)
        assert ("caution" in page["filters"]) == (page["filters"]["status"] != ["Approved"])


def test_every_real_page_has_one_search_box_and_at_most_one_indexed_body(real_site):
    """The templates insert both by a replace without a count (Zensical's MiniJinja takes none): each
    must find exactly one place in Material's markup."""
    assert real_site.returncode == 0, real_site.stderr
    pages = [path for path in real_site.site_dir.rglob("*.html") if BUNDLE not in path.parts]
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if "<header" not in html:
            continue  # a redirect or an error page of the theme without Material's header
        assert html.count("data-medsite-search") == 1, path
        assert html.count("data-pagefind-body") <= 1, path
