"""The GitHub workflows as data, and their `run:` steps run here the way a runner runs them (bash -e, in the
checkout, with the job's environment). Actions (`uses:`) cannot run outside GitHub: they are data here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from tests.sitebuild import PROJECT

WORKFLOWS = PROJECT / ".github" / "workflows"
# The step of ci.yml's test job that runs `medsite check`.
CI_CHECK = "Check sources (front matter, review rules, citations, links, headings)"
GITHUB_EXPRESSION = re.compile(r"\$\{\{\s*github\.(\w+)\s*\}\}")
IGNORED = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", ".cache", "test-artifacts",
                                 "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis")


def workflow(name: str) -> dict:
    """A workflow file; YAML 1.1 reads the key `on` as True, so it is put back under "on"."""
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def every_workflow() -> dict[str, dict]:
    return {path.name: workflow(path.name) for path in sorted(WORKFLOWS.glob("*.yml"))}


def step(job: dict, name: str) -> dict:
    """The step of `job` with this name."""
    (found,) = [s for s in job["steps"] if s.get("name") == name]
    return found


def run_step(found: dict, job: dict, cwd: Path, *, base_ref: str = "",
             **env: str) -> subprocess.CompletedProcess:
    """Run a step's `run:` script in `cwd` with the job's and the step's `env:` (then `env`), as a runner
    does: bash with -e, `${{ github.base_ref }}` in an `env:` value replaced by `base_ref` (set on a pull
    request into that branch, empty on a push). `.venv/bin/...` is the project's own virtual environment."""
    declared = {**job.get("env", {}), **found.get("env", {})}
    context = {"base_ref": base_ref, "event_name": "pull_request" if base_ref else "push",
               "workspace": str(cwd)}

    def evaluated(value: object) -> str:
        return GITHUB_EXPRESSION.sub(lambda match: context.get(match.group(1), match.group()), str(value))

    environment = {**os.environ, "CI": "true", "GITHUB_WORKSPACE": str(cwd),
                   **{key: evaluated(value) for key, value in declared.items()}, **env}
    assert "${{" not in found["run"], "expressions belong in env:, where a value cannot become shell code"
    return subprocess.run(["bash", "-e", "-c", found["run"]], cwd=cwd, env=environment,
                          capture_output=True, text=True, check=False)


def checkout(destination: Path, *, commit: bool = True) -> Path:
    """The project's files (what a clone holds: no virtual environment, caches or built site) in a new git
    repository with one commit, and the project's `.venv` linked in, so that `.venv/bin/medsite` works."""
    shutil.copytree(PROJECT, destination, ignore=IGNORED)
    (destination / ".venv").symlink_to(PROJECT / ".venv")
    git(destination, "init", "-q", "-b", "main")
    # `.venv/` in .gitignore matches folders only: the link must not be committed.
    (destination / ".git" / "info" / "exclude").write_text(".venv\n", encoding="utf-8")
    if commit:
        git(destination, "add", "-A")
        git(destination, "commit", "-q", "-m", "The project as it is")
    return destination


def git(repository: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """git in `repository` as a contributor with a fixed identity; fails the test if git fails."""
    identity = ["-c", "user.name=Test Contributor", "-c", "user.email=contributor@example.org",
                "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]
    return subprocess.run(["git", "-C", str(repository), *identity, *args], check=True, capture_output=True,
                          text=True, env={**os.environ, **env})


def approve_an_article(repository: Path, reviewer: str, message: str) -> Path:
    """`medsite approve` on the checkout's first article by `reviewer`, as a board member runs it, then a
    commit with `message`; the article approved."""
    article = sorted((repository / "docs" / "articles").glob("*.md"))[0]
    approve = [str(PROJECT / ".venv" / "bin" / "medsite"), "approve", str(article),
               "--reviewer", reviewer, "--note", "Reviewed."]
    approved = subprocess.run(approve, cwd=repository, capture_output=True, text=True, check=False)
    assert approved.returncode == 0, approved.stderr
    git(repository, "commit", "-q", "-am", message)
    return article
