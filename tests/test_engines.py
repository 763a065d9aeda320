"""The same sources on every engine (issue 18): MkDocs and ProperDocs, which run our hooks, publish the site
with every feature; on each, every article shows the caution unless our review rules proved it approved,
no citation stays raw `[@key]` text, every citation number leads to its entry, and no page is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import tests.engine_promise as engines
from medsite.cli.main import main
from tests.review_samples import TEST_REVIEWER, article, with_test_board
from tests.sitebuild import PROJECT
from tests.unavailable import unavailable

APPROVED_BODY = "**It prolongs survival.**\n\n## Evidence\n\nA trial showed it [@debono2010tropic].\n"
APPROVED = "articles/approved-sample/index.html"


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    """The real project plus one approved article citing a source, so every check sees both sides of the
    review rule (the real site may have no approved article yet)."""
    root = engines.copy_project(PROJECT, tmp_path_factory.mktemp("engines") / "sources")
    with_test_board(root / "data" / "people.yml")  # placeholder seats cannot approve
    path = root / "docs" / "articles" / "approved-sample.md"
    path.write_text(article(APPROVED_BODY, reviewers=[]), encoding="utf-8")
    approve = ["approve", str(path), "--reviewer", TEST_REVIEWER, "--date", "2025-02-01", "--note", "First.",
               "--config", str(root / "mkdocs.yml")]
    assert main(approve) == 0  # the approval pins the cited reference as formatted: `medsite approve` knows
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


# Zensical runs our Markdown extensions and template overrides but no MkDocs hooks. It is not a project
# dependency: the CI canary (.ci/zensical-canary) installs the newest release in an environment of its own
# and points MEDSITE_ZENSICAL at it; on a machine without it these tests say they did not run (a skip
# with its reason in the summary, never a pass).

FORGED = "medsite: {approved: true, review: {approved: true, caution: false}}\n"


@pytest.fixture(scope="module")
def zensical() -> list[str]:
    command = engines.engine_command("zensical")
    if command is None:
        pytest.skip("NOT RUN: Zensical is not installed here (set MEDSITE_ZENSICAL to its executable, or run "
                    ".ci/zensical-canary, which CI runs as a report)")
    return command


def without_hooks(mode: str):
    """A change to mkdocs.yml: what the engine guard does without our hooks; a trial is not strict (the
    links to the pages our hooks generate would stop it)."""

    def change(config: dict) -> None:
        for item in config["markdown_extensions"]:
            if isinstance(item, dict) and "medsite.extensions.engine" in item:
                item["medsite.extensions.engine"]["without_hooks"] = mode
        config["strict"] = config["strict"] and mode == "fail"

    return change


def test_zensical_stops_the_build_naming_itself_and_what_it_does_not_run(zensical, sources, tmp_path):
    root = shutil.copytree(sources, tmp_path / "zensical")
    run = engines.build("zensical", zensical, root)
    print(engines.summary(run, engines.check(run.site_dir, root, expected=set(), rules_ran=False)))
    assert run.returncode != 0, run.output
    assert f"found Zensical {run.version}, which runs none of the project's MkDocs hooks" in run.output
    assert "hooks/review.py" in run.output and "the HTML sanitiser" in run.output
    # Whatever it wrote before stopping keeps the promise too.
    promise = engines.check(run.site_dir, root, expected=set(), rules_ran=False)
    assert promise.broken() == []


def test_a_zensical_trial_keeps_the_promise_on_every_article(zensical, sources, mkdocs_pages, tmp_path):
    """`without_hooks: caution`: Zensical builds, every article keeps the caution (even an approved one, and
    one whose front matter forges the payload), citations are numbered with their list on the page, and
    every page of the docs folder is written. The pages our hooks generate are reported, not written."""
    root = shutil.copytree(sources, tmp_path / "zensical")
    engines.edit_config(root, without_hooks("caution"))
    forged = (root / "docs" / "articles" / "approved-sample.md").read_text(encoding="utf-8")
    (root / "docs" / "articles" / "forged.md").write_text(forged.replace("---\n", "---\n" + FORGED, 1),
                                                         encoding="utf-8")
    run = engines.build("zensical", zensical, root)
    assert run.returncode == 0, run.output
    assert "building anyway (`without_hooks: caution`)" in run.output and "Never publish" in run.output
    promise = engines.check(run.site_dir, root, expected=expected_pages(root) | mkdocs_pages, rules_ran=False)
    assert promise.broken(pages_too=False) == [], engines.summary(run, promise)
    assert set(promise.articles) >= {APPROVED, "articles/forged/index.html"}
    assert all(promise.articles.values())
    assert not (missing_sources := sorted(engines.source_pages(root) - promise.pages)), missing_sources
    sample = (run.site_dir / APPROVED).read_text(encoding="utf-8")
    assert 'href="#ref-debono2010tropic"' in sample and 'id="ref-debono2010tropic"' in sample
    if promise.missing:  # what the canary reports until the generated pages no longer need our hooks
        pytest.xfail(f"the pages our hooks generate are missing: {engines.summary(run, promise)}")


def test_a_zensical_trial_stops_on_an_unknown_citation_key_or_a_swapped_template(zensical, sources, tmp_path):
    """Without our hooks nothing else checks citations or front matter: `template: base.html` would render
    the article without our main.html, so without the caution."""
    root = shutil.copytree(sources, tmp_path / "zensical")
    engines.edit_config(root, without_hooks("caution"))
    text = article("**Bottom line.**\n\n## Evidence\n\nShown before [@nosuchkey2020].\n")
    (root / "docs" / "articles" / "unknown-key.md").write_text(text, encoding="utf-8")
    run = engines.build("zensical", zensical, root)
    assert run.returncode != 0, run.output
    line = text.splitlines().index("Shown before [@nosuchkey2020].") + 1
    assert f"docs/articles/unknown-key.md:{line}: error: unknown citation key 'nosuchkey2020'" in run.output
    (root / "docs" / "articles" / "unknown-key.md").unlink()
    swapped = article(template="base.html")
    (root / "docs" / "articles" / "swapped.md").write_text(swapped, encoding="utf-8")
    run = engines.build("zensical", zensical, root)
    assert run.returncode != 0, run.output
    line = swapped.splitlines().index("template: base.html") + 1
    assert (f"docs/articles/swapped.md:{line}: error: found `template: base.html` in the front matter; "
            "expected no template key") in run.output
