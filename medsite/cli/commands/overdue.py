"""`medsite overdue`: the approved articles whose next review date has passed, for the weekly run.

Readers see "Review overdue" on such a page and the build never fails on it (the deploy that shows the
notice must run). This command is where an overdue review fails something: the scheduled job, which is
green when no review is overdue and otherwise lists each one, as what it is.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys

from medsite.checks.runner import print_problems, write_step_summary
from medsite.cli.commands import add_config_argument
from medsite.model.project import load_project
from medsite.review.catalog import load_catalog


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `medsite overdue` to the command line."""
    parser = subparsers.add_parser("overdue", help="list the articles whose next review date has passed",
                                   description=__doc__)
    add_config_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """List every overdue review as an error; 1 if there is any."""
    project = load_project(args.config)
    catalog = load_catalog(project.docs_dir, project.root, project.settings)
    overdue = [dataclasses.replace(notice, severity="error") for notice in catalog.notices]
    print_problems(overdue)
    write_step_summary("Overdue reviews", overdue)
    print(f"medsite overdue: {len(catalog.articles)} article(s), {len(overdue)} review(s) overdue",
          file=sys.stderr)
    return 1 if overdue else 0
