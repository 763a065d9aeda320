"""Topic pages and the home page list, generated from front matter; the nav does not list articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from medsite.core.problems import Problem
from medsite.markdown.frontmatter import parse
from medsite.model.article import read_article
from medsite.model.settings import read_settings
from medsite.pages.topics import (
    HOME_LIST,
    HOME_LIST_LENGTH,
    ListedArticle,
    Topic,
    TopicsMemo,
    article_lists,
    collect_topics,
    slugify,
    topic_pages,
)
from medsite.review.catalog import load_catalog
from medsite.search.pagefind import indexed_pages
from tests.review_samples import DESCRIPTION, TODAY, article, with_test_board
from tests.sitebuild import PROJECT, BuildFailed
from tests.sites import article_slug

SETTINGS = read_settings({"registry": "data/people.yml", "today": TODAY})


def catalog_of(tmp_path: Path, articles: dict[str, str]):
    shutil.copytree(PROJECT / "data", tmp_path / "data")
    with_test_board(tmp_path / "data" / "people.yml")
    for name, text in articles.items():
        path = tmp_path / "docs" / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_catalog(tmp_path / "docs", tmp_path, SETTINGS)


def test_articles_are_grouped_by_topic_and_sorted_by_title(tmp_path):
    catalog = catalog_of(tmp_path, {
        "b.md": article(title="Zoledronic acid?", topics=["prostate cancer", "bone health"]),
        "a.md": article(title="Abiraterone?", topics=["prostate cancer"]),
    })
    topics, problems = collect_topics(catalog.articles.values())
    assert problems == []
    assert [(t.name, t.slug, [a.title for a in t.articles]) for t in topics] == [
        ("bone health", "bone-health", ["Zoledronic acid?"]),
        ("prostate cancer", "prostate-cancer", ["Abiraterone?", "Zoledronic acid?"]),
    ]


def test_two_spellings_of_one_topic_are_one_page_and_a_warning_on_the_later_article(tmp_path):
    catalog = catalog_of(tmp_path, {
        "a.md": article(title="A?", topics=["prostate cancer"]),
        "b.md": article(title="B?", topics=["Prostate Cancer", "prostate cancer"]),
    })
    topics, problems = collect_topics(catalog.articles.values())
    assert [(t.name, len(t.articles)) for t in topics] == [("prostate cancer", 2)]
    assert [(p.path, p.line, p.severity) for p in problems] == [("docs/articles/b.md", 6, "warning")]
    assert "`Prostate Cancer` is written `prostate cancer`" in problems[0].message


def test_topic_without_letters_is_a_problem(tmp_path):
    catalog = catalog_of(tmp_path, {"a.md": article(topics=["+++"])})
    topics, problems = collect_topics(catalog.articles.values())
    assert topics == [] and "has no letters or digits" in problems[0].message


def test_topic_page_is_a_heading_and_a_sentence_and_its_list_is_data(tmp_path):
    catalog = catalog_of(tmp_path, {
        "a.md": article(title="Is *drug* [X] better?", description="No_really <b>not</b>.",
                        topics=["oncology"]),
    })
    pages, topics, problems = topic_pages(catalog, existing=set())
    assert problems == [] and set(pages) == {"topics/oncology.md", "topics/index.md"}
    assert pages["topics/oncology.md"] == (
        "# Oncology\n\n1 article on this topic. See also [all topics](/topics/index.md).\n")
    assert "- [Oncology](/topics/oncology.md) (1)" in pages["topics/index.md"]
    listing = article_lists(catalog, topics)["topics/oncology.md"]
    assert listing.total == 1
    assert listing.articles == [  # as written: the theme escapes it
        ListedArticle("articles/a.md", "Under review", [("Is *drug* [X] better?", "")],
                      [("No_really <b>not</b>.", "")])]
    assert (listing.articles[0].title, listing.articles[0].description) == (
        "Is *drug* [X] better?", "No_really <b>not</b>.")


def test_a_list_expands_each_article_s_abbreviations_where_the_page_first_uses_them(tmp_path):
    body = ("Text.\n\n*[IMRT]: intensity-modulated radiotherapy\n"
            "*[mCRPC]: metastatic castration-resistant prostate cancer\n")
    catalog = catalog_of(tmp_path, {
        "a.md": article(body, title="IMRT in mCRPC?", description="IMRT helps some.", updated="2025-01-12"),
        "b.md": article(body, title="Is IMRT safe?", description="Mostly.", updated="2025-01-11"),
        "c.md": article(title="IMRT undefined?", updated="2025-01-10"),
    })
    home = article_lists(catalog, [])[HOME_LIST].articles
    assert [(a.title_parts, a.description_parts) for a in home] == [
        ([("IMRT", "intensity-modulated radiotherapy"), (" in ", ""),
          ("mCRPC", "metastatic castration-resistant prostate cancer"), ("?", "")],
         [("IMRT helps some.", "")]),
        ([("Is IMRT safe?", "")], [("Mostly.", "")]),  # expanded once per page is enough
        ([("IMRT undefined?", "")], [(DESCRIPTION, "")]),
    ]


def test_a_docs_file_in_the_way_of_a_generated_page_is_a_problem(tmp_path):
    catalog = catalog_of(tmp_path, {"a.md": article(topics=["oncology"])})
    _, _, problems = topic_pages(catalog, existing={"topics/oncology.md"})
    assert [(p.path, p.severity) for p in problems] == [("docs/topics/oncology.md", "error")]


def test_home_list_shows_the_most_recently_updated_first_and_stays_short(tmp_path):
    catalog = catalog_of(tmp_path, {
        f"a{n}.md": article(title=f"Question {n}?", updated=f"2025-01-{n + 10}") for n in range(3)
    })
    home = article_lists(catalog, [], limit=2)[HOME_LIST]
    assert [a.title for a in home.articles] == ["Question 2?", "Question 1?"] and home.total == 3


def test_real_nav_lists_topics_not_articles():
    nav = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    flat = yaml.safe_dump(nav)
    assert "topics/index.md" in flat
    assert "articles/" not in flat


def test_tiny_site_generates_topic_pages_and_home_list(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nIntro.\n")
    tiny_site.write("docs/articles/a.md", article(title="Does drug X help?", topics=["prostate cancer"]))
    tiny_site.write("docs/articles/b.md", article(title="Is <b>drug</b> *Y* better?",
                                                  description="Not <i>really</i>."))
    built = tiny_site.build()
    topic = built.html("topics/prostate-cancer.md")
    assert '<a href="../../articles/a/">Does drug X help?</a>' in topic
    assert ('<a href="../../articles/b/">Is &lt;b&gt;drug&lt;/b&gt; *Y* better?</a>: '
            "Not &lt;i&gt;really&lt;/i&gt;." in topic)
    assert "<em>Under review</em>" in topic and "2 articles on this topic" in topic
    assert '<a href="prostate-cancer/">Prostate cancer</a> (2)' in built.html("topics/index.md")
    home = built.html("index.md")
    assert '<a href="articles/a/">Does drug X help?</a>' in home and "Showing the" not in home
    assert home.index("Intro.") < home.index('<ul class="medsite-article-list">')
    assert not (tiny_site.docs / "topics").exists()  # generated, never written into docs/
    assert built.warnings == []
    # Search finds an article on its own page, not again on every list that names it.
    assert {page["url"] for page in indexed_pages(built.site_dir)
            if "Does drug X help" in page["content"] + page["meta"]["title"]} == {"/articles/a/"}


def test_abbreviations_in_a_list_become_abbr_elements_with_their_expansion_as_text(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/articles/a.md", article(
        'Text.\n\n*[IMRT]: intensity-modulated "radio" <b>therapy</b>\n', title="Is <i>IMRT</i> safe?"))
    built = tiny_site.build()
    expected = ('<a href="articles/a/">Is &lt;i&gt;<abbr title="intensity-modulated &#34;radio&#34; '
                '&lt;b&gt;therapy&lt;/b&gt;">IMRT</abbr>&lt;/i&gt; safe?</a>')
    assert expected in built.html("index.md")
    assert expected.replace("articles/a/", "../../articles/a/") in built.html("topics/prostate-cancer.md")
    assert built.warnings == []


def test_home_list_of_a_large_site_says_how_many_it_leaves_out(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n")
    for n in range(HOME_LIST_LENGTH + 1):
        tiny_site.write(f"docs/articles/a{n}.md", article(title=f"Question {n}?"))
    home = tiny_site.build().html("index.md")
    assert home.count('<li><a href="articles/a') == HOME_LIST_LENGTH
    assert f"Showing the {HOME_LIST_LENGTH} most recently updated of {HOME_LIST_LENGTH + 1} articles." in home


def test_home_page_of_a_site_without_articles_says_so(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n")
    assert "<p>No articles yet.</p>" in tiny_site.build().html("index.md")


def test_tiny_site_fails_when_docs_has_a_topics_file_in_the_way(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/articles/a.md", article(topics=["oncology"]))
    tiny_site.write("docs/topics/oncology.md", "# Mine\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert "docs/topics/oncology.md: error: this file is in the way" in failure.value.log


def test_real_site_lists_every_article_on_its_topic_pages_and_none_in_the_nav(real_site):
    assert real_site.returncode == 0, real_site.stderr
    catalog = real_site.catalog
    topics, problems = collect_topics(catalog.articles.values())
    assert topics and problems == []
    index = real_site.html("topics")
    for topic in topics:
        assert f'href="{topic.slug}/"' in index
        page = real_site.html(f"topics/{topic.slug}")
        for listed_article in topic.articles:
            assert f'href="../../articles/{article_slug(listed_article.src_uri)}/"' in page
    home = real_site.html("")
    header_and_nav = home.split('<article class="md-content__inner')[0]
    assert 'href="topics/"' in header_and_nav and 'href="articles/' not in header_and_nav
    shown = article_lists(catalog, topics)[HOME_LIST].articles
    assert shown and all(f'href="articles/{article_slug(a.src_uri)}/"' in home for a in shown)


# Topic names that slug alike (one topic, two spellings), one with no letters, and a title that ties.
NAMES = ["prostate cancer", "Prostate cancer", "fatigue", "Fatigue!", "---", "bone metastases",
         "Straße", "strasse"]  # the last two: other topics (slugs), one name ignoring case


def _article(number: int, names: list[str], title: str):
    source = article(title=title, topics=names)
    reading = read_article(parse(source, f"docs/articles/a{number}.md"), f"docs/articles/a{number}.md",
                           f"articles/a{number}.md")
    assert reading.article is not None, reading.problems
    return reading.article


@settings(max_examples=60)
@given(st.lists(st.tuples(st.integers(0, 5), st.lists(st.sampled_from(NAMES), max_size=3),
                          st.sampled_from(["Abiraterone?", "abiraterone?", "Zoledronic acid?"]),
                          st.booleans()), max_size=10))
def test_topics_kept_across_edits_equal_topics_collected_afresh(edits):
    """`mkdocs serve` collects the topics of the changed articles only (TopicsMemo): after any sequence of
    articles edited, added and removed, the topics, their names, articles, order and every warning equal
    what collecting every article again gives."""
    memo, current = TopicsMemo(), {}
    for number, names, title, present in edits:
        if present:
            current[number] = _article(number, names, title)
        else:
            current.pop(number, None)
        articles = [current[key] for key in sorted(current, key=lambda key: f"articles/a{key}.md")]
        kept, kept_problems = collect_topics(articles, memo)
        assert ([(t.name, t.slug, [a.src_uri for a in t.articles]) for t in kept], kept_problems) == (
            _collected_whole(articles))


def _collected_whole(articles) -> tuple[list, list]:
    """The topics as every article's are collected in file order (the rule as it was first written)."""
    topics: dict[str, Topic] = {}
    problems = []
    for item in sorted(articles, key=lambda a: a.src_uri):
        for name in item.topics:
            slug = slugify(name, "-")
            if not slug:
                problems.append(Problem(item.path, item.line("topics"), f"topic `{name}` has no letters or "
                                        "digits; expected a name such as `prostate cancer`"))
                continue
            topic = topics.setdefault(slug, Topic(name, slug))
            if name != topic.name:
                problems.append(Problem(item.path, item.line("topics"), f"topic `{name}` is written "
                                        f"`{topic.name}` in other articles; expected one spelling",
                                        severity="warning"))
            if not topic.articles or topic.articles[-1] is not item:
                topic.articles.append(item)
    ordered = sorted(topics.values(), key=lambda t: t.name.casefold())
    return [(t.name, t.slug, [a.src_uri for a in sorted(t.articles, key=lambda a: (a.title.casefold(),
                                                                                    a.src_uri))])
            for t in ordered], problems
