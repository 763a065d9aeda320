"""What `medsite check` runs: a list of check functions over the loaded sources, so new checks plug in.

A check function takes the project and the sources being checked and returns the problems it found. It
must not raise for user mistakes, and should skip sources whose `text` is None (not UTF-8; the hygiene
check reports those).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TextIO

from medsite.bibliography.load import load_bibliography
from medsite.bibliography.mkdocs_bibtex import bibtex_plugin_problems
from medsite.checks.headings import check_headings
from medsite.checks.links_internal import check_internal_links
from medsite.checks.source_checks import check_hygiene, reading_problems
from medsite.citations.syntax import check_site_citations
from medsite.core.problems import Problem, display_path, sort_key
from medsite.model.project import Project
from medsite.model.published import docs_files, file_problem, read_paths, symlink_problems
from medsite.model.site_pages import non_article_problems
from medsite.model.sources import Source, load_sources
from medsite.pages.readability import check_readability
from medsite.pages.topics import topic_pages
from medsite.review.catalog import check_articles, load_catalog
from medsite.safety import html_safety

CheckFunction = Callable[[Project, Sequence[Source]], Iterable[Problem]]


def generated_pages(project: Project) -> set[str]:
    """Pages the build adds (topic pages): links may point at them although no file holds them."""
    catalog = load_catalog(project.docs_dir, project.root, project.settings,
                           bibliography=project.bibliography_dir)
    return set(topic_pages(catalog, ())[0])


def check_links(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """Internal links, images and anchors, counting generated pages as existing."""
    return check_internal_links(project, sources, generated=generated_pages(project))


def check_article_schema(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """Front-matter schema and review rules, for the articles whose front matter can be read: an empty
    file, one that is not UTF-8 or whose front matter is missing, unclosed or tab-indented is reported
    once, by `check_hygiene`, with its line and column."""
    readable = [source for source in sources
                if not (source.is_article and reading_problems(source.display, source.raw))]
    return check_articles(project, readable)


def check_citations(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """Unknown keys in the given files, the bibliography's own problems, and entries nothing cites.

    "Uncited" looks at every page under docs_dir, not only the files given, so checking one article never
    reports the others' references as unused.
    """
    bibliography = load_bibliography(project.bibliography_dir, root=project.root)
    wanted = {source.display for source in sources}
    every = {source.display: source.text for source in load_sources(project) if source.text is not None}
    every.update({source.display: source.text for source in sources if source.text is not None})
    return [problem for problem in check_site_citations(every, bibliography)
            if problem.path in wanted or not problem.path.endswith(".md")]


def check_site_pages(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """Pages of the docs folder outside articles/: only the maintainers' site pages, each with valid front
    matter (medsite.model.site_pages)."""
    pages = ((source.docs_path, source.display, lambda source=source: source.text)
             for source in sources if source.docs_path is not None and source.text is not None)
    return non_article_problems(pages, project.settings)


def check_published_files(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """What the build would refuse to publish (medsite.model.published): files of the docs folder off the
    allow-list and symbolic links where the build reads, whichever files are being checked."""
    docs = display_path(project.docs_dir, project.root)
    read = read_paths(project.root, project.docs_dir, project.bibliography_dir, project.settings)
    problems = symlink_problems(read, project.root)
    for src_uri in docs_files(project.docs_dir):
        path = project.docs_dir / src_uri
        if problem := file_problem(src_uri, f"{docs}/{src_uri}", lambda path=path: path.read_bytes()[:16],
                                   project.settings):
            problems.append(problem)
    return problems


def check_settings(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """The settings' own problems (`extra.medsite` in mkdocs.yml) and a leftover mkdocs-bibtex plugin entry,
    whatever files are checked."""
    return [*project.settings.problems, *bibtex_plugin_problems(project.config_file, project.root)]


CHECKS: list[CheckFunction] = [
    check_settings,
    check_published_files,
    check_hygiene,
    check_article_schema,
    check_site_pages,
    html_safety.check_articles,
    check_citations,
    check_links,
    check_headings,
    check_readability,
]


def run_checks(project: Project, sources: Sequence[Source],
               checks: Iterable[CheckFunction] = CHECKS) -> list[Problem]:
    """Every problem every check finds, sorted by file and line."""
    found = [problem for check in checks for problem in check(project, sources)]
    return sorted(found, key=sort_key)


def write_step_summary(title: str, problems: Sequence[Problem]) -> None:
    """Under GitHub Actions, the findings as a list on the run's summary page ($GITHUB_STEP_SUMMARY)."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary:
        return
    lines = [f"### {title}: {len(problems)}", ""]
    lines += [f"- `{problem.path}{f':{problem.line}' if problem.line else ''}`: {problem.message}"
              for problem in problems]
    with open(summary, "a", encoding="utf-8") as stream:
        stream.write("\n".join(lines) + "\n")


def print_problems(problems: Sequence[Problem], stream: TextIO | None = None) -> None:
    """One `file:line:col: message` line per problem; under CI=true also GitHub Actions annotations."""
    stream = stream or sys.stdout
    for problem in problems:
        print(problem, file=stream)
    if os.environ.get("CI") == "true":
        for problem in problems:
            print(problem.github_annotation(), file=stream)
