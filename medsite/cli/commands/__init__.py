"""Subcommands of `medsite`; each module defines `register(subparsers)` and sets `run` on its parser."""

import argparse


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    """The `--config` option every subcommand shares: paths are resolved from mkdocs.yml, not the cwd."""
    parser.add_argument("--config", default="mkdocs.yml",
                        help="the project's MkDocs config (default: %(default)s)")
