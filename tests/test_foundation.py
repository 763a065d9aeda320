"""Level 2 and 3 basics: the tiny-site pattern works, and the real site builds strictly."""

from __future__ import annotations

import pytest

from tests.sitebuild import BuildFailed


def test_tiny_site_builds_through_mkdocs_api(tiny_site):
    tiny_site.write("docs/index.md", "# Hello\n\nA page with *emphasis*.\n")
    built = tiny_site.build()
    html = built.html("index.md")
    assert "<em>emphasis</em>" in html
    assert built.warnings == []


def test_tiny_site_strict_build_fails_on_broken_link(tiny_site):
    tiny_site.write("docs/index.md", "# Hello\n\n[missing](nowhere.md)\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert "nowhere.md" in failure.value.log


def test_real_site_builds_strict_without_warnings(real_site):
    assert real_site.returncode == 0, real_site.stderr
    assert "WARNING" not in real_site.stderr
    assert "end of life" not in real_site.stderr + real_site.stdout


def test_every_real_article_has_its_page(real_site):
    assert real_site.returncode == 0, real_site.stderr
    assert real_site.articles, "the project has no article: nothing below checks one"
    folder = real_site.site_dir / "articles"
    built = sorted(page.parent.relative_to(folder).as_posix() for page in folder.rglob("index.html"))
    assert built == real_site.articles
