"""Citations through real MkDocs builds: strictness in strict and non-strict builds, code left alone,
the search index, and the generated References page."""

from __future__ import annotations

import logging
import re

import pytest

from medsite.bibliography.load import load_bibliography
from medsite.cli.main import main
from medsite.model.project import CITATIONS_EXTENSION
from medsite.search.pagefind import indexed_pages
from tests.citation_samples import SYNTHETIC
from tests.sitebuild import BuildFailed

ARTICLE = """Cabazitaxel prolongs survival after docetaxel [@debono2010tropic; @dewit2019card].

Real-world survival was shorter [@rouyer2019fuji, p 1003]. Again [@debono2010tropic].

Code stays code: `[@debono2010tropic]`.

```
[@nobody2020]
```

~~~
[@nobody2021]
~~~

    [@nobody2022]

Questions to editors@example.org.
"""


@pytest.fixture
def built(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n\nNo citations here.\n")
    tiny_site.write("docs/answer.md", "# An answer\n\n" + ARTICLE)
    return tiny_site.build()


def test_citations_become_linked_numbers_and_a_reference_list(built):
    html = built.html("answer.md")
    assert ('<sup class="medsite-cite"><a class="footnote-ref" href="#ref-debono2010tropic">1</a>,'
            '<a class="footnote-ref" href="#ref-dewit2019card">2</a></sup>.') in html
    assert '>3</a><span>(p 1003)</span></sup>' in html
    listed = re.findall(r'<li id="ref-([^"]+)">', html)
    assert listed == ["debono2010tropic", "dewit2019card", "rouyer2019fuji"]
    # The list follows the article's text, under its own heading, which the table of contents lists.
    assert html.index("Questions to editors@example.org") < html.index('<h2 id="references">References')
    assert re.search(r'<a href="#references" class="md-nav__link">\s*<span class="md-ellipsis">\s*References',
                     html)
    assert "2010;376:1147\u20131154." in html and "1147--1154" not in html
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/20888992/">PMID: 20888992</a>' in html
    assert built.warnings == []


@pytest.mark.parametrize(("anchor", "found"), [("references", True), ("ref-dewit2019card", True),
                                               ("ref-nobody2020", False)])
def test_links_to_a_reference_list_are_checked_like_any_anchor(tiny_site, anchor, found):
    tiny_site.write("docs/index.md", f"# Home\n\nSee [the trial](answer.md#{anchor}).\n")
    tiny_site.write("docs/answer.md", "# An answer\n\n" + ARTICLE)
    if found:
        assert tiny_site.build(strict=True).warnings == []
    else:
        with pytest.raises(BuildFailed) as failure:
            tiny_site.build(strict=True)
        assert (f"docs/index.md:3:17: error: found link 'answer.md#{anchor}', but docs/answer.md has no "
                f"heading or id '{anchor}'") in failure.value.log


@pytest.mark.parametrize("clash", ["## References", "## Sources {#ref-dewit2019card}"])
def test_a_heading_that_would_clash_with_the_generated_list_fails_the_build(tiny_site, clash):
    tiny_site.write("docs/index.md", f"# Home\n\nSee [@dewit2019card].\n\n{clash}\n\nOld list.\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    assert "docs/index.md: error: the page already has an element with id" in failure.value.log
    assert "Traceback" not in failure.value.log


def test_code_and_email_are_left_untouched_in_the_built_page(built):
    html = built.html("answer.md")
    assert "<code>[@debono2010tropic]</code>" in html
    for key in ("nobody2020", "nobody2021", "nobody2022"):
        assert f"[@{key}]" in html
    assert "editors@example.org" in html


def test_reference_lists_are_kept_out_of_the_search_index(built):
    [answer] = [page for page in indexed_pages(built.site_dir) if page["url"] == "/answer/"]
    assert "Cabazitaxel prolongs survival" in answer["content"]
    assert "Prednisone plus cabazitaxel" not in answer["content"]
    assert "pubmed" not in answer["content"].lower()
    assert "References" not in answer["content"] and "#ref-list" not in str(answer)
    [references] = [page for page in indexed_pages(built.site_dir) if page["url"] == "/references/"]
    assert "Prednisone plus cabazitaxel" not in references["content"]  # the bibliography page's list too


def test_references_page_lists_every_entry_with_the_pages_citing_it(tiny_site, built):
    html = built.html("references.md")
    entries = load_bibliography(tiny_site.root / "references", root=tiny_site.root).entries
    assert sorted(re.findall(r'<li id="ref-([^"]+)">', html)) == sorted(entries)
    entry = html[html.index('<li id="ref-debono2010tropic">'):]
    entry = entry[:entry.index("</li>")]
    assert 'Cited by:' in entry and '<a href="../answer/">An answer</a>' in entry
    uncited = html[html.index('<li id="ref-tannock2004tax327">'):]
    assert "Not cited by any page." in uncited[:uncited.index("</li>")]


@pytest.mark.parametrize("strict", [True, False])
def test_unknown_key_fails_the_build_with_file_line_and_nearest_keys(tiny_site, strict):
    tiny_site.write("docs/index.md", "# Home\n\nFine [@debono2010tropic].\n\nTypo [@debono2010tropc] here.\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=strict)
    assert ("docs/index.md:5:7: error: unknown citation key 'debono2010tropc' in [@debono2010tropc]; "
            "expected a key from the .bib files (nearest: debono2010tropic") in failure.value.log
    assert "Traceback" not in failure.value.log


def test_malformed_citation_fails_the_build(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n\nBroken [@debono2010tropic @dewit2019card].\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    assert ("docs/index.md:3:8: error: '[@debono2010tropic @dewit2019card]' is not a citation"
            in failure.value.log)


def test_duplicate_key_across_two_bib_files_fails_with_both_locations(tiny_site):
    copy = SYNTHETIC.replace("@article{alpha,", "@article{dewit2019card,")
    tiny_site.write("references/extra.bib", "% copy\n\n" + copy)
    tiny_site.write("docs/index.md", "# Home\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    assert ("references/seed-references.bib:28: error: duplicate key 'dewit2019card': already defined at "
            "references/extra.bib:3") in failure.value.log


def test_duplicate_key_within_one_bib_file_fails_with_both_lines(tiny_site):
    tiny_site.write("references/extra.bib", SYNTHETIC + "\n" + SYNTHETIC.split("\n\n")[0] + "\n")
    tiny_site.write("docs/index.md", "# Home\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    assert ("references/extra.bib:42: error: duplicate key 'alpha': already defined at references/extra.bib:1"
            in failure.value.log)


def test_malformed_bib_fails_with_file_and_line_without_traceback(tiny_site):
    tiny_site.write("references/extra.bib", "@article{ok, title = {Fine}, doi = {10.5555/ok}}\n"
                                            "@article{broken,\n  title = {Never closed\n")
    tiny_site.write("docs/index.md", "# Home\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    assert "references/extra.bib:2: error: malformed BibTeX entry" in failure.value.log
    assert "Traceback" not in failure.value.log


def test_article_without_doi_or_pmid_is_named_but_does_not_fail_the_strict_build(tiny_site, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.medsite")
    tiny_site.write("docs/index.md", "# Home\n\nGuideline [@parker2020esmo].\n")
    built = tiny_site.build()
    assert ("references/seed-references.bib:180: warning: journal article 'parker2020esmo' has neither "
            "doi nor pmid") in caplog.text
    assert built.warnings == [] and "Ann Oncol</i>. 2020;31(9):1119\u20131134." in built.html("index.md")


def test_a_reference_that_would_print_without_its_journal_fails_the_build_and_the_check(tiny_site, capsys):
    """No silent loss: a Zotero export's article without journaltitle is an error at its line, strict or not,
    in the build and in `medsite check`."""
    tiny_site.write("references/zotero.bib", "% Zotero\n@article{nojournal,\n\ttitle = {T},\n\tauthor = "
                                             "{Doe, Jane},\n\tdate = {2020},\n\tdoi = {10.5555/t}\n}\n")
    tiny_site.write("docs/index.md", "# Home\n\nCited [@nojournal].\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    expected = ("references/zotero.bib:2: error: entry 'nojournal' (@article) would print without its "
                "journal or journaltitle")
    assert expected in failure.value.log
    assert main(["check", "--config", str(tiny_site.root / "mkdocs.yml")]) == 1
    assert expected in capsys.readouterr().out


def citation_options(tiny_site) -> dict:
    """The options of medsite.extensions.citations in the test site's mkdocs.yml, to change them."""
    for item in tiny_site.config["markdown_extensions"]:
        if isinstance(item, dict) and CITATIONS_EXTENSION in item:
            return item[CITATIONS_EXTENSION]
    raise AssertionError("mkdocs.yml lists no citation extension")


def test_the_same_page_builds_in_ama_and_in_vancouver(tiny_site):
    """`citation_style` picks the style of every reference list; the numbers do not change."""
    tiny_site.write("docs/index.md", "# Home\n\nSurvival [@debono2010tropic; @hartsell2005rtog9714].\n")
    ama = tiny_site.build().html("index.md")
    citation_options(tiny_site)["citation_style"] = "vancouver"
    vancouver = tiny_site.build().html("index.md")
    assert "<i>Lancet</i>. 2010;376:1147\u20131154." in ama
    assert "Lancet. 2010;376:1147\u201354." in vancouver
    assert "J Natl Cancer Inst</i>. 2005;97(11):798\u2013804. <a" in ama
    assert ('J Natl Cancer Inst. 2005;97(11):798\u2013804. PubMed <a href="https://pubmed.ncbi.nlm.nih.gov/'
            '15928300/">PMID: 15928300</a>.') in vancouver
    citations = re.compile(r'<sup class="medsite-cite">.*?</sup>')
    assert citations.findall(ama) == citations.findall(vancouver) != []


WHERE = "under medsite.extensions.citations in mkdocs.yml's markdown_extensions"


@pytest.mark.parametrize(("setting", "value", "message"), [
    ("citation_style", "harvard", f"`citation_style: harvard` {WHERE} is not a style the project offers; "
                                  "expected one of ama, vancouver"),
    ("csl_file", "ama.csl", "`csl_file` is mkdocs-bibtex's setting and is not read; expected "
                            f"`citation_style: ama` or `citation_style: vancouver` {WHERE}"),
    ("bib_file", "refs.bib", "`bib_file` is mkdocs-bibtex's setting and is not read; expected `bibliography: "
                             f"<folder holding your .bib files>` {WHERE}"),
])
def test_an_unknown_style_or_a_mkdocs_bibtex_setting_fails_saying_what_to_write(tiny_site, setting, value,
                                                                                message):
    tiny_site.write("docs/index.md", "# Home\n")
    citation_options(tiny_site)[setting] = value
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    assert f"mkdocs.yml: error: {message}" in failure.value.log


def test_a_citation_markdown_leaves_as_text_inside_raw_html_fails_the_build(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n\nShown [@debono2010tropic].\n\n<div>\nHidden "
                                     "[@dewit2019card].\n</div>\n\n<div markdown>\nRendered "
                                     "[@rouyer2019fuji].\n</div>\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    assert ("docs/index.md:6:8: error: citation '[@dewit2019card]' is left as text by Markdown (inside raw "
            "HTML?)") in failure.value.log
    assert "rouyer2019fuji" not in failure.value.log.split("error:", 1)[1]


def test_mkdocs_bibtex_commands_work_or_say_what_to_write(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n\nCited [@debono2010tropic].\n\n\\bibliography\n")
    html = tiny_site.build().html("index.md")
    assert "\\bibliography" not in html and 'id="ref-debono2010tropic"' in html
    tiny_site.write("docs/index.md", "# Home\n\nEvery reference:\n\n\\full_bibliography\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build(strict=False)
    assert ("docs/index.md:5:1: error: '\\full_bibliography' is not a citation; expected a link to the "
            "References page, which lists every entry: [References](/references.md)") in failure.value.log


def test_a_page_cleared_in_an_earlier_build_is_checked_again_against_a_changed_bibliography(tiny_site):
    # The builds of one process share what `mkdocs serve` keeps between rebuilds, the pages already cleared.
    tiny_site.write("docs/index.md", "# Home\n\nFine [@debono2010tropic].\n")
    tiny_site.build()
    for bib in (tiny_site.root / "references").glob("*.bib"):
        bib.write_text(bib.read_text(encoding="utf-8").replace("debono2010tropic", "debono2010renamed"),
                       encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert "docs/index.md:3:7: error: unknown citation key 'debono2010tropic'" in failure.value.log
