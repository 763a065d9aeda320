"""A new article from the template: right front matter, the sections every answer needs, a working citation.

Starting from a file that already passes the checks lets an author learn the syntax by editing, and the
write can never replace or truncate someone's existing article.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import bibtexparser
from markdown.extensions.toc import slugify
from ruamel.yaml import YAML

from medsite.problems import Problem, ProblemsError
from medsite.project import Project
from medsite.registry import load_registry

MAX_SLUG_LENGTH = 80

BODY = """\
/// audience | clinician
Replace this paragraph with the bottom line: one or two sentences that answer the question, each claim
cited [{citation}]. Where the cited guideline grades a recommendation, show its grade [grade: 1A].
///

/// audience | patient
The same answer in plain language for patients and caregivers. Readers who choose "Patient or
caregiver" see this first, and the bottom line above folded under its label.
///

## What it does

What the treatment or test does, and what it does not do.

## Evidence

The trials and guidelines behind the answer, with numbers and a citation for every claim. Grades are
the cited guideline's own, never ours.

!!! safety "Critical safety considerations"

    Adverse events, contraindications and monitoring a clinician must anticipate.

!!! pitfall "Common pitfall to avoid"

    The mistake readers most often make with this question.

## Alternatives

What to do instead, or next, with citations.
"""


def slug_for(question: str) -> str:
    """The file name stem for a question: lowercase ASCII words joined by hyphens, cut at a word boundary."""
    slug = slugify(question, "-")
    if len(slug) > MAX_SLUG_LENGTH:
        slug = slug[:MAX_SLUG_LENGTH + 1].rsplit("-", 1)[0]
    return slug


def first_bibliography_key(references_dir: Path) -> str | None:
    """The first entry key of the first .bib file, so the template's sample citation resolves."""
    for bib in sorted(references_dir.glob("*.bib")):
        entries = bibtexparser.parse_file(str(bib)).entries
        if entries:
            return entries[0].key
    return None


def article_text(question: str, *, today: date, citation_key: str | None,
                 authors: Sequence[str] = (), topics: Sequence[str] = ()) -> str:
    """Front matter in the agreed schema (dumped by a YAML library, so any title is quoted right) + body."""
    front_matter = {
        "title": question,
        "description": "Replace with the one-line answer.",
        "status": "submitted",
        "audience": "clinician",
        "topics": list(topics),
        "authors": list(authors),
        "reviewers": [],
        "submitted": today,
    }
    stream = io.StringIO()
    yaml = YAML()
    yaml.width = 4096
    yaml.default_flow_style = None  # lists as the schema writes them: `topics: [a, b]`
    yaml.dump(front_matter, stream)
    citation = f"@{citation_key}" if citation_key else "@key, once its BibTeX entry is in references/"
    return f"---\n{stream.getvalue()}---\n{BODY.format(citation=citation)}"


def create_article(project: Project, question: str, *, today: date,
                   authors: Sequence[str] = (), topics: Sequence[str] = ()) -> Path:
    """Write docs/articles/<slug>.md; refuse an empty question, unknown author ids, topics without words
    and any existing file (case-insensitively)."""
    question = " ".join(question.split())
    authors = list(dict.fromkeys(authors))
    topics = list(dict.fromkeys(" ".join(topic.split()) for topic in topics))
    problems = [*_author_problems(project, authors), *_topic_problems(topics)]
    if not question:
        problems.append(Problem("medsite new", None, "the question is empty; "
                                'expected e.g. medsite new "Can X clear Y in Z?"'))
    slug = slug_for(question)
    if question and not slug:
        problems.append(Problem("medsite new", None, f"the question {question!r} has no letters or "
                                "digits to name the file after; expected a question in words"))
    if problems:
        raise ProblemsError(problems)
    folder = project.articles_dir
    target = folder / f"{slug}.md"
    taken = {path.name.lower(): path for path in folder.glob("*.md")} if folder.is_dir() else {}
    if target.name.lower() in taken:
        raise ProblemsError([Problem(project.display(taken[target.name.lower()]), None,
                                     "already exists; medsite new never overwrites: edit that article "
                                     "or ask a different question")])
    text = article_text(question, today=today, authors=authors, topics=topics,
                        citation_key=first_bibliography_key(project.bibliography_dir))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _write_new(target, text)
    except FileExistsError:
        raise ProblemsError([Problem(project.display(target), None,
                                     "already exists; medsite new never overwrites")]) from None
    return target


def _author_problems(project: Project, authors: list[str]) -> list[Problem]:
    """Ids the people registry does not hold, each with the nearest id, as the check would report them."""
    if not authors:
        return []
    path = project.registry_path
    registry, problems = load_registry(path, project.display(path))
    if problems:
        return problems
    return [Problem("medsite new", None, f"--author `{author}` is not in {registry.path}"
                    f"{registry.suggest(author)}; expected an id from the people registry")
            for author in authors if author not in registry.people]


def _topic_problems(topics: list[str]) -> list[Problem]:
    return [Problem("medsite new", None, f"--topic {topic!r} has no letters or digits; "
                    "expected a topic such as 'prostate cancer'")
            for topic in topics if not slugify(topic, "-")]


def _write_new(target: Path, text: str) -> None:
    """Write a complete temporary file, then hard-link it into place: an interruption leaves no truncated
    article, and the link (like open mode 'x') fails instead of replacing a file created meanwhile."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="\n", dir=target.parent,
                                     prefix=f".{target.stem}.", suffix=".tmp", delete=False) as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(handle.name, target)
    finally:
        os.unlink(handle.name)
