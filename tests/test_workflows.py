"""The workflows tell the truth: parsed as data, and their `run:` steps run here on copies of the project.

- CI dates pages from git or fails: in a container (root over a checkout the runner's user owns) git
  refuses the repository, and the run stops until the workflow's safe.directory step has run.
- Deploy publishes only what the test job built and tested, on the same commit, and only from main.
- The weekly run is green on a healthy main, and reports an overdue review and a broken link as such.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from medsite.cli.main import parser
from tests.link_server import serving
from tests.review_samples import TEST_REVIEWER, with_test_board
from tests.sitebuild import PROJECT
from tests.workflows import (
    CI_CHECK,
    approve_an_article,
    checkout,
    every_workflow,
    git,
    run_step,
    step,
    workflow,
)

MAIN_ONLY = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"


def commands(data: dict) -> list[str]:
    return [s["run"] for job in data["jobs"].values() for s in job.get("steps", []) if "run" in s]


# --- every workflow ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(every_workflow()))
def test_every_make_target_and_medsite_command_a_workflow_runs_exists(name):
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-zA-Z_-]+):", makefile, re.MULTILINE))
    subcommands = set(parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    for script in commands(workflow(name)):
        assert set(re.findall(r"\bmake (\w+)", script)) <= targets, script
        assert set(re.findall(r"\.venv/bin/medsite (\w+)", script)) <= subcommands, script


@pytest.mark.parametrize("name", sorted(every_workflow()))
def test_every_checkout_that_builds_or_checks_fetches_the_whole_history(name):
    for job in workflow(name)["jobs"].values():
        steps = job.get("steps", [])
        checkouts = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout@")]
        if any(re.search(r"make (build|test)|medsite (check|overdue)", s.get("run", "")) for s in steps):
            assert checkouts and all(s.get("with", {}).get("fetch-depth") == 0 for s in checkouts), job


# --- CI: last-updated dates come from git, or the run fails ----------------------------------------------

TRUST = 'git config --global --add safe.directory "$GITHUB_WORKSPACE"'


@pytest.mark.parametrize("name", sorted(every_workflow()))
def test_every_container_job_lets_git_read_its_checkout_right_after_it(name):
    for job in workflow(name)["jobs"].values():
        if "container" in job:
            steps = job["steps"]
            (checkout_at,) = [n for n, s in enumerate(steps)
                              if str(s.get("uses", "")).startswith("actions/checkout")]
            assert steps[checkout_at + 1].get("run") == TRUST, job


def test_ci_container_fails_without_git_and_passes_once_the_workflow_trusts_the_checkout(tmp_path):
    job = workflow("ci.yml")["jobs"]["test"]
    trust, check = step(job, "Let git read the checkout"), step(job, CI_CHECK)
    assert trust["run"] == TRUST
    names = [s.get("name") for s in job["steps"]]
    assert names.index(trust["name"]) < names.index(check["name"]) < names.index("Tests")
    repository = checkout(tmp_path / "checkout")
    # Git's own switch for "this repository belongs to someone else", as in the container.
    other_owner = {"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1", "HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()
    refused = run_step(check, job, repository, **other_owner)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert ("docs/articles: error: found git failing under CI=true (fatal: detected dubious ownership in "
            "repository at") in refused.stdout
    trusted = run_step(trust, job, repository, **other_owner)
    assert trusted.returncode == 0, trusted.stderr
    passed = run_step(check, job, repository, **other_owner)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "dubious" not in passed.stdout + passed.stderr


def test_on_a_pull_request_ci_refuses_an_approval_by_a_member_added_in_the_same_change(tmp_path):
    job = workflow("ci.yml")["jobs"]["test"]
    check = step(job, CI_CHECK)
    repository = checkout(tmp_path / "checkout")
    git(repository, "update-ref", "refs/remotes/origin/main", "HEAD")  # the base branch, as checkout has it
    # The pull request: a contributor appoints themselves to the board and approves an article with it.
    with_test_board(repository / "data" / "people.yml")
    article = approve_an_article(repository, TEST_REVIEWER, "Join the board and approve")
    refused = run_step(check, job, repository, base_ref="main")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert (f"docs/articles/{article.name}:" in refused.stdout
            and f"reviewer `{TEST_REVIEWER}` was not a board member on origin/main" in refused.stdout)
    pushed = run_step(check, job, repository)  # on main after a maintainer merged it: no base to compare
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr


def test_the_test_job_runs_the_readme_test_command_and_a_strict_build():
    job = workflow("ci.yml")["jobs"]["test"]
    scripts = [s.get("run", "") for s in job["steps"]]
    assert "make test" in scripts and "make build" in scripts
    assert job["env"]["CI"] == "true"


# --- deploy: after the tests, on the same commit, from main only -------------------------------------------

def test_deploy_runs_only_after_the_tests_passed_on_the_same_commit():
    ci = workflow("ci.yml")
    assert ci["on"]["push"]["branches"] == ["main"] and "pull_request" in ci["on"]
    test, deploy = ci["jobs"]["test"], ci["jobs"]["deploy"]
    assert deploy["needs"] in ("test", ["test"]) and deploy["if"] == MAIN_ONLY
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v4"]
    # The site deployed is the one this run built, uploaded after the tests and the strict build passed.
    names = [s.get("run") or s.get("uses") for s in test["steps"]]
    upload = names.index("actions/upload-pages-artifact@v3")
    assert names.index("make test") < upload and names.index("make build") < upload
    assert test["steps"][upload]["if"] == MAIN_ONLY and test["steps"][upload]["with"]["path"] == "site"
    assert not any("if" in s and "always()" in str(s["if"]) for s in test["steps"][upload:])
    # Runs on main are not cancelled by the next push, so every commit that passed is published in turn.
    assert ci["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_no_other_workflow_publishes():
    for name, data in every_workflow().items():
        uses = [s.get("uses", "") for job in data["jobs"].values() for s in job.get("steps", [])]
        publishing = [u for u in uses if u.startswith(("actions/deploy-pages", "actions/upload-pages-"))]
        assert name == "ci.yml" or publishing == [], name
        permissions = [job.get("permissions", {}) for job in data["jobs"].values()]
        permissions.append(data.get("permissions"))
        assert name == "ci.yml" or not any("pages" in (p or {}) for p in permissions), name


# --- the weekly run --------------------------------------------------------------------------------------

@pytest.fixture
def weekly():
    return workflow("scheduled.yml")["jobs"]


def test_weekly_overdue_job_is_green_on_a_healthy_main_and_names_an_overdue_review(tmp_path, weekly):
    job = weekly["overdue-reviews"]
    overdue = step(job, "Overdue reviews")
    repository = checkout(tmp_path / "checkout")
    healthy = run_step(overdue, job, repository)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert re.fullmatch(r"medsite overdue: \d+ article\(s\), 0 review\(s\) overdue\n", healthy.stderr)

    # A board member approves an article today; two years on, its next review (a year later) has passed.
    # (The board's seats are placeholders, which cannot approve: a real member joins first.)
    article = sorted((repository / "docs" / "articles").glob("*.md"))[0]
    with_test_board(repository / "data" / "people.yml")
    approved = subprocess.run([str(PROJECT / ".venv" / "bin" / "medsite"), "approve", str(article),
                               "--reviewer", TEST_REVIEWER, "--note", "Reviewed."], cwd=repository,
                              capture_output=True, text=True, check=False)
    assert approved.returncode == 0, approved.stderr
    config = repository / "mkdocs.yml"
    later = dt.date.today() + dt.timedelta(days=2 * 366)
    settings = config.read_text(encoding="utf-8")
    config.write_text(settings.replace("  medsite:\n", f"  medsite:\n    today: {later}\n"), encoding="utf-8")
    git(repository, "commit", "-q", "-am", "Approved; two years pass")
    due = re.search(r"^next_review: (\S+)", article.read_text(encoding="utf-8"), re.MULTILINE)[1]
    summary = tmp_path / "summary.md"
    late = run_step(overdue, job, repository, GITHUB_STEP_SUMMARY=str(summary))
    assert late.returncode == 1
    line = next(number for number, text in enumerate(article.read_text().splitlines(), 1)
                if text.startswith("next_review:"))
    shown = f"docs/articles/{article.name}:{line}"
    assert f"{shown}: error: review overdue: next review was due {due}" in late.stdout
    assert f"::error file=docs/articles/{article.name},line={line}::review overdue" in late.stdout
    assert "0 review(s) overdue" not in late.stderr and "1 review(s) overdue" in late.stderr
    assert "### Overdue reviews: 1" in summary.read_text(encoding="utf-8")


def test_weekly_links_job_reports_a_broken_link_as_such(tmp_path, weekly):
    job = weekly["links"]
    links = step(job, "Broken external links")
    assert "--allow-file .github/links-allow.txt" in links["run"]
    names = [s.get("name") for s in job["steps"]]
    assert names.index("Build the site") < names.index(links["name"])
    project = tmp_path / "checkout"
    project.mkdir()
    (project / ".venv").symlink_to(PROJECT / ".venv")
    (project / ".github").mkdir()
    (project / ".github" / "links-allow.txt").write_text(
        (PROJECT / ".github" / "links-allow.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: Links\n", encoding="utf-8")
    (project / "site").mkdir()
    page = project / "site" / "index.html"
    with serving() as server:
        page.write_text(f'<p><a href="{server.base}/ok">a source</a> '
                        '<a href="https://clinical-answers.example.org/">this site</a></p>\n',
                        encoding="utf-8")
        healthy = run_step(links, job, project)
        assert healthy.returncode == 0, healthy.stdout + healthy.stderr
        assert "0 broken" in healthy.stdout
        page.write_text(page.read_text() + f'<p><a href="{server.base}/retracted">gone</a></p>\n')
        broken = run_step(links, job, project)
    assert broken.returncode == 1
    assert (f"site/index.html:2: error: found a broken link {server.base}/retracted (404 Not Found); "
            "expected a working address") in broken.stdout
    assert "1 broken" in broken.stdout
