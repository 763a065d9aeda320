"""An approval written in a pull request counts only when each reviewer it names approved that pull request.

`reviewed_hash` proves the text is what was approved, not who approved it: anyone can compute it, so a
contributor could write `status: approved` with a real board member's id into their own pull request. On
a pull request, CI therefore compares every approval with the base branch; an approval made in the change
(new, or a new `reviewed_hash`) must be matched, for each reviewer it names, by that board member's
approving review of the pull request's head commit on GitHub, found by the `github` login the registry
gives them (or by their having opened the pull request, since GitHub lets nobody review their own). A
board member without a login, a later "changes requested" or a review of an older commit does not
count. Nothing here reaches the network: `medsite approvals` asks GitHub and hands the reviews in.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from medsite.core.problems import Problem, ProblemsError
from medsite.markdown.frontmatter import parse
from medsite.model.article import Article
from medsite.model.registry import Registry

# The review states that replace a reviewer's earlier decision (a comment decides nothing).
DECIDING = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")


@dataclass(frozen=True)
class Review:
    """One review of a pull request, as GitHub's REST API lists it."""

    login: str
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
    commit: str  # the commit the review was made on

    @classmethod
    def from_api(cls, item: object) -> Review | None:
        """A review from one item of `GET /repos/{repo}/pulls/{number}/reviews`; None if it is not one."""
        if not isinstance(item, Mapping) or not isinstance(item.get("user"), Mapping):
            return None
        login, state, commit = item["user"].get("login"), item.get("state"), item.get("commit_id")
        if not all(isinstance(value, str) for value in (login, state, commit)):
            return None
        return cls(login, state, commit)


def approved_by(reviews: Iterable[Review], head: str) -> set[str]:
    """The logins (case-folded, as GitHub compares them) whose latest deciding review approves `head`."""
    latest: dict[str, Review] = {}
    for review in reviews:  # oldest first, as GitHub lists them
        if review.state in DECIDING:
            latest[review.login.casefold()] = review
    return {login for login, review in latest.items() if review.state == "APPROVED" and review.commit == head}


def approval_at(root: Path, revision: str, path: str) -> str | None:
    """The `reviewed_hash` of an approved article as it is on `revision`, or None (not there, not approved,
    or unreadable: then every approval of it in the change needs its reviews)."""
    shown = subprocess.run(["git", "-C", str(root), "show", f"{revision}:./{path}"], capture_output=True,
                           check=False)
    if shown.returncode != 0:
        return None
    try:
        data = parse(shown.stdout.decode("utf-8", "replace").removeprefix("\ufeff"), path).data or {}
    except ProblemsError:
        return None
    value = data.get("reviewed_hash")
    return value if data.get("status") == "approved" and isinstance(value, str) else None


def approvals_in_change(articles: Iterable[Article], root: Path, revision: str) -> list[Article]:
    """The approved articles whose approval is not on `revision` as it is now (new or re-approved)."""
    return [article for article in articles if article.status == "approved" and article.reviewed_hash
            and approval_at(root, revision, article.path) != article.reviewed_hash]


def unconfirmed(approvals: Sequence[Article], registry: Registry, reviews: Iterable[Review], head: str,
                author: str = "") -> list[Problem]:
    """An error for each reviewer of each approval made in the change who has not approved `head`, unless
    they opened the pull request (`author`: GitHub lets nobody review their own)."""
    approving = approved_by(reviews, head) | ({author.casefold()} if author else set())
    problems = []
    for article in approvals:
        for reviewer in article.reviewers:
            person = registry.people.get(reviewer)
            if person is None or not person.github:
                found = f"board member `{reviewer}` without a `github` login in {registry.path}"
                expected = ("their GitHub login there (added by a maintainer), so CI can find their "
                            "approving review of this pull request")
            elif person.github.casefold() not in approving:
                found = (f"no approving review by @{person.github} (`{reviewer}`) of this pull request's "
                         f"head commit {head[:12]}")
                expected = ("the reviewer to approve the pull request on GitHub after its last change "
                            "(an approval in the front matter counts only with their review)")
            else:
                continue
            problems.append(Problem(article.path, article.line("reviewers"), f"found {found}; "
                                    f"expected {expected}"))
    return problems
