"""`medsite build`: a strict build that replaces the site folder only when it succeeds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medsite.cli.commands import add_config_argument
from medsite.core.problems import Problem, ProblemsError
from medsite.model.project import Project, load_project
from medsite.pipeline.atomic_build import build_atomically

EARLIER_SITE = "sitemap.xml"  # MkDocs writes it into every site it builds, whatever the theme


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
    check_site_dir(site_dir, load_project(config))
    try:
        failures = build_atomically(config, site_dir)
    except KeyboardInterrupt:
        print(f"medsite build: interrupted; {site_dir} was left as it was", file=sys.stderr)
        return 130
    for line in failures:
        print(line, file=sys.stderr)
    if failures:
        print(f"medsite build: failed; {site_dir} was left as it was", file=sys.stderr)
        return 1
    print(f"medsite build: built {site_dir}", file=sys.stderr)
    return 0


def check_site_dir(site_dir: Path, project: Project) -> None:
    """Refuse a site folder that is, holds or lies inside a folder the build reads (docs, bibliography,
    data), or that is or holds the project folder: the build replaces the site folder whole, so the sources
    would be lost (as `mkdocs build -d` refuses a site folder inside the docs folder). Any other folder that
    already holds files must be an earlier site (MkDocs writes a sitemap.xml into every one), so that a
    mistyped `--site-dir overrides` or `.git` cannot replace it either."""
    site = site_dir.resolve()
    data = {project.registry_path.parent, project.synonyms_path.parent} - {project.root}
    problems = [Problem(str(site_dir), None, f"the site folder {relation} the {name} folder {folder}; "
                        "expected a folder of its own, e.g. site/ beside mkdocs.yml (it is replaced whole)")
                for name, folder, inside in (("docs", project.docs_dir, True),
                                             ("bibliography", project.bibliography_dir, True),
                                             *(("data", folder, True) for folder in sorted(data)),
                                             ("project", project.root, False))
                if (relation := _relation(site, folder.resolve(), inside))]
    if not problems and site.is_dir() and any(site.iterdir()) and not (site / EARLIER_SITE).is_file():
        problems.append(Problem(str(site_dir), None, f"the site folder holds files but no {EARLIER_SITE}, so "
                                "it is not a site built before (it is replaced whole); expected a new or "
                                "empty folder, or one an earlier build made"))
    if problems:
        raise ProblemsError(problems)


def _relation(site: Path, folder: Path, inside: bool) -> str | None:
    if site == folder:
        return "is"
    if folder.is_relative_to(site):
        return "holds"
    return "is inside" if inside and site.is_relative_to(folder) else None
