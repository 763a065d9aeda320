"""Last-updated dates under CI=true come from git or the build and `medsite check` fail: git refusing the
repository, a shallow clone, or an article git does not know are errors there, never a silent file time.
Outside CI, and outside any repository, the file time is still the fallback (a local preview, a test)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess

import pytest

from medsite.model.settings import read_settings
from medsite.review.catalog import load_catalog
from tests.review_samples import TODAY, article, with_test_board
from tests.sitebuild import PROJECT, BuildFailed
from tests.workflows import git

COMMITTED = {"GIT_COMMITTER_DATE": "2024-04-04T12:00:00Z", "GIT_AUTHOR_DATE": "2024-04-04T12:00:00Z"}


@pytest.fixture
def repository(tmp_path):
    """A project in a git repository with one committed article (dated by git, not front matter)."""
    shutil.copytree(PROJECT / "data", tmp_path / "data")
    with_test_board(tmp_path / "data" / "people.yml")  # the samples' reviewer
    (tmp_path / "docs" / "articles").mkdir(parents=True)
    (tmp_path / "docs" / "articles" / "a.md").write_text(article(), encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "a", **COMMITTED)
    return tmp_path


def catalog(root):
    return load_catalog(root / "docs", root, read_settings({"today": TODAY}))


def messages(root) -> list[str]:
    return [str(problem) for problem in catalog(root).problems]


def test_in_ci_a_committed_article_is_dated_by_git(repository, monkeypatch):
    monkeypatch.setenv("CI", "true")
    found = catalog(repository)
    assert found.problems == []
    assert found.last_updated(found.articles["articles/a.md"]) == dt.date(2024, 4, 4)


def test_in_ci_git_refusing_the_repository_is_an_error(repository, monkeypatch, tmp_path_factory):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's switch for "owned by someone else"
    (message,) = messages(repository)
    assert message.startswith("docs/articles: error: found git failing under CI=true (fatal: detected "
                              "dubious ownership in repository at")
    assert message.endswith("expected last-updated dates from git: in a container, run `git config --global "
                            "--add safe.directory \"$GITHUB_WORKSPACE\"` after the checkout")


def test_outside_ci_the_same_refusal_falls_back_to_the_file_time(repository, monkeypatch, tmp_path_factory):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    found = catalog(repository)
    assert found.problems == []
    assert found.last_updated(found.articles["articles/a.md"]) == dt.date.today()


def test_in_ci_an_uncommitted_article_is_an_error(repository, monkeypatch):
    monkeypatch.setenv("CI", "true")
    (repository / "docs" / "articles" / "b.md").write_text(article(), encoding="utf-8")
    (repository / "docs" / "articles" / "c.md").write_text(article(updated="2025-01-02"), encoding="utf-8")
    assert messages(repository) == [
        "docs/articles/b.md: error: found no commit of this article under CI=true; expected it committed "
        "(its last-updated date comes from git), or an `updated:` date in its front matter"]


def test_in_ci_a_shallow_clone_is_an_error(repository, monkeypatch, tmp_path):
    git(repository, "commit", "-q", "--allow-empty", "-m", "later", **COMMITTED)
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repository}", str(tmp_path / "shallow")],
                   check=True)
    monkeypatch.setenv("CI", "true")
    (message,) = messages(tmp_path / "shallow")
    assert message.startswith("docs/articles: error: found a shallow git clone under CI=true")
    assert "actions/checkout with `fetch-depth: 0`" in message


def test_in_ci_a_project_outside_git_keeps_file_times(tmp_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    shutil.copytree(PROJECT / "data", tmp_path / "data")
    with_test_board(tmp_path / "data" / "people.yml")  # the samples' reviewer
    (tmp_path / "docs" / "articles").mkdir(parents=True)
    (tmp_path / "docs" / "articles" / "a.md").write_text(article(), encoding="utf-8")
    assert messages(tmp_path) == []


def test_the_build_fails_in_ci_when_git_refuses(tiny_site, monkeypatch, tmp_path_factory):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/articles/a.md", article())
    git(tiny_site.root, "init", "-q")
    git(tiny_site.root, "add", "-A")
    git(tiny_site.root, "commit", "-q", "-m", "a", **COMMITTED)
    monkeypatch.setenv("CI", "true")
    assert '<time datetime="2024-04-04">' in tiny_site.build().html("articles/a.md")  # the commit's date
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    os.utime(tiny_site.root / "docs" / "articles" / "a.md")  # a new catalog, as in a new CI run
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert "ERROR: docs/articles: error: found git failing under CI=true (fatal: detected dubious ownership" \
        in failure.value.log
