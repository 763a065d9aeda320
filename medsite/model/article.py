"""The typed front matter of an article and its schema check.

Every problem names the line of the offending key, what was found and what was expected, with a
close-match hint for typos, so an author fixes all of them in one pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from medsite.citations.syntax import scan
from medsite.core.problems import Problem
from medsite.markdown.abbreviations import definitions
from medsite.markdown.frontmatter import FrontMatter
from medsite.model.registry import did_you_mean
from medsite.model.scaffold_text import DESCRIPTION as PLACEHOLDER_DESCRIPTION
from medsite.model.scaffold_text import placeholder_lines

ARTICLES_DIR = "articles"  # under docs_dir: every page there is an article
Status = Literal["submitted", "under_review", "approved"]
Audience = Literal["patient", "clinician"]
STATUSES: tuple[Status, ...] = ("submitted", "under_review", "approved")
AUDIENCES: tuple[Audience, ...] = ("patient", "clinician")
DATE_KEYS = ("submitted", "reviewed", "updated", "next_review", "evidence_through")
# Key -> what an author should write; the order is the order `medsite approve` inserts new keys in.
SCHEMA = {
    "title": "the question, as text",
    "description": "the one-line answer, as text",
    "status": "one of submitted, under_review, approved",
    "audience": "the default wording: patient or clinician",
    "topics": "a list of topics, e.g. [prostate cancer, chemotherapy]",
    "authors": "a list of author ids from the people registry",
    "reviewers": "a list of board-member ids from the people registry",
    "submitted": "a date like 2025-11-02",
    "reviewed": "a date like 2025-12-07",
    "updated": "a date like 2025-12-07",
    "next_review": "a date like 2026-12-07",
    "evidence_through": "a date like 2025-11-30",
    "reviewed_hash": "sha256:<64 hex digits>, written by `medsite approve`",
    "retractions_reviewed": "the cited keys whose retraction the board saw when approving, written by "
                            "`medsite approve --acknowledge KEY`",
    "review_history": "a list of {date, reviewers, note}, one per approval, written by "
                      "`medsite approve --note`",
}
REQUIRED = ("title", "description", "status", "audience", "authors", "submitted")
# No other key is allowed, MkDocs' and Material's included: `template` would render the article without the
# caution, and Material prints `subtitle`, `icon` or `author` unescaped or uses them as paths.
MAX_TITLE, MAX_DESCRIPTION, MAX_NAME = 300, 1000, 100  # characters: a question, its answer, a topic or id
MAX_TOPICS, MAX_PEOPLE = 20, 20  # list lengths (every topic is a generated page)
HASH_RE = re.compile(r"^sha256:[0-9a-f]{64}$")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Python-Markdown's backslash escapes, and `@`, which the citation extension adds (a bare @key cites)
MARKDOWN_ESCAPES = frozenset("\\`*_{}[]()>#+-.!@")


@dataclass(frozen=True)
class Article:
    """One article's front matter, typed; `lines` maps each key to its line in `path`."""

    path: str  # relative to the project root, as shown in problems
    src_uri: str  # relative to docs_dir, as MkDocs names the page's file
    title: str
    description: str
    status: Status
    audience: Audience
    topics: tuple[str, ...]
    authors: tuple[str, ...]
    reviewers: tuple[str, ...]
    submitted: dt.date
    reviewed: dt.date | None
    updated: dt.date | None
    next_review: dt.date | None
    evidence_through: dt.date | None
    reviewed_hash: str | None
    # hash of the text, acknowledged retractions and review history (see medsite.review.rules)
    current_hash: str
    cited: tuple[str, ...]  # the citation keys of the body, in order of first use
    placeholder_lines: tuple[int, ...]  # file lines still holding `medsite new`'s placeholder text
    lines: dict[str, int]
    abbreviations: dict[str, str]  # those the body defines, for lists of articles on other pages
    retractions_reviewed: tuple[str, ...] = ()  # cited keys known retracted when the board approved
    history: tuple[ReviewNote, ...] = ()  # every approval with its change note, oldest first

    def line(self, key: str) -> int:
        """The line of `key`, or of the opening `---` when the key is absent."""
        return self.lines.get(key, 1)


def is_article_path(src_uri: str) -> bool:
    """Whether a docs-relative page path is an article's (under articles/)."""
    return src_uri.startswith(ARTICLES_DIR + "/")


@dataclass(frozen=True)
class ReviewNote:
    """One approval as the article's `review_history` records it."""

    date: dt.date
    reviewers: tuple[str, ...]
    note: str  # one line: what changed


def content_hash(title: str, description: str, body: str, acknowledged: tuple[str, ...] = (),
                 history: tuple[ReviewNote, ...] = ()) -> str:
    """The hash of an article's text: title, answer and body (audience blocks included), with line endings
    and outer blank lines normalised so that re-saving a file on another OS does not count as a change; and,
    when there are any, the retracted sources the approval acknowledged and the review history with its
    change notes, so that editing either by hand counts as a change (readers see both as approved). The
    approval pins it with the rest of what a reader sees as reviewed (medsite.review.rules.approval_hash)."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip()
    parts: list = [title.strip(), description.strip(), text]
    extra: dict = {}
    if acknowledged:
        extra["retractions_reviewed"] = sorted(set(acknowledged))
    if history:
        extra["review_history"] = [[n.date.isoformat(), list(n.reviewers), n.note] for n in history]
    if extra:
        parts.append(extra)
    payload = json.dumps(parts, ensure_ascii=False, sort_keys=True)
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Reading:
    """The outcome of reading one article: the article if every key is usable, and every problem.

    `values` keeps each key that passed its own check, so cross-checks (e.g. reviewer ids against the
    registry) still run when another key is broken and all problems reach the author at once.
    """

    path: str
    article: Article | None
    problems: list[Problem]
    values: dict[str, Any]
    lines: dict[str, int]


def title_heading(title: str) -> str:
    """The Markdown H1 generated for an article: its title as literal text, never as markup."""
    text = html.escape(title, quote=False)
    return "# " + "".join("\\" + char if char in MARKDOWN_ESCAPES else char for char in text)


def read_article(front: FrontMatter, path: str, src_uri: str) -> Reading:
    """Check the schema of one article's front matter."""
    problems = list(front.problems)
    if front.data is None:
        problems.append(
            Problem(path, 1, f"no front matter; expected a `---` block at the top with {', '.join(REQUIRED)}")
        )
        return Reading(path, None, problems, {}, {})
    data, lines = front.data, front.lines
    for key, line in lines.items():
        if key not in SCHEMA:
            problems.append(
                Problem(
                    path,
                    line,
                    f"unknown key `{key}`{did_you_mean(key, list(SCHEMA))}; "
                    f"expected one of {', '.join(SCHEMA)} (page layout keys such as `template` are not "
                    "allowed in articles)",
                )
            )
    for key in REQUIRED:
        if key not in lines:
            problems.append(Problem(path, 1, f"missing key `{key}`; expected {SCHEMA[key]}"))
    values: dict[str, Any] = {}
    for key, read in _READERS.items():
        if key in data:
            value, error = read(data[key])
            if error:
                problems.append(
                    Problem(path, lines[key], f"`{key}` is {_shown(data[key])}; expected {error}")
                )
            else:
                values[key] = value
    str_lines = {k: v for k, v in lines.items() if isinstance(k, str)}
    if problems:
        return Reading(path, None, problems, values, str_lines)
    article = Article(
        path=path,
        src_uri=src_uri,
        title=values["title"],
        description=values["description"],
        status=values["status"],
        audience=values["audience"],
        topics=values.get("topics", ()),
        authors=values["authors"],
        reviewers=values.get("reviewers", ()),
        submitted=values["submitted"],
        reviewed=values.get("reviewed"),
        updated=values.get("updated"),
        next_review=values.get("next_review"),
        evidence_through=values.get("evidence_through"),
        reviewed_hash=values.get("reviewed_hash"),
        current_hash=content_hash(values["title"], values["description"], front.body,
                                  values.get("retractions_reviewed", ()), values.get("review_history", ())),
        cited=tuple(dict.fromkeys(scan(front.body).keys)),
        placeholder_lines=tuple(sorted({
            *((lines["description"],) if values["description"] == PLACEHOLDER_DESCRIPTION else ()),
            *placeholder_lines(front.body, front.body_line)})),
        lines=str_lines,
        abbreviations=definitions(front.body),
        retractions_reviewed=values.get("retractions_reviewed", ()),
        history=values.get("review_history", ()),
    )
    return Reading(path, article, problems, values, str_lines)


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f"`{value}`"
    return text if len(text) <= 60 else text[:57] + "..."


def _text(limit: int):
    def read(value: object) -> tuple[str | None, str | None]:
        if isinstance(value, str) and value.strip() and len(value.strip()) <= limit:
            return value.strip(), None
        return None, f"non-empty text of at most {limit} characters"

    return read


def _choice(choices: tuple[str, ...]):
    def read(value: object) -> tuple[str | None, str | None]:
        if value in choices:
            return value, None  # type: ignore[return-value]
        return None, f"one of {', '.join(choices)}{did_you_mean(value, choices)}"

    return read


def _texts(limit: int):
    def read(value: object) -> tuple[tuple[str, ...] | None, str | None]:
        items = [value] if isinstance(value, str) else value
        if (isinstance(items, list) and len(items) <= limit
                and all(isinstance(i, str) and i.strip() and len(i.strip()) <= MAX_NAME for i in items)):
            return tuple(i.strip() for i in items), None
        return None, f"a list of at most {limit} names of at most {MAX_NAME} characters, e.g. [a, b]"

    return read


def _author_ids(value: object) -> tuple[tuple[str, ...] | None, str | None]:
    items, error = _texts(MAX_PEOPLE)(value)
    if error and isinstance(value, list) and len(value) > MAX_PEOPLE:
        return None, error
    if error or not items:
        return None, "at least one author id from the people registry, e.g. [editorial-team]"
    return items, None


def _date(value: object) -> tuple[dt.date | None, str | None]:
    expected = "a date written YYYY-MM-DD, e.g. 2025-12-07"
    if isinstance(value, dt.datetime):
        return None, f"{expected} (without a time)"
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str) and ISO_DATE_RE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()), None
        except ValueError:
            return None, "a real calendar date written YYYY-MM-DD, e.g. 2025-12-07"
    return None, expected


MAX_NOTE = 200  # characters of a change note: one line


def read_history(value: object) -> tuple[tuple[ReviewNote, ...] | None, str | None]:
    """`review_history` as recorded by `medsite approve --note`, or why it cannot be read."""
    expected = ("a list of approvals, each {date: YYYY-MM-DD, reviewers: [ids], note: one line of at most "
                f"{MAX_NOTE} characters}} (written by `medsite approve --note`)")
    if not isinstance(value, list):
        return None, expected
    notes = []
    for item in value:
        if not (isinstance(item, dict) and set(item) == {"date", "reviewers", "note"}):
            return None, expected
        date, bad_date = _date(item["date"])
        reviewers, bad_reviewers = _texts(MAX_PEOPLE)(item["reviewers"])
        note = item["note"].strip() if isinstance(item["note"], str) else ""
        if bad_date or bad_reviewers or not note or "\n" in note or len(note) > MAX_NOTE:
            return None, expected
        notes.append(ReviewNote(date, reviewers, note))
    return tuple(notes), None


def _hash(value: object) -> tuple[str | None, str | None]:
    if isinstance(value, str) and HASH_RE.match(value):
        return value, None
    return None, "sha256: followed by 64 hex digits (run `medsite approve` to set it)"


_READERS = {
    "title": _text(MAX_TITLE),
    "description": _text(MAX_DESCRIPTION),
    "status": _choice(STATUSES),
    "audience": _choice(AUDIENCES),
    "topics": _texts(MAX_TOPICS),
    "authors": _author_ids,
    "reviewers": _texts(MAX_PEOPLE),
    "reviewed_hash": _hash,
    "retractions_reviewed": _texts(MAX_PEOPLE),
    "review_history": read_history,
    **{key: _date for key in DATE_KEYS},
}
