"""`medsite refs verify`: check every .bib entry against Crossref (DOIs) and PubMed (PMIDs).

Reports, with the entry's file and line, an identifier that no database knows, a title, first author, year
or journal that differ from what the identifier points to, and notices about the work (retraction,
expression of concern, correction). Answers are cached in `.cache/medsite/sources.json` with their date; the
build reads that file (never the network) to show readers a notice beside a retracted reference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from medsite.bibliography.load import load_bibliography
from medsite.checks.runner import print_problems
from medsite.cli.commands import add_config_argument
from medsite.cli.commands.links import duration
from medsite.core.problems import ProblemsError, errors
from medsite.model.project import load_project
from medsite.refs.fetch import CROSSREF_URL, PUBMED_URL, JsonClient, Run, Services, refresh
from medsite.refs.report import markdown_report
from medsite.refs.verify import all_findings, doi_key, pmid_key, read_cache, write_cache


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `medsite refs verify` to the command line."""
    refs = subparsers.add_parser("refs", help="work with the bibliography's sources", description=__doc__)
    actions = refs.add_subparsers(dest="action", required=True)
    parser = actions.add_parser("verify", help="check DOIs and PMIDs against Crossref and PubMed",
                                description=__doc__)
    add_config_argument(parser)
    parser.add_argument("--max-age", type=duration, default=duration("1d"), metavar="AGE",
                        help="ask again about answers older than this, e.g. 12h, 7d (default: 1d)")
    parser.add_argument("--offline", action="store_true",
                        help="ask nothing: report from the cached answers only")
    parser.add_argument("--report", metavar="FILE", help="also write the findings as Markdown (for an issue)")
    parser.add_argument("--crossref-url", default=os.environ.get("MEDSITE_CROSSREF_URL", CROSSREF_URL),
                        metavar="URL", help="Crossref REST API base (default: %(default)s)")
    parser.add_argument("--pubmed-url", default=os.environ.get("MEDSITE_PUBMED_URL", PUBMED_URL),
                        metavar="URL", help="NCBI E-utilities base (default: %(default)s)")
    parser.add_argument("--mailto", default=os.environ.get("MEDSITE_CONTACT_EMAIL"), metavar="EMAIL",
                        help="a contact address for Crossref's polite pool and NCBI "
                             "(default: $MEDSITE_CONTACT_EMAIL)")
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                        help="per-request timeout (default: %(default)s)")
    parser.add_argument("--retries", type=int, default=2,
                        help="retries after a timeout, 429 or 5xx (default: %(default)s)")
    parser.add_argument("--max-wait", type=float, default=60.0, metavar="SECONDS",
                        help="longest Retry-After to wait for before giving up on a service (default: 60)")
    parser.add_argument("--workers", type=int, default=4, help="parallel Crossref requests (default: 4)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check every DOI and PMID against its source; 1 on any retraction, mismatch or error."""
    project = load_project(args.config)
    bibliography = load_bibliography(project.bibliography_dir, root=project.root)
    if errors(bibliography.problems):
        raise ProblemsError(errors(bibliography.problems))
    today = dt.date.today().isoformat()
    cached = read_cache(project.root)
    entries = bibliography.entries.values()
    dois = [entry.doi for entry in entries if entry.doi]
    pmids = [entry.pmid for entry in entries if entry.pmid]
    if args.offline:
        wanted = [doi_key(doi) for doi in dois] + [pmid_key(pmid) for pmid in pmids]
        outcome = Run(lookups=cached, from_cache=len({key for key in wanted if key in cached}),
                      unchecked={key: "no earlier answer in the cache (--offline)" for key in wanted
                                 if key not in cached})
    else:
        client = JsonClient(timeout=args.timeout, retries=args.retries, max_wait=args.max_wait)
        services = Services(args.crossref_url, args.pubmed_url, args.mailto, os.environ.get("NCBI_API_KEY"))
        outcome = refresh(dois, pmids, cached, client=client, services=services, today=today,
                          max_age_days=args.max_age / 86400, workers=args.workers)
        write_cache(project.root, outcome.lookups)
    findings = all_findings(bibliography, outcome.lookups, outcome.unchecked)
    problems = [finding.problem() for finding in findings]
    print_problems(problems)
    for service, reason in sorted(outcome.stopped.items()):
        print(f"medsite refs verify: stopped asking {service} ({reason}); run again later", file=sys.stderr)
    failing = len(errors(problems))
    summary = (f"{len(bibliography.entries)} entries, {len(set(dois))} DOI(s) and {len(set(pmids))} PMID(s): "
               f"{outcome.asked} request(s), {outcome.from_cache} from the cache, {len(outcome.unchecked)} "
               f"not checked; {failing} error(s), {len(problems) - failing} warning(s)")
    print(f"medsite refs verify: {summary}", file=sys.stderr)
    if args.report:
        Path(args.report).write_text(markdown_report(findings, summary, today), encoding="utf-8")
    return 1 if errors(problems) else 0
