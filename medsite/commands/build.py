"""`medsite build`: a strict build that replaces the site folder only when it succeeds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medsite.atomic_build import build_atomically
from medsite.commands import add_config_argument
from medsite.problems import Problem, ProblemsError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `medsite build` to the command line."""
    parser = subparsers.add_parser(
        "build", help="strict build; the previous site stays in place if the build fails",
        description="Build strictly into a temporary folder next to the site folder and swap it in only "
                    "on success, so a failed or interrupted build never leaves a half-built site.")
    add_config_argument(parser)
    parser.add_argument("--site-dir", help="where the site goes (default: site/ beside the config)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build strictly into a fresh folder and swap it in on success."""
    config = Path(args.config)
    if not config.is_file():
        raise ProblemsError([Problem(str(config), None, "no such file; expected the project's mkdocs.yml")])
    site_dir = Path(args.site_dir) if args.site_dir else config.resolve().parent / "site"
    failures = build_atomically(config, site_dir)
    for line in failures:
        print(line, file=sys.stderr)
    if failures:
        print(f"medsite build: failed; {site_dir} was left as it was", file=sys.stderr)
        return 1
    print(f"medsite build: built {site_dir}", file=sys.stderr)
    return 0
