"""`medsite new "Question?"`: start an article from the template, never overwriting an existing file."""

from __future__ import annotations

import argparse
from datetime import date

from medsite.authoring.scaffold import create_article
from medsite.cli.commands import add_config_argument
from medsite.model.project import load_project


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `medsite new` to the command line."""
    parser = subparsers.add_parser("new", help="create docs/articles/<slug>.md for a new question",
                                   description=__doc__)
    parser.add_argument("question", help='the clinical question, e.g. "Can X clear Y in Z?"')
    parser.add_argument("--author", action="append", default=[], metavar="ID",
                        help="an author id from the people registry (repeat for several)")
    parser.add_argument("--topic", action="append", default=[], metavar="TOPIC",
                        help='a topic, e.g. "prostate cancer" (repeat for several)')
    parser.add_argument("--slug", metavar="SLUG",
                        help="the file name (docs/articles/SLUG.md) and address, instead of one made from "
                             "the question, e.g. metformin-egfr-30-44")
    add_config_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Create the article and say what to do next."""
    project = load_project(args.config)
    path = create_article(project, args.question, today=date.today(), authors=args.author, topics=args.topic,
                          file_slug=args.slug)
    shown = project.display(path)
    print(f"created {shown}")
    todo = "write the answer" if args.author else "add your id to `authors:`, write the answer"
    print(f"next: {todo}, then run `medsite check {shown}`")
    return 0
