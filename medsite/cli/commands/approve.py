"""`medsite approve PATH --reviewer ID`: record the Medical Advisory Board's approval of an article.

Sets `status: approved`, `reviewers`, `reviewed` (today unless --date), `next_review` (a year later, if
absent or not after the review) and `reviewed_hash` (the hash of everything a reader sees as reviewed,
cited references included: medsite.review.rules). Only the lines of those keys change: comments, key order,
the other keys and the body are kept byte for byte, and the file is replaced atomically, so an interruption
can never leave a truncated article. It refuses reviewers who may not approve (authors of the article,
placeholder seats), an article still holding `medsite new`'s placeholder text, a read-only file and a
symbolic link.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from medsite.cli.commands import add_config_argument
from medsite.core.files import replace_file
from medsite.model.article import MAX_NOTE
from medsite.model.project import load_project
from medsite.review.approval import record_approval


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `medsite approve` to the command line."""
    parser = subparsers.add_parser(
        "approve", help="record the board's approval of an article", description=__doc__
    )
    parser.add_argument("path", type=Path, metavar="PATH", help="the article, e.g. docs/articles/x.md")
    parser.add_argument(
        "--reviewer",
        action="append",
        required=True,
        metavar="ID",
        help="a board member's id from the people registry (repeat for several)",
    )
    parser.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the review date (default: today)",
    )
    parser.add_argument(
        "--note",
        required=True,
        metavar="TEXT",
        help="one line saying what changed, for the article's review history, What's new and the feed "
        f"(at most {MAX_NOTE} characters), e.g. \"Added the CARD trial's survival results.\"",
    )
    parser.add_argument(
        "--acknowledge",
        action="append",
        default=[],
        metavar="KEY",
        help="a cited source known to be retracted (`medsite refs verify`) that the board reviewed and "
        "accepts in this article; repeat for several",
    )
    add_config_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Record the approval (medsite.review.approval) and replace the file atomically, or print why it cannot
    be recorded (nothing is written then)."""
    today = dt.date.today()
    approval = record_approval(load_project(args.config), args.path, reviewers=args.reviewer,
                               reviewed=args.date or today, today=today, note=args.note,
                               acknowledge=args.acknowledge)
    replace_file(args.path, approval.text)
    print(f"approved {approval.display}: reviewed {approval.reviewed} by {', '.join(approval.names)}; "
          f"note: {approval.note}")
    if approval.acknowledged:
        print(f"acknowledged retracted source(s): {', '.join(approval.acknowledged)}")
    return 0
