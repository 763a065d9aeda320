"""`medsite links`: check external links in the sources (default) or in a built site (`--site DIR`)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from medsite.checks.links_external import (
    AllowList,
    Cache,
    Checker,
    check_external_links,
    links_in_site,
    links_in_sources,
    read_allow_file,
)
from medsite.checks.runner import print_problems, write_step_summary
from medsite.cli.commands import add_config_argument
from medsite.core.problems import Problem, ProblemsError
from medsite.model.project import load_project
from medsite.model.sources import load_sources

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def duration(text: str) -> float:
    """Seconds in a duration such as `90s`, `12h`, `7d` or `2w`."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smhdw])", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration; "
                                         "expected a number and a unit, e.g. 7d or 12h")
    return float(match[1]) * _UNITS[match[2]]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `medsite links` to the command line."""
    parser = subparsers.add_parser("links", help="check external http(s) links", description=__doc__)
    add_config_argument(parser)
    parser.add_argument("--site", metavar="DIR", help="check the HTML of a built site instead of the sources")
    parser.add_argument("--cache", metavar="FILE",
                        help="cache of good answers (default: .cache/medsite/links.json in the project)")
    parser.add_argument("--max-age", type=duration, default=duration("7d"), metavar="AGE",
                        help="how long a good answer stays trusted, e.g. 12h, 7d (default: 7d)")
    parser.add_argument("--allow", action="append", default=[], metavar="HOST_OR_PREFIX",
                        help="never check this host (and its subdomains) or URL prefix; repeatable")
    parser.add_argument("--allow-file", metavar="FILE", help="allow-list file: one host or URL prefix a line")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="per-request timeout (default: %(default)s)")
    parser.add_argument("--retries", type=int, default=2,
                        help="retries on timeouts and 5xx (default: %(default)s)")
    parser.add_argument("--workers", type=int, default=8, help="parallel requests (default: %(default)s)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check the external links of the sources or of a built site; 1 on any broken link."""
    project = load_project(args.config)
    if args.site:
        site = Path(args.site)
        if not site.is_dir():
            raise ProblemsError([Problem(args.site, None,
                                         "no such folder; expected a built site (make build)")])
        occurrences = links_in_site(site, args.site)
    else:
        occurrences = links_in_sources(load_sources(project))
    allow = list(args.allow)
    if args.allow_file:
        try:
            allow += read_allow_file(Path(args.allow_file))
        except (OSError, UnicodeDecodeError) as error:
            raise ProblemsError([Problem(args.allow_file, None, f"cannot read the allow-list ({error}); "
                                         "expected a UTF-8 text file")]) from None
    cache = Cache(Path(args.cache) if args.cache else project.root / ".cache" / "medsite" / "links.json",
                  args.max_age).load()
    if cache.note:
        print(f"medsite links: {cache.note}", file=sys.stderr)
    report = check_external_links(occurrences, checker=Checker(timeout=args.timeout, retries=args.retries),
                                  cache=cache, allow=AllowList(allow), workers=args.workers)
    try:
        cache.save()
    except OSError as error:
        print(f"medsite links: could not write the cache {cache.path} ({error})", file=sys.stderr)
    print_problems(report.broken)
    write_step_summary("Broken external links", report.broken)
    print(f"medsite links: {report.summary()}")
    return 1 if report.broken else 0
