"""`medsite check [PATHS...]`: validate sources without building, one `file:line:col: message` per problem."""

from __future__ import annotations

import argparse
import sys

from medsite.checks.runner import print_problems, run_checks
from medsite.cli.commands import add_config_argument
from medsite.core.problems import errors, sort_key
from medsite.model.project import load_project
from medsite.model.sources import load_sources
from medsite.review.catalog import check_new_approvers


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `medsite check` to the command line."""
    parser = subparsers.add_parser("check", help="validate articles and pages without building the site",
                                   description=__doc__)
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="Markdown files or folders to check (default: every .md under docs_dir)")
    add_config_argument(parser)
    parser.add_argument("--strict", action="store_true",
                        help="fail on warnings too (e.g. reviews overdue), as the weekly run does")
    parser.add_argument("--base", metavar="REV",
                        help="the pull request's base (e.g. origin/main): approvals by reviewers who were "
                             "not board members there fail (the registry is read from git)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check the given sources (all by default); 1 on any error, or any warning with --strict."""
    project = load_project(args.config)
    sources = load_sources(project, args.paths)
    problems = run_checks(project, sources)
    if args.base:
        problems = sorted([*problems, *check_new_approvers(project, sources, args.base)], key=sort_key)
    print_problems(problems)
    failing = problems if args.strict else errors(problems)
    print(f"medsite check: {len(sources)} file(s), {len(errors(problems))} error(s), "
          f"{len(problems) - len(errors(problems))} warning(s)", file=sys.stderr)
    return 1 if failing else 0
