"""The `medsite` command: each subcommand lives in its own module under `medsite.cli.commands`."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from medsite.cli import commands
from medsite.core.problems import ProblemsError


def parser() -> argparse.ArgumentParser:
    """Collect every module in `medsite.cli.commands` that defines `register(subparsers)`."""
    root = argparse.ArgumentParser(prog="medsite", description="Tools for the clinical-answers site.")
    subparsers = root.add_subparsers(dest="command", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").register(subparsers)
    return root


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; user mistakes print `file:line: message` lines, never a traceback."""
    args = parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except ProblemsError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
