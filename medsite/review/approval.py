"""Recording the Medical Advisory Board's approval in an article (`medsite approve` is its command line).

Sets `status: approved`, `reviewers`, `reviewed`, `next_review` (a year later, if absent or not after the
review) and `reviewed_hash` (the hash of everything a reader sees as reviewed, cited references included:
medsite.review.rules), and adds the change note to `review_history`. Only the lines of those keys change:
comments, key order, the other keys and the body are kept byte for byte. Who may approve is the build's own
rule (medsite.review.rules.approver_problems), and an approval the build would doubt is never produced.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from medsite.bibliography.load import load_bibliography
from medsite.citations.syntax import scan
from medsite.core.files import check_replaceable
from medsite.core.problems import Problem, ProblemsError, display_path
from medsite.markdown.frontmatter import parse, split
from medsite.markdown.frontmatter_edit import flow_list, load_for_edit, round_tripper, splice
from medsite.model.article import MAX_NOTE, SCHEMA, ReviewNote, content_hash, read_article, read_history
from medsite.model.project import Project
from medsite.model.registry import Registry, load_registry
from medsite.refs.verify import retracted_keys
from medsite.review.catalog import project_pins
from medsite.review.rules import approval_hash, approver_problems, people_problems, review_problems

OWNED = ("status", "reviewers", "reviewed", "next_review", "reviewed_hash", "retractions_reviewed",
         "review_history")
BOM = "\ufeff"


@dataclass(frozen=True)
class Approval:
    """An approval ready to be written: the article's new bytes, and what the command tells the reviewer."""

    display: str  # the article as problems name it
    text: bytes
    reviewed: dt.date
    names: tuple[str, ...]  # the reviewers' names
    note: str
    acknowledged: tuple[str, ...]  # retracted sources the board accepted knowingly


def record_approval(project: Project, path: Path, *, reviewers: Sequence[str], reviewed: dt.date,
                    today: dt.date, note: str, acknowledge: Sequence[str] = ()) -> Approval:
    """The article at `path` with the approval recorded, or ProblemsError saying why it cannot be: a
    reviewer who may not approve, a file that cannot be replaced safely, `medsite new`'s placeholder text, an
    unacknowledged retracted source, a bad note, or a result the build would reject. Nothing is written."""
    display = display_path(path.parent.resolve() / path.name, project.root)  # a link by its own name
    registry, problems = load_registry(project.registry_path, project.display(project.registry_path))
    if problems:
        raise ProblemsError(problems)
    reviewers = list(dict.fromkeys(reviewers))
    check_reviewers(reviewers, registry)
    check_replaceable(path, display, "article file")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ProblemsError([Problem(display, None, f"cannot read the article: {error.strerror}")]) from None
    _check_no_placeholder(raw, display)
    acknowledged = check_retractions(raw, display, list(acknowledge), project)
    note = change_note(note, display)
    pins = project_pins(project)
    new = approved_source(raw, display, reviewers, reviewed, acknowledged, note=note, pins=pins)
    _check_result(new, display, path, project.docs_dir, registry, today, pins)
    return Approval(display, new, reviewed, tuple(registry.people[r].name for r in reviewers), note,
                    tuple(acknowledged))


def check_reviewers(reviewers: Sequence[str], registry: Registry) -> None:
    """Refuse, before any work, reviewers who may not approve by the build's rule (an id the registry does
    not know, with the nearest; not a board member; a placeholder seat). An author of the article is
    refused once its front matter is read (`_check_result`, by the same rule)."""
    if messages := approver_problems(reviewers, (), registry):
        raise ProblemsError([Problem(registry.path, None, message) for message in messages])


def check_retractions(raw: bytes, display: str, acknowledged: list[str], project: Project) -> list[str]:
    """The retracted sources the article cites (from `medsite refs verify`'s cache), which the approval
    must name with --acknowledge: the board approves them knowingly or not at all. Naming a key that is not
    a retracted source of this article is refused too (a typo would otherwise pass unnoticed)."""
    retracted = retracted_keys(project.root,
                               lambda: load_bibliography(project.bibliography_dir, root=project.root))
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n")
    cited = set(scan(text).keys) & retracted if retracted else set()
    problems = [Problem(display, None, f"cites `{key}`, which has been retracted (`medsite refs verify`); "
                        f"expected the board to review it and approve with `--acknowledge {key}`, or the "
                        "citation removed") for key in sorted(cited - set(acknowledged))]
    problems += [Problem(display, None, f"--acknowledge {key}: the article cites no retracted source "
                         f"`{key}`; expected only keys of retracted sources it cites")
                 for key in sorted(set(acknowledged) - cited)]
    if problems:
        raise ProblemsError(problems)
    return sorted(cited)


def change_note(text: str, display: str) -> str:
    """The --note as recorded: one line of text, at most MAX_NOTE characters."""
    note = " ".join(text.split()) if "\n" not in text.strip() else ""
    if not note or len(note) > MAX_NOTE:
        raise ProblemsError([Problem(display, None, f"--note is {text[:60]!r}; expected one line of text "
                                     f"of at most {MAX_NOTE} characters saying what changed")])
    return note


def _check_no_placeholder(raw: bytes, display: str) -> None:
    """Refuse an article still holding `medsite new`'s placeholder text, naming its lines in the file as it
    is (the review rules name them too, in the file as it would be)."""
    try:
        text = raw.decode("utf-8").removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n")
        reading = read_article(parse(text, display), display, "articles/x.md")
    except (UnicodeDecodeError, ProblemsError):
        return  # approved_source reports these
    if reading.article is not None and reading.article.placeholder_lines:
        raise ProblemsError([Problem(display, line, "the placeholder text of `medsite new` is still here; "
                                     "expected the article's own text before approval (nothing was written)")
                             for line in reading.article.placeholder_lines])


def approved_source(raw: bytes, display: str, reviewers: list[str], reviewed: dt.date,
                    acknowledged: list[str] | None = None, *, note: str | None = None,
                    pins: Mapping[str, str] | None = None) -> bytes:
    """The article's bytes with the approval recorded; only the lines of the front matter's owned keys
    change. With a `note`, the approval is added to the article's `review_history` (the command always gives
    one). `pins` are the formatted references the approval covers (medsite.review.rules.reference_pins)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProblemsError(
            [Problem(display, None, f"not UTF-8 text ({error.reason}); expected a UTF-8 Markdown file")]
        ) from None
    bom = BOM if text.startswith(BOM) else ""
    text = text[len(bom) :]
    # Find the block on universal newlines, as MkDocs does, then cut the original text at the same line.
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    yaml_text, _, block_lines = split(normalized)
    if yaml_text is None:
        raise ProblemsError([Problem(display, 1, "no front matter; expected a `---` block at the top")])
    lines = io.StringIO(text, newline="").readlines()
    opening, closing, rest = lines[0], lines[block_lines - 1], "".join(lines[block_lines:])
    newline = opening[len(opening.rstrip("\r\n")) :]
    yaml_lines = lines[1 : block_lines - 1]  # with their own line endings
    # The hash is taken from the values the build reads (PyYAML, like MkDocs); ruamel only writes.
    current = parse(normalized, display)
    for key in ("title", "description"):
        if not isinstance(current.data.get(key), str):
            raise ProblemsError(
                [
                    Problem(
                        display,
                        current.lines.get(key, 1),
                        f"`{key}` is missing or not text; expected it before approval",
                    )
                ]
            )
    front = load_for_edit(yaml_text, display)
    history, problem = read_history(current.data.get("review_history", []))
    if problem:
        raise ProblemsError([Problem(display, current.lines.get("review_history", 1),
                                     f"`review_history` cannot be read; expected {problem}")])
    if note is not None:
        history = (*history, ReviewNote(reviewed, tuple(reviewers), note))
    next_review = front.get("next_review")
    next_review = next_review if isinstance(next_review, dt.date) and next_review > reviewed \
        else _one_year_after(reviewed)
    cited = dict.fromkeys(scan(current.body).keys)
    values = {
        "status": "approved",
        "reviewers": reviewers,
        "reviewed": reviewed,
        "next_review": next_review,
        "reviewed_hash": approval_hash(
            content_hash(current.data["title"], current.data["description"], current.body,
                         tuple(acknowledged or ()), history),
            audience=str(current.data.get("audience")), reviewers=reviewers, reviewed=reviewed,
            next_review=next_review, references=[(pins or {}).get(key, "") for key in cited]),
        "retractions_reviewed": list(acknowledged or ()),
        "review_history": history,
    }
    dumped = _dump_with(front, values, yaml_text, display)
    spliced = splice(yaml_lines, yaml_text, dumped.replace("\n", newline), dumped, OWNED)
    return (bom + opening + spliced + closing + rest).encode("utf-8")


def _dump_with(front, values: dict, yaml_text: str, display: str) -> str:
    for key, value in values.items():
        if key == "retractions_reviewed" and not value:
            front.pop(key, None)  # nothing retracted is cited any more: no acknowledgement to keep
            continue
        if key == "review_history":
            _record_history(front, value)
            continue
        if key in ("reviewers", "retractions_reviewed") and isinstance(front.get(key), CommentedSeq):
            front[key][:] = value  # keeps the list's style and comments
            continue
        if key not in front:
            value = flow_list(value) if isinstance(value, list) else value
            front.insert(_position(front, key), key, value)
        else:
            front[key] = value
    stream = io.StringIO()
    round_tripper(yaml_text).dump(front, stream)
    dumped = stream.getvalue()
    # Belt and braces: every key we do not own must read back exactly as before.
    try:
        before, after = yaml.safe_load(yaml_text), yaml.safe_load(dumped)
    except (yaml.YAMLError, ValueError) as error:
        raise ProblemsError([Problem(display, 1, f"front matter is not valid YAML: {error}")]) from None
    if any(before.get(k) != after.get(k) for k in set(before) | set(after) if k not in OWNED):
        raise ProblemsError(
            [
                Problem(
                    display,
                    1,
                    "cannot record the approval without changing other keys; "
                    "nothing was written (please report this)",
                )
            ]
        )
    return dumped


def _record_history(front, history: tuple[ReviewNote, ...]) -> None:
    """Append the new approval to `review_history` (one flow mapping a line), keeping earlier lines as they
    are written; the key is created after the other review keys when missing."""
    if not history:
        return
    newest = history[-1]
    day = dt.date.fromordinal(newest.date.toordinal())  # its own object: the same one twice is a YAML alias
    entry = CommentedMap([("date", day), ("reviewers", flow_list(list(newest.reviewers))),
                          ("note", DoubleQuotedScalarString(newest.note))])
    entry.fa.set_flow_style()
    existing = front.get("review_history")
    if isinstance(existing, CommentedSeq) and len(existing) == len(history) - 1:
        existing.append(entry)
    else:
        sequence = CommentedSeq([entry])
        if "review_history" in front:
            front["review_history"] = sequence
        else:
            front.insert(_position(front, "review_history"), "review_history", sequence)


def _position(front, key: str) -> int:
    """Where a new key goes: after the nearest key that precedes it in the schema's order."""
    order = list(SCHEMA)
    earlier = set(order[: order.index(key)])
    keys = list(front)
    positions = [i + 1 for i, existing in enumerate(keys) if existing in earlier]
    return max(positions, default=len(keys))


def _one_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _check_result(new: bytes, display: str, path: Path, docs_dir: Path, registry: Registry, today: dt.date,
                  pins: Mapping[str, str]) -> None:
    """Refuse to write an article the build would reject (e.g. a review date in the future)."""
    source = new.decode("utf-8").removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n")
    try:
        src_uri = path.resolve().relative_to(docs_dir).as_posix()
    except ValueError:
        src_uri = path.name
    reading = read_article(parse(source, display), display, src_uri)
    problems = [*reading.problems, *people_problems(reading, registry)]
    if reading.article is not None:
        problems.extend(review_problems(reading.article, today, pins))
    if problems:  # any, including a hash that would not match: never write an approval the build doubts
        raise ProblemsError(problems)
