"""A first-time contributor follows CONTRIBUTING.md from the clone to the approved pull request
(tests/contribution.py walks it on a copy of the project): every documented command works, every message the
guide quotes is the one the tools print, and CI's steps pass on the result. The contributed site is then
checked by every real-site test and by the browser tests of its new pages (the `real_site` fixture and
`harness.ARTICLE_PAGES` include it), so a contribution cannot break the test suite by adding content."""

from __future__ import annotations

import re

from tests.contribution import ADDED, AUTHOR, BIB, METFORMIN, TROPIC, block, walkthrough


def quoted(first_line: str) -> list[str]:
    """The output lines the guide quotes in its ```text block starting `first_line`."""
    return block("text", first_line).splitlines()


def test_every_documented_step_ran_and_did_what_the_guide_says(contribution):
    steps = contribution.steps
    assert steps["new-unregistered"].stderr.splitlines() == quoted(f"medsite new: error: --author `{AUTHOR}`")
    assert [line for line in steps["new"].stdout.splitlines() if line.startswith("created ")] == [
        f"created docs/articles/{METFORMIN}.md", f"created docs/articles/{TROPIC}.md"]
    # The lines the guide quotes for the first draft and for an edit after approval are printed as quoted.
    draft = quoted(f"docs/articles/{METFORMIN}.md:")
    assert set(draft) <= set(steps["check-draft"].stdout.splitlines()), steps["check-draft"].stdout
    assert [line for line in steps["check-draft"].stdout.splitlines() if " error: " in line] == \
        [line for line in draft if " error: " in line]
    assert set(quoted(f"docs/articles/{TROPIC}.md:")) <= set(steps["check-changed"].stdout.splitlines())
    for name in ("check", "ci-check", "ci-check-approved"):
        assert " error: " not in steps[name].stdout, steps[name].stdout
    assert re.search(r"^::warning file=references/kidney\.bib", steps["ci-check"].stdout, re.MULTILINE), \
        "under CI=true the check also prints GitHub annotations"
    assert "approved docs/articles/tropic-trial-design.md: reviewed" in steps["approve"].stdout


def test_pre_commit_checks_the_changed_pages_and_every_page_after_a_bib_change(contribution):
    ran = {name.removeprefix("pre-commit:") for name in contribution.steps if name.startswith("pre-commit:")}
    assert ran == {"medsite-check", "medsite-check-site"}
    pages = contribution.steps["pre-commit:medsite-check"]
    assert pages.returncode == 0 and "medsite check: 2 file(s)" in pages.stderr
    site = contribution.steps["pre-commit:medsite-check-site"]
    assert site.returncode == 0 and re.search(r"medsite check: \d+ file\(s\)", site.stderr)
    assert "medsite check: 2 file(s)" not in site.stderr


def test_the_contribution_is_committed_on_its_branch_with_git_dates(contribution):
    from tests.workflows import git

    log = git(contribution.root, "log", "--format=%s", "main..metformin-egfr").stdout.splitlines()
    assert log == ["Approve: TROPIC trial design",
                   "Add: should metformin be stopped when eGFR falls to 30-44?"]
    changed = git(contribution.root, "diff", "--name-only", "main..metformin-egfr").stdout.split()
    added = [f"docs/articles/{slug}.md" for slug in ADDED]
    assert sorted(changed) == sorted(["data/people.yml", BIB, *added])


def test_the_contributed_site_holds_the_new_author_source_and_articles(contribution):
    site = contribution.site
    assert site is not None and site.returncode == 0, site.stderr if site else "not built"
    assert set(ADDED) <= set(site.articles)
    for slug, status in ADDED.items():
        assert site.catalog.articles[f"articles/{slug}.md"].status == status
    assert AUTHOR in site.catalog.registry.people
    assert "kdigo2020diabetesckd" in site.bibliography.entries
    metformin = site.html(f"articles/{METFORMIN}")
    assert 'id="ref-kdigo2020diabetesckd"' in metformin and 'id="ref-debono2010tropic"' in site.html(
        f"articles/{TROPIC}")


def test_every_shell_block_of_the_guide_is_run_or_needs_github(contribution):
    """The walk-through's commands are all exercised, except those that need GitHub itself."""
    def commands(script: str) -> list[str]:
        return [" ".join(line.split()) for line in script.replace("\\\n", " ").splitlines() if line.strip()]

    ran = {command for result in contribution.steps.values() for command in commands(result.args[-1])}
    for script in re.findall(r"^```sh\n(.*?)^```$", walkthrough(), re.MULTILINE | re.DOTALL):
        lines = commands(script)
        untested = [line for line in lines if line not in ran
                    and not line.startswith(("git clone ", "cd ", "make install", "git push "))]
        assert untested == [], untested
