"""Heading structure: one h1 per page and no skipped level, so screen-reader users can navigate by headings.

An article's h1 is generated from its `title`; any other page gets one from Material when its content has
none. So an article body may hold no `#` heading, another page at most one, and below the h1 each
heading goes down at most one level from the one before it (`##` then `####` skips h3).
"""

from __future__ import annotations

from collections.abc import Sequence

from medsite.core.problems import Problem
from medsite.markdown.links import Heading
from medsite.model.project import Project
from medsite.model.sources import Source


def heading_problems(path: str, headings: Sequence[Heading], *, generated_h1: bool) -> list[Problem]:
    """Problems of one page's headings; `generated_h1` when the build adds the page's h1 (articles)."""
    problems: list[Problem] = []
    first_h1: Heading | None = None
    previous = 1  # the page's h1, written or generated, opens the outline
    for heading in headings:
        written = f"`{heading.markdown}`"
        if heading.level == 1:
            if generated_h1:
                problems.append(Problem(path, heading.line, f"found a second h1 {written}: the page's h1 is "
                                        "generated from `title`; expected `##` for a section", heading.col))
            elif first_h1 is not None:
                problems.append(Problem(path, heading.line, f"found a second h1 {written} (the first is on "
                                        f"line {first_h1.line}); expected one h1 per page, `##` for a "
                                        "section", heading.col))
            first_h1 = first_h1 or heading
        elif heading.level > previous + 1:
            deepest = previous + 1
            problems.append(Problem(path, heading.line, f"found h{heading.level} {written} after "
                                    f"h{previous}; expected at most h{deepest} (`{'#' * deepest}`): heading "
                                    "levels go down one at a time", heading.col))
        previous = heading.level
    return problems


def check_headings(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """Check function for `medsite check`: the heading structure of every page given."""
    return [problem for source in sources if source.text is not None
            for problem in heading_problems(source.display, source.scan.headings,
                                            generated_h1=source.is_article)]
