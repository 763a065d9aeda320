"""Level 2: what git does while `make serve` runs reaches every page that shows an article's date, as a whole
build shows it. An article without `updated:` is dated by its last commit, so a commit, an amend, a detached
HEAD, a checkout of another branch (or the first commit of a repository made while serving) changes dates
with no article file changing. After each, the server's own builder (hooks/serve.py) rebuilds, and every
served file equals a fresh whole build's, byte for byte (tests/test_serve_cache_attack.py's comparison)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.test_serve_cache_attack import Served, _served, replace
from tests.workflows import git


def _commit(root, *args: str, day: str) -> None:
    """`git commit` of everything tracked (and `args`), committed and authored at noon on `day`."""
    moment = f"{day}T12:00:00Z"
    git(root, "commit", "-q", *args, GIT_COMMITTER_DATE=moment, GIT_AUTHOR_DATE=moment)


def _repository(root) -> None:
    git(root, "init", "-q")
    git(root, "add", "docs", "data", "references", "mkdocs.yml")
    _commit(root, "-m", "first", day="2024-04-04")


def _dates(served: Served, src_uri: str) -> tuple[list[str], list[str]]:
    """The article's dates on its served page: "Updated" (banner and footer) and JSON-LD dateModified."""
    page = served.html(served.served, src_uri)
    return re.findall(r'datetime="(\d{4}-\d\d-\d\d)"', page), re.findall(r'"dateModified":"([^"]+)"', page)


@pytest.fixture
def served(tiny_site, tmp_path, monkeypatch) -> Iterator[Served]:
    """The server's builder over a tiny site committed to a new git repository, closed after the test."""
    built = _served(tiny_site, tmp_path, monkeypatch, lambda: _repository(tiny_site.root))
    try:
        yield built
    finally:
        built.close()


def test_a_commit_alone_rewrites_the_committed_articles_page_and_nothing_unrelated(tiny_site, served):
    replace(served.articles["a"], "Does drug X help?", "Does drug X help in mCRPC?")
    served.rebuild()
    assert _dates(served, "articles/a.md") == (["2024-04-04"] * 2, ["2024-04-04"])
    _commit(tiny_site.root, "-am", "a", day="2024-05-05")  # no file changes: HEAD's branch does
    logged = served.rebuild()
    assert _dates(served, "articles/a.md") == (["2024-05-05"] * 2, ["2024-05-05"])
    # rebuilt from the last build (not the whole site), writing that article only (the lists show no
    # dates, and the home list's order by date is the same)
    (line,) = [line for line in logged if " rebuilt in " in line]
    assert line.startswith("Changed pages rebuilt") and "; wrote articles/a.md; " in line, line
    assert served.differing() == []
    # nothing moved since (a save or a commit reported twice): nothing is built again
    assert "No watched file changed since the last build: nothing rebuilt" in served.rebuild()
    assert served.differing() == []


def test_an_amended_commit_redates_its_articles(tiny_site, served):
    replace(served.articles["b"], "In mCRPC, probably.", "Probably not.")
    served.rebuild()
    _commit(tiny_site.root, "-am", "b", day="2024-05-05")
    served.rebuild()
    assert _dates(served, "articles/b.md")[1] == ["2024-05-05"]
    _commit(tiny_site.root, "--amend", "--no-edit", "--reset-author", day="2024-06-06")
    served.rebuild()
    assert _dates(served, "articles/b.md")[1] == ["2024-06-06"]
    assert served.differing() == []


def test_a_commit_on_a_detached_head_redates_its_articles(tiny_site, served):
    git(tiny_site.root, "checkout", "-q", "--detach")  # HEAD names a commit, not a branch
    served.rebuild()
    assert served.differing() == []
    replace(served.articles["c"], "Mostly, yes.", "Mostly.")
    served.rebuild()
    _commit(tiny_site.root, "-am", "c", day="2024-07-07")
    served.rebuild()
    assert _dates(served, "articles/c.md")[1] == ["2024-07-07"]
    assert served.differing() == []


@pytest.mark.parametrize("topics", [
    "topics: [prostate cancer, bone metastases]",  # the same topic pages: rebuilt from the last build
    "topics: [prostate cancer, anaemia]",  # a topic page made, one gone: MkDocs' dirty build
])
def test_a_checkout_of_another_branch_redates_articles_whose_text_is_the_same(tiny_site, tmp_path,
                                                                             monkeypatch, topics):
    """On the other branch, article d was changed and changed back (its text is the same on both branches,
    its date is not), and article a was changed (its title, and maybe its topics): the checkout rewrites
    a.md but not d.md."""
    def branches() -> None:
        _repository(tiny_site.root)
        git(tiny_site.root, "checkout", "-q", "-b", "other")
        original = served_articles["d"].read_text(encoding="utf-8")
        replace(served_articles["d"], "Is drug V safe?", "Is drug V safe at all?")
        _commit(tiny_site.root, "-am", "d", day="2024-08-08")
        served_articles["d"].write_text(original, encoding="utf-8")
        replace(served_articles["a"], "Does drug X help?", "Does drug X help in mCRPC?")
        replace(served_articles["a"], "topics: [prostate cancer, bone metastases]", topics)
        _commit(tiny_site.root, "-am", "d back, a", day="2024-09-09")
        git(tiny_site.root, "checkout", "-q", "main")

    served_articles = {name: tiny_site.root / "docs" / "articles" / f"{name}.md" for name in "abcde"}
    served = _served(tiny_site, tmp_path, monkeypatch, branches)
    try:
        assert _dates(served, "articles/d.md")[1] == ["2024-04-04"]
        git(tiny_site.root, "checkout", "-q", "other")
        served.rebuild()
        assert (_dates(served, "articles/d.md")[1], _dates(served, "articles/a.md")[1]) == (
            ["2024-09-09"], ["2024-09-09"])
        assert served.differing() == []
        git(tiny_site.root, "checkout", "-q", "main")
        served.rebuild()
        assert _dates(served, "articles/d.md")[1] == ["2024-04-04"]
        assert served.differing() == []
        _commit(tiny_site.root, "--allow-empty", "-m", "nothing", day="2024-10-10")  # main's branch moves
        served.rebuild()  # still watched after the checkouts: the branch HEAD names now
        assert served.differing() == []
    finally:
        served.close()


def test_a_repository_made_while_serving_dates_by_git_from_the_next_rebuild(tiny_site, tmp_path, monkeypatch):
    """A docs folder outside git is dated by file times, and nothing of git is watched; `git init` and a
    first commit while serving: the next rebuild (here an edit of another article) dates every article by
    git, and from then on HEAD is watched."""
    served = _served(tiny_site, tmp_path, monkeypatch)
    try:
        assert served.rebuilder.dated_by == []
        _repository(tiny_site.root)
        replace(served.articles["b"], "In mCRPC, probably.", "Probably not.")
        served.rebuild()
        assert _dates(served, "articles/a.md")[1] == ["2024-04-04"]
        assert served.differing() == []
        assert [path.name for path in served.rebuilder.dated_by] == ["HEAD", "main", "packed-refs"]
        _commit(tiny_site.root, "-am", "b", day="2024-05-05")
        served.rebuild()
        assert _dates(served, "articles/b.md")[1] == ["2024-05-05"]
        assert served.differing() == []
    finally:
        served.close()
