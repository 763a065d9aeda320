"""The same sources on every engine (issue 18): MkDocs and ProperDocs, which run our hooks, publish the site
with every feature; on each, every article shows the caution unless our review rules proved it approved,
no citation stays raw `[@key]` text, every citation number leads to its entry, and no page is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import tests.engine_promise as engines
from tests.review_samples import article
from tests.sitebuild import PROJECT
from tests.unavailable import unavailable

APPROVED_BODY = "**It prolongs survival.**\n\n## Evidence\n\nA trial showed it [@debono2010tropic].\n"
APPROVED = "articles/approved-sample/index.html"


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    """The real project plus one approved article citing a source, so every check sees both sides of the
    review rule (the real site may have no approved article yet)."""
    root = engines.copy_project(PROJECT, tmp_path_factory.mktemp("engines") / "sources")
    sample = article(APPROVED_BODY, status="approved", reviewers=["board-urology"])
    (root / "docs" / "articles" / "approved-sample.md").write_text(sample, encoding="utf-8")
    return root


def expected_pages(root: Path) -> set[str]:
    """Every page the docs folder holds and every page the nav lists (generated ones included)."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))

    def listed(items) -> list[str]:
        found = []
        for item in items if isinstance(items, list) else [items]:
            values = item.values() if isinstance(item, dict) else [item]
            for value in values:
                found += listed(value) if isinstance(value, (list, dict)) else [value]
        return found

    nav = [engines.page_output(page) for page in listed(config.get("nav") or []) if str(page).endswith(".md")]
    return engines.source_pages(root) | set(nav)


def built_with(engine: str, sources: Path, folder: Path):
    command = engines.engine_command(engine)
    if command is None:
        unavailable(f"{engine} is not installed (`make install` installs it with the test extras)")
    root = shutil.copytree(sources, folder / engine)
    return root, engines.build(engine, command, root)


@pytest.fixture(scope="module")
def mkdocs_pages(sources, tmp_path_factory) -> set[str]:
    """The pages MkDocs writes: the reference every other engine is compared with."""
    root, run = built_with("mkdocs", sources, tmp_path_factory.mktemp("reference"))
    assert run.returncode == 0, run.output
    return engines.check(run.site_dir, root, expected=expected_pages(root), rules_ran=True).pages


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_engines_running_our_hooks_keep_the_promise(engine, sources, mkdocs_pages, tmp_path):
    root, run = built_with(engine, sources, tmp_path)
    assert run.returncode == 0, run.output
    assert "WARNING" not in run.output, run.output  # strict: true in mkdocs.yml
    promise = engines.check(run.site_dir, root, expected=expected_pages(root) | mkdocs_pages, rules_ran=True)
    print(engines.summary(run, promise))
    assert promise.broken() == []
    assert promise.pages == mkdocs_pages  # the same site, page for page
    # Both sides of the rule are exercised: the approved sample lost its caution, every other article has it.
    assert promise.articles[APPROVED] is False and promise.cautioned_approved == []
    assert sum(promise.articles.values()) == len(promise.articles) - 1 >= 1
    sample = (run.site_dir / APPROVED).read_text(encoding="utf-8")
    assert 'href="#ref-debono2010tropic"' in sample and 'id="ref-debono2010tropic"' in sample


def test_the_check_catches_a_site_that_breaks_the_promise(sources, mkdocs_pages, tmp_path):
    """The check itself can fail: an article stripped of its caution, a raw key, a lost reference entry
    and a deleted page are each reported."""
    root, run = built_with("mkdocs", sources, tmp_path)
    pending = next(page for page in sorted(mkdocs_pages) if page.startswith("articles/") and page != APPROVED)
    html = (run.site_dir / pending).read_text(encoding="utf-8")
    html = html.replace("Educational purpose only · content pending human review", "")
    html = html.replace('id="ref-', 'id="gone-').replace("</article>", "<p>Raw [@smith:2020].</p></article>")
    (run.site_dir / pending).write_text(html, encoding="utf-8")
    (run.site_dir / "about" / "index.html").unlink()
    broken = engines.check(run.site_dir, root, expected=mkdocs_pages, rules_ran=True).broken()
    assert f"article without the caution: {pending}" in broken
    assert f"raw citation text on {pending}: [@smith:2020" in broken
    assert any(line.startswith(f"citation numbers without a reference entry on {pending}") for line in broken)
    assert "page missing: about/index.html" in broken
    # Code is never a raw citation: CONTRIBUTING-style examples in `code` are not counted.
    about = run.site_dir / "about" / "index.html"
    about.write_text("<p>Cite with <code>[@key]</code>.</p>", encoding="utf-8")
    assert not any("about/" in line for line in engines.check(run.site_dir, root, expected=mkdocs_pages,
                                                                  rules_ran=True).broken())
