"""`medsite new "Question?"`: start an article from the template, never overwriting an existing file."""

from __future__ import annotations

import argparse
from datetime import date

from medsite.project import load_project
from medsite.scaffold import create_article


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("new", help="create docs/articles/<slug>.md for a new question",
                                   description=__doc__)
    parser.add_argument("question", help='the clinical question, e.g. "Can X clear Y in Z?"')
    parser.add_argument("--config", default="mkdocs.yml",
                        help="the project's MkDocs config (default: %(default)s)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = load_project(args.config)
    path = create_article(project, args.question, today=date.today())
    shown = project.display(path)
    print(f"created {shown}: write the answer, then run `medsite check {shown}`")
    return 0
