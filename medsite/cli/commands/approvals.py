"""`medsite approvals`: on a pull request, each approval made in it counts only with the approving review,
on GitHub, of every board member it names (medsite.review.approval_reviews). Run by CI's approvals
workflow."""

from __future__ import annotations

import argparse
import os
import sys
from urllib.parse import quote

from medsite.checks.runner import print_problems, write_step_summary
from medsite.cli.commands import add_config_argument
from medsite.core.problems import Problem
from medsite.model.project import load_project
from medsite.model.registry import registry_at
from medsite.refs.fetch import JsonClient
from medsite.review.approval_reviews import Review, approvals_in_change, unconfirmed
from medsite.review.catalog import load_catalog

GITHUB_API = "https://api.github.com"
PAGE_SIZE = 100  # reviews per page, GitHub's largest
MAX_PAGES = 30  # 3,000 reviews: far more than any pull request has


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `medsite approvals` to the command line."""
    parser = subparsers.add_parser("approvals", description=__doc__,
                                   help="confirm a pull request's approvals by its reviewers' GitHub reviews")
    add_config_argument(parser)
    parser.add_argument("--base", required=True, metavar="REV",
                        help="the pull request's base, e.g. origin/main: approvals not on it need reviews")
    parser.add_argument("--repo", required=True, metavar="OWNER/NAME", help="the repository on GitHub")
    parser.add_argument("--pull", required=True, type=int, metavar="N", help="the pull request's number")
    parser.add_argument("--head", required=True, metavar="SHA", help="the pull request's head commit")
    parser.add_argument("--author", default="", metavar="LOGIN",
                        help="who opened the pull request: a board member cannot review their own on GitHub, "
                             "so their approvals in it count as theirs")
    parser.add_argument("--api", default=GITHUB_API, metavar="URL",
                        help=f"GitHub's REST API (default {GITHUB_API}); the token is $GITHUB_TOKEN")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print each approval that lacks its reviewers' reviews; exit 1 if any does or GitHub cannot say."""
    project = load_project(args.config)
    catalog = load_catalog(project.docs_dir, project.root, project.settings)
    # Logins as the base branch has them: a pull request could otherwise give a board member its own login.
    before, problems = registry_at(args.base, project.registry_path, catalog.root, catalog.registry.path)
    if not problems:
        approvals = approvals_in_change(catalog.articles.values(), project.root, args.base)
        if not approvals:
            print(f"medsite approvals: no approval made since {args.base}", file=sys.stderr)
            return 0
        reviews, problems = fetch_reviews(args.api, args.repo, args.pull, os.environ.get("GITHUB_TOKEN"))
        problems = problems or unconfirmed(approvals, before, reviews, args.head, args.author)
        print(f"medsite approvals: {len(approvals)} approval(s) made since {args.base}, "
              f"{len(problems)} problem(s)", file=sys.stderr)
    print_problems(problems)
    write_step_summary("Approvals without their reviewers' reviews", problems)
    return 1 if problems else 0


def fetch_reviews(api: str, repo: str, number: int, token: str | None) -> tuple[list[Review], list[Problem]]:
    """Every review of the pull request, oldest first; a problem (never an exception) if GitHub does not
    answer with them, so that an approval is never taken as confirmed for want of an answer."""
    client = JsonClient(timeout=20.0, headers={"Accept": "application/vnd.github+json",
                                               "X-GitHub-Api-Version": "2022-11-28",
                                               **({"Authorization": f"Bearer {token}"} if token else {})})
    url = f"{api.rstrip('/')}/repos/{quote(repo, safe='/')}/pulls/{number}/reviews?per_page={PAGE_SIZE}"
    reviews: list[Review] = []
    for page in range(1, MAX_PAGES + 1):
        answer = client.get(f"{url}&page={page}")
        if not isinstance(answer.data, list):
            return [], [Problem(f"{repo}#{number}", None, f"found no list of reviews at {url} "
                                f"({answer.detail}); expected GitHub's answer, without which no approval in "
                                "this change is confirmed")]
        reviews += [review for item in answer.data if (review := Review.from_api(item)) is not None]
        if len(answer.data) < PAGE_SIZE:
            break
    return reviews, []
