"""A new article from the template: right front matter, the sections every answer needs, a working citation.

Starting from a file that already passes the checks lets an author learn the syntax by editing, and the
write can never replace or truncate someone's existing article.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import bibtexparser
from markdown.extensions.toc import slugify
from ruamel.yaml import YAML

from medsite.core.problems import Problem, ProblemsError
from medsite.model.article import ARTICLES_DIR
from medsite.model.project import Project
from medsite.model.published import docs_files
from medsite.model.registry import load_registry
from medsite.model.scaffold_text import BODY, DESCRIPTION, EXAMPLE_CITATION
from medsite.review.catalog import slug

MAX_SLUG_LENGTH = 80
# File names MkDocs reads as Markdown: one of them at the new article's address is the article the author
# meant, even where only `.md` is published.
_MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Between two digits, a decimal point or a ratio's colon becomes a hyphen: `2.5 mg` must not read `25-mg`.
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[.:](?=\d)")



def slug_for(question: str) -> str:
    """The file name stem for a question: lowercase ASCII words joined by hyphens, cut at a word boundary.

    Dashes of every kind, the minus sign and slashes separate words, so a range `eGFR 30–44` keeps its
    numbers apart (`egfr-30-44`); Python-Markdown's slugify alone would drop the dash and join them.
    """
    spaced = "".join("-" if unicodedata.category(char) == "Pd" or char in "\u2212/" else char
                     for char in _BETWEEN_DIGITS.sub("-", question))
    stem = slugify(spaced, "-").strip("-")
    if len(stem) > MAX_SLUG_LENGTH:
        stem = stem[:MAX_SLUG_LENGTH + 1].rsplit("-", 1)[0]
    return stem


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
        "description": DESCRIPTION,
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
    citation = f"@{citation_key}" if citation_key else EXAMPLE_CITATION
    return f"---\n{stream.getvalue()}---\n{BODY.format(citation=citation)}"


def create_article(project: Project, question: str, *, today: date, authors: Sequence[str] = (),
                   topics: Sequence[str] = (), file_slug: str | None = None) -> Path:
    """Write docs/articles/<slug>.md (the slug from the question unless `file_slug` is given); refuse an
    empty question, unknown author ids, topics without words, a malformed slug and any existing article
    that would be published at the same address (`foo.markdown`, `foo/index.md`, `Foo.md`)."""
    question = " ".join(question.split())
    authors = list(dict.fromkeys(authors))
    topics = list(dict.fromkeys(" ".join(topic.split()) for topic in topics))
    problems = [*_author_problems(project, authors), *_topic_problems(topics)]
    if not question:
        problems.append(Problem("medsite new", None, "the question is empty; "
                                'expected e.g. medsite new "Can X clear Y in Z?"'))
    if file_slug is not None:
        problems += _slug_problems(file_slug)
    stem = slug_for(question) if file_slug is None else file_slug
    if question and not stem:
        problems.append(Problem("medsite new", None, f"the question {question!r} has no letters or "
                                "digits to name the file after; expected a question in words, or --slug"))
    if problems:
        raise ProblemsError(problems)
    folder = project.articles_dir
    target = folder / f"{stem}.md"
    address = slug(f"{ARTICLES_DIR}/{target.name}")
    pages = [uri for uri in (docs_files(project.docs_dir) if project.docs_dir.is_dir() else [])
             if uri.startswith(f"{ARTICLES_DIR}/") and uri.endswith(_MARKDOWN)]
    for src_uri in pages:
        existing = project.docs_dir / src_uri
        if slug(src_uri) == address:
            raise ProblemsError([Problem(project.display(existing), None,
                                         f"already exists; medsite new never overwrites: it is published at "
                                         f"`{address}/`, the new article's address; expected you to edit "
                                         "that article, ask a different question or give another --slug")])
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
    return [Problem("medsite new", None, registry.unknown("--author", author, "author"))
            for author in authors if author not in registry.people]


def _slug_problems(file_slug: str) -> list[Problem]:
    if SLUG_RE.fullmatch(file_slug) and len(file_slug) <= MAX_SLUG_LENGTH:
        return []
    return [Problem("medsite new", None, f"--slug {file_slug!r} is not a file name we publish; expected "
                    f"lower-case letters, digits and single hyphens, at most {MAX_SLUG_LENGTH} characters, "
                    "e.g. metformin-egfr-30-44")]


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
