"""Front matter of every page: articles allow only their schema (no `template` or other layout key), pages
outside articles/ must be maintainers' site pages with front matter of their own schema, and whatever
Material prints of it is text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medsite.markdown.frontmatter import multimarkdown_meta
from medsite.model.site_pages import site_page_problems
from tests.review_samples import article, line_of
from tests.sitebuild import BuildFailed

INJECTED = '"><script>alert(1)</script>'


def fails_naming(site, where: str) -> str:
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert where in failure.value.log and "Traceback" not in failure.value.log, failure.value.log
    return failure.value.log


@pytest.mark.parametrize("key", ["template: base.html", "template: main.html", "subtitle: x", "icon: x",
                                 "hide: [toc]", "medsite_review: {approved: true}"])
def test_an_article_with_a_layout_or_unknown_key_fails_the_build_naming_file_and_line(tiny_site, key):
    source = article().replace("---\n\n", f"{key}\n---\n\n", 1)
    tiny_site.write("docs/articles/a.md", source)
    line = line_of(source, key.split(":")[0])
    log = fails_naming(tiny_site, f"docs/articles/a.md:{line}: error: unknown key")
    assert "`template` are not allowed in articles" in log


def test_a_page_outside_articles_that_no_maintainer_listed_fails_the_build(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/topics/x.md", f"---\ndescription: '{INJECTED}'\n---\n\n# X\n", listed=False)
    fails_naming(tiny_site, "docs/topics/x.md:1: error: a page outside articles/ that is not one of the "
                            "maintainers' site pages")


@pytest.mark.parametrize(("front", "line"), [
    ("---\ntemplate: base.html\n---\n", 2),
    ("---\ntitle: Home\nstatus: approved\n---\n", 3),
    ("---\nhide: [caution]\n---\n", 2),
    ("---\nsearch: {boost: 1e9}\n---\n", 2),
    ("template: base.html\ntitle: Home\n\n", 1),  # MultiMarkdown-style metadata, which MkDocs reads too
])
def test_a_maintainers_page_with_a_key_outside_its_schema_fails_the_build(tiny_site, front, line):
    tiny_site.write("docs/index.md", front + "# Home\n\nText.\n")
    fails_naming(tiny_site, f"docs/index.md:{line}: error: ")


def test_a_maintainers_page_title_and_description_are_text(tiny_site):
    tiny_site.write("docs/index.md", f"---\ntitle: '{INJECTED}'\ndescription: '{INJECTED}'\n"
                                     "hide: [toc]\nsearch: {exclude: true}\n---\n\nText.\n")
    html = tiny_site.build().html("index.md")
    assert "<script>alert" not in html
    assert re.search(r'<meta name="description" content="&#34;&gt;&lt;script&gt;|'
                     r'<meta name="description" content="&quot;&gt;&lt;script&gt;', html)


def test_medsite_check_reports_unlisted_pages_and_site_page_keys(tmp_path, capsys):
    from medsite.cli.main import main
    from tests.project_samples import make_project

    config = make_project(tmp_path)
    (tmp_path / "docs" / "index.md").write_text("---\ntemplate: base.html\n---\n# Home\n", encoding="utf-8")
    (tmp_path / "docs" / "stray.md").write_text("# Stray\n", encoding="utf-8")
    assert main(["check", "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "docs/index.md:2: error: unknown key `template` in a site page" in out
    assert "docs/stray.md:1: error: a page outside articles/" in out


def test_site_page_problems_name_each_key():
    problems = site_page_problems("---\ntitle: Home\nreviewers: [x]\nhide: toc\n---\n", "docs/index.md")
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (3, "unknown key `reviewers` in a site page (article keys belong in articles, under docs/articles/)"),
        (4, "`hide` is not valid")]


META_LINES = st.lists(st.one_of(
    st.from_regex(r"[ ]{0,3}[A-Za-z0-9_-]{1,8}:[ \t]?[a-z<>\"' ]{0,10}", fullmatch=True),
    st.from_regex(r"(    |\t)[a-z ]{0,8}", fullmatch=True),
    st.sampled_from(["", "---", "# Heading", "text", "key:value"])), max_size=6)


@settings(max_examples=200, deadline=None)
@given(META_LINES)
def test_multimarkdown_metadata_is_read_as_mkdocs_reads_it(lines):
    from mkdocs.utils.meta import get_data

    source = "\n".join(lines) + "\n\nBody\n"
    data, key_lines = multimarkdown_meta(source)
    assert data == get_data(source)[1] or source.startswith("---")
    assert set(key_lines) == set(data)


def test_an_at_sign_in_a_title_or_topic_is_text_not_a_citation(tiny_site):
    """The citation extension reads a bare @key as a citation; the generated H1 and topic pages escape it."""
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/articles/a.md", article(title="Is @debono2010tropic right for [@x]?",
                                                  topics=["care @home"]))
    built = tiny_site.build()
    html = built.html("articles/a.md")
    heading = html.split("</h1>")[0].rsplit("<h1", 1)[1]
    assert ">Is @debono2010tropic right for [@x]?<a" in heading and "medsite-cite" not in heading
    assert any("Care @home" in path.read_text(encoding="utf-8")
               for path in (built.site_dir / "topics").rglob("index.html"))
