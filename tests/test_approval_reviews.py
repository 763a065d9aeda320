"""Who approved, not only what: an approval written in a pull request counts only with the approving GitHub
review of each board member it names (medsite approvals, .github/workflows/approvals.yml). The workflow's
step runs here on a copy of the project against a stand-in for GitHub's REST API on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from medsite.model.registry import registry_from_text
from medsite.review.approval_reviews import Review, approved_by
from tests.review_samples import TEST_BOARD, TEST_REVIEWER
from tests.workflows import approve_an_article, checkout, git, run_step, step, workflow

HEAD = "a" * 40
OLDER = "b" * 40
LOGIN = "Test-Reviewer"  # the test board member's GitHub login; GitHub compares logins ignoring case
STEP = "Each approval made in this pull request has its reviewers' approving reviews"
REVIEWS = "/repos/clinical-answers/site/pulls/7/reviews"


def review(login: str, state: str, commit: str = HEAD) -> dict:
    return {"user": {"login": login}, "state": state, "commit_id": commit, "body": ""}


# --- the rule ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("reviews", "approving"), [
    ([review(LOGIN, "APPROVED")], {"test-reviewer"}),
    ([review(LOGIN.lower(), "APPROVED")], {"test-reviewer"}),
    ([review(LOGIN, "APPROVED", OLDER)], set()),  # approved an older commit: not what is merged
    ([review(LOGIN, "APPROVED"), review(LOGIN, "CHANGES_REQUESTED")], set()),  # the latest decision counts
    ([review(LOGIN, "APPROVED"), review(LOGIN, "DISMISSED")], set()),
    ([review(LOGIN, "APPROVED"), review(LOGIN, "COMMENTED")], {"test-reviewer"}),  # a comment decides nothing
    ([review(LOGIN, "CHANGES_REQUESTED"), review(LOGIN, "APPROVED")], {"test-reviewer"}),
    ([review("someone-else", "APPROVED")], {"someone-else"}),
    ([review(LOGIN, "PENDING")], set()),
])
def test_only_a_latest_approving_review_of_the_head_commit_counts(reviews, approving):
    assert approved_by([Review.from_api(item) for item in reviews], HEAD) == approving


@pytest.mark.parametrize("item", [None, [], {"user": None}, {"user": {"login": 3}, "state": "APPROVED",
                                                            "commit_id": HEAD}, {"user": {}, "state": "x"}])
def test_an_item_that_is_not_a_review_is_no_review(item):
    assert Review.from_api(item) is None


@pytest.mark.parametrize(("login", "valid"), [
    ("octocat", True), ("Test-Reviewer", True), ("a" * 39, True), ("a" * 40, False), ("-x", False),
    ("x-", False), ("a--b", False), ("a_b", False), ("@octocat", False), (3, False)])
def test_a_registry_github_login_follows_githubs_rule(login, valid):
    text = TEST_BOARD + f"  github: {json.dumps(login)}\n"
    registry, problems = registry_from_text(text, "data/people.yml")
    assert (problems == [] and registry.people[TEST_REVIEWER].github == login) is valid
    if not valid:
        assert "expected a GitHub login such as `octocat`" in str(problems[0])


# --- the workflow step, on a pull request -----------------------------------------------------------------

class GitHub(ThreadingHTTPServer):
    """GitHub's REST API as far as the step asks it: one pull request's reviews, in pages."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reviews: list[dict] | None = []  # None: the API answers 502
        self.requests: list[tuple[str, str | None]] = []  # (path, Authorization header)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: GitHub

    def log_message(self, format, *args) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.server.requests.append((self.path, self.headers.get("Authorization")))
        path, _, query = self.path.partition("?")
        page = int(dict(part.split("=") for part in query.split("&"))["page"])
        if path != REVIEWS or self.server.reviews is None:
            self.send_response(404 if path != REVIEWS else 502)
            self.end_headers()
            return
        body = json.dumps(self.server.reviews[(page - 1) * 100:page * 100]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def github() -> Iterator[GitHub]:
    server = GitHub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory) -> Path:
    """A copy of the project where a maintainer appointed the test board member (with their GitHub login)
    on main, and a pull request then approves an article in their name."""
    repository = checkout(tmp_path_factory.mktemp("approvals") / "checkout")
    registry = repository / "data" / "people.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + TEST_BOARD + f"  github: {LOGIN}\n",
                        encoding="utf-8")
    git(repository, "commit", "-q", "-am", "Appoint a board member")
    git(repository, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repository, "switch", "-q", "-c", "approve")
    approve_an_article(repository, TEST_REVIEWER, "Approve")
    return repository


def run(repository: Path, server: GitHub, *, author: str = "a-contributor",
        base: str = "main") -> subprocess.CompletedProcess:
    """The workflow's step on pull request 7 into `base`, opened by `author`, whose head commit is HEAD."""
    job = workflow("approvals.yml")["jobs"]["approvals"]
    return run_step(step(job, STEP), job, repository, GITHUB_TOKEN="t0ken", BASE=base, PULL="7",
                    HEAD_SHA=HEAD, AUTHOR=author, REPO="clinical-answers/site", GITHUB_API_URL=server.url)


def test_an_approval_without_the_reviewers_review_fails_naming_them(pull_request):
    with github() as server:
        refused = run(pull_request, server)
    assert refused.returncode == 1, refused.stderr
    assert (f"error: found no approving review by @{LOGIN} (`{TEST_REVIEWER}`) of this pull request's head "
            f"commit {HEAD[:12]}; expected the reviewer to approve the pull request on GitHub"
            ) in refused.stdout
    assert server.requests[0] == (f"{REVIEWS}?per_page=100&page=1", "Bearer t0ken")


def test_the_reviewers_approving_review_of_the_head_commit_confirms_it(pull_request):
    with github() as server:
        server.reviews = [review("someone", "COMMENTED")] * 150 + [review(LOGIN.upper(), "APPROVED")]
        confirmed = run(pull_request, server)
        assert confirmed.returncode == 0, confirmed.stdout + confirmed.stderr
        assert [path for path, _ in server.requests] == [f"{REVIEWS}?per_page=100&page={n}" for n in (1, 2)]
        server.reviews.append(review(LOGIN, "CHANGES_REQUESTED"))
        assert run(pull_request, server).returncode == 1
        server.reviews = [review(LOGIN, "APPROVED", OLDER)]  # approved, then the text changed again
        assert run(pull_request, server).returncode == 1


def test_a_board_member_who_opened_the_pull_request_counts_as_its_reviewer(pull_request):
    with github() as server:
        assert run(pull_request, server, author=LOGIN.lower()).returncode == 0


def test_no_answer_from_github_confirms_nothing(pull_request):
    with github() as server:
        server.reviews = None
        refused = run(pull_request, server)
    assert refused.returncode == 1
    assert "found no list of reviews" in refused.stdout and "502" in refused.stdout


def test_a_pull_request_without_an_approval_asks_github_nothing(tmp_path):
    repository = checkout(tmp_path / "checkout")
    git(repository, "update-ref", "refs/remotes/origin/main", "HEAD")
    with github() as server:
        result = run(repository, server)
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.requests == [] and "no approval made since origin/main" in result.stderr


def test_a_board_member_without_a_login_cannot_have_an_approval_confirmed(pull_request):
    # A base branch on which the board member has no login.
    git(pull_request, "switch", "-q", "-c", "no-login", "origin/main")
    registry = pull_request / "data" / "people.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(f"  github: {LOGIN}\n", ""),
                        encoding="utf-8")
    git(pull_request, "commit", "-q", "-am", "No login")
    git(pull_request, "update-ref", "refs/remotes/origin/no-login", "HEAD")
    git(pull_request, "switch", "-q", "approve")
    with github() as server:
        server.reviews = [review(LOGIN, "APPROVED")]
        refused = run(pull_request, server, base="no-login")
    assert refused.returncode == 1
    assert (f"found board member `{TEST_REVIEWER}` without a `github` login in data/people.yml on "
            "origin/no-login") in refused.stdout


def test_logins_are_read_from_the_base_branch_not_from_the_pull_request(pull_request):
    registry = pull_request / "data" / "people.yml"
    original = registry.read_text(encoding="utf-8")
    forged = original.replace(f"  github: {LOGIN}\n", "  github: a-contributor\n")
    registry.write_text(forged, encoding="utf-8")
    try:
        with github() as server:  # the contributor gave the board member their own login, and opened the PR
            refused = run(pull_request, server, author="a-contributor")
    finally:
        registry.write_text(original, encoding="utf-8")
    assert refused.returncode == 1 and f"found no approving review by @{LOGIN}" in refused.stdout


def test_an_approval_already_on_the_base_branch_needs_no_review_again(pull_request):
    git(pull_request, "update-ref", "refs/remotes/origin/merged", "HEAD")
    with github() as server:
        result = run(pull_request, server, base="merged")
    assert result.returncode == 0 and server.requests == [], result.stdout + result.stderr


def test_the_workflow_runs_on_reviews_and_passes_event_values_through_env():
    data = workflow("approvals.yml")
    assert set(data["on"]) == {"pull_request", "pull_request_review"}
    assert data["on"]["pull_request_review"]["types"] == ["submitted", "dismissed"]
    assert data["permissions"] == {"contents": "read", "pull-requests": "read"}
    found = step(data["jobs"]["approvals"], STEP)
    assert "${{" not in found["run"] and found["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
