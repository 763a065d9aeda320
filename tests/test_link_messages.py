"""MkDocs' own link and nav warnings come out in medsite's format, with the file, line and column of the
link as written, through real builds; strict builds still fail on them, others call them warnings."""

from __future__ import annotations

import logging

import pytest

from tests.sitebuild import BuildFailed

ABOUT = "# About\n\n## Scope\n"


def failures(tiny_site) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    return [line.split(": ", 1)[1] for line in failure.value.log.splitlines() if line.startswith("WARNING: ")]


@pytest.mark.parametrize(("markdown", "expected"), [
    ("[x](nowhere.md)", "docs/index.md:5:5: error: found link 'nowhere.md', but docs/nowhere.md does not "
                        "exist; expected a path to a page or file in docs/, relative to this page"),
    ("[x](About.md)", "docs/index.md:5:5: error: found link 'About.md', but docs/About.md does not exist; "
                      "expected a path to a page or file in docs/, relative to this page"),
    ("[x](about.md#nope)", "docs/index.md:5:5: error: found link 'about.md#nope', but docs/about.md has no "
                           "heading or id 'nope'; expected the id of one of that page's headings"),
    ("[x](#nope)", "docs/index.md:5:5: error: found link '#nope', but this page has no heading or id 'nope'; "
                   "expected the id of one of this page's headings"),
    ("[x](about/)", "docs/index.md:5:5: error: found link 'about/', which names no file (a folder, or a name "
                    "without extension); expected 'about.md'"),
    ("[x][ref]\n\n[ref]: gone.md", "docs/index.md:7:8: error: found link 'gone.md', but docs/gone.md does "
                                   "not exist"),
])
def test_broken_link_is_named_with_file_line_and_column(tiny_site, markdown, expected):
    tiny_site.config.pop("nav", None)
    tiny_site.write("docs/index.md", f"# Home\n\nText.\n\n{markdown}\n")
    tiny_site.write("docs/about.md", ABOUT)
    (line,) = failures(tiny_site)
    assert line.startswith(expected), line


def test_a_link_in_a_subfolder_names_the_file_it_looked_for(tiny_site):
    tiny_site.config.pop("nav", None)
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/guide/page.md",
                    "# Page\n\n```\n[code](nowhere.md)\n```\n\nSee [x](../nowhere.md).\n")
    (line,) = failures(tiny_site)
    assert line.startswith("docs/guide/page.md:7:9: error: found link '../nowhere.md', but docs/nowhere.md "
                           "does not exist")


def test_nav_problems_name_the_page_and_the_config_line(tiny_site):
    tiny_site.config["nav"] = ["index.md", "gone.md"]  # the pages the hooks add are not listed either
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/stray.md", "# Stray page\n")
    found = failures(tiny_site)
    config = (tiny_site.root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    assert (f"mkdocs.yml:{config.index('- gone.md') + 1}:3: error: found 'gone.md' in the nav, but "
            "docs/gone.md does not exist; expected a page in docs/") in found
    assert any(line.startswith("docs/stray.md: error: found a page that the nav of mkdocs.yml does not list; "
                               "expected it under `nav:` in mkdocs.yml, or an article in docs/articles/")
               for line in found), found


def test_a_non_strict_build_calls_them_warnings_and_finishes(tiny_site, caplog):
    caplog.set_level(logging.WARNING, logger="mkdocs")
    tiny_site.write("docs/index.md", "# Home\n\n[x](nowhere.md)\n")
    built = tiny_site.build(strict=False)
    assert any(line.startswith("WARNING: docs/index.md:3:5: warning: found link 'nowhere.md'")
               for line in built.warnings), built.warnings
    assert (built.site_dir / "index.html").is_file()


def test_the_filter_is_gone_after_the_build(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.build()
    assert [f for name in ("mkdocs.structure.pages", "mkdocs.structure.nav")
            for f in logging.getLogger(name).filters] == []
