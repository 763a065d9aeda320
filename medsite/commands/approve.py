"""`medsite approve PATH --reviewer ID`: record the Medical Advisory Board's approval of an article.

Sets `status: approved`, `reviewers`, `reviewed` (today unless --date), `next_review` (a year later, if
absent or not after the review) and `reviewed_hash` (the hash of everything a reader sees as reviewed,
cited references included: medsite.review). Only the lines of those keys change: comments, key order, the
other keys and the body are kept byte for byte, and the file is replaced atomically, so an interruption can
never leave a truncated article. It refuses reviewers who may not approve (authors of the article,
placeholder seats), an article still holding `medsite new`'s placeholder text, a read-only file and a
symbolic link.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from medsite.article import MAX_NOTE, SCHEMA, ReviewNote, content_hash, read_article, read_history
from medsite.bibliography import load_bibliography
from medsite.catalog import project_pins
from medsite.citations import scan
from medsite.commands import add_config_argument
from medsite.frontmatter import parse, split
from medsite.problems import Problem, ProblemsError, display_path
from medsite.project import Project, load_project
from medsite.registry import Registry, load_registry
from medsite.review import approval_hash, people_problems, review_problems
from medsite.source_verify import retracted_keys

OWNED = ("status", "reviewers", "reviewed", "next_review", "reviewed_hash", "retractions_reviewed",
         "review_history")
BOM = "\ufeff"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `medsite approve` to the command line."""
    parser = subparsers.add_parser(
        "approve", help="record the board's approval of an article", description=__doc__
    )
    parser.add_argument("path", type=Path, metavar="PATH", help="the article, e.g. docs/articles/x.md")
    parser.add_argument(
        "--reviewer",
        action="append",
        required=True,
        metavar="ID",
        help="a board member's id from the people registry (repeat for several)",
    )
    parser.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the review date (default: today)",
    )
    parser.add_argument(
        "--note",
        required=True,
        metavar="TEXT",
        help="one line saying what changed, for the article's review history, What's new and the feed "
        f"(at most {MAX_NOTE} characters), e.g. \"Added the CARD trial's survival results.\"",
    )
    parser.add_argument(
        "--acknowledge",
        action="append",
        default=[],
        metavar="KEY",
        help="a cited source known to be retracted (`medsite refs verify`) that the board reviewed and "
        "accepts in this article; repeat for several",
    )
    add_config_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Record the approval, or print why it cannot be recorded (nothing is written then)."""
    project = load_project(args.config)
    display = display_path(args.path.parent.resolve() / args.path.name, project.root)  # a link by its name
    registry_path = project.registry_path
    registry, problems = load_registry(registry_path, project.display(registry_path))
    if problems:
        raise ProblemsError(problems)
    reviewers = list(dict.fromkeys(args.reviewer))
    check_reviewers(reviewers, registry)
    today = dt.date.today()
    reviewed = args.date or today
    _check_writable(args.path, display)
    try:
        raw = args.path.read_bytes()
    except OSError as error:
        raise ProblemsError([Problem(display, None, f"cannot read the article: {error.strerror}")]) from None
    _check_no_placeholder(raw, display)
    acknowledged = check_retractions(raw, display, args.acknowledge, project)
    note = change_note(args.note, display)
    pins = project_pins(project)
    new = approved_source(raw, display, reviewers, reviewed, acknowledged, note=note, pins=pins)
    _check_result(new, display, args.path, project.docs_dir, registry, today, pins)
    replace_file(args.path, new)
    names = ", ".join(registry.people[r].name for r in reviewers)
    print(f"approved {display}: reviewed {reviewed} by {names}; note: {note}")
    if acknowledged:
        print(f"acknowledged retracted source(s): {', '.join(acknowledged)}")
    return 0


def check_reviewers(reviewers: list[str], registry: Registry) -> None:
    """Refuse ids that are not board members, naming the nearest one."""
    problems = []
    for reviewer in reviewers:
        person = registry.people.get(reviewer)
        if person is None:
            problems.append(
                Problem(registry.path, None, registry.unknown("reviewer", reviewer, "board"))
            )
        elif person.role != "board":
            problems.append(
                Problem(
                    registry.path,
                    None,
                    f"`{reviewer}` is an {person.role}, not a board member; only board members may approve",
                )
            )
        elif person.sample:
            problems.append(Problem(registry.path, None, f"`{reviewer}` is a placeholder seat (sample: true) "
                                    "that no physician holds; only a real board member may approve"))
    if problems:
        raise ProblemsError(problems)


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


def _check_writable(path: Path, display: str) -> None:
    """Refuse a symbolic link (its target could be any file) and a read-only file, before any work."""
    if path.is_symlink():
        raise ProblemsError([Problem(display, None, "a symbolic link; expected the article file itself "
                                                    "(nothing was written)")])
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise ProblemsError([Problem(display, None, f"cannot read the article: {error.strerror}")]) from None
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise ProblemsError([Problem(display, None, "the file is read-only; expected a writable file "
                                                    "(nothing was written)")])


def approved_source(raw: bytes, display: str, reviewers: list[str], reviewed: dt.date,
                    acknowledged: list[str] | None = None, *, note: str | None = None,
                    pins: Mapping[str, str] | None = None) -> bytes:
    """The article's bytes with the approval recorded; only the lines of the front matter's owned keys
    change. With a `note`, the approval is added to the article's `review_history` (the command always gives
    one). `pins` are the formatted references the approval covers (medsite.review.reference_pins)."""
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
    front = _load(yaml_text, display)
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
    spliced = _splice(yaml_lines, yaml_text, dumped.replace("\n", newline), dumped)
    return (bom + opening + spliced + closing + rest).encode("utf-8")


def _key_regions(text: str) -> tuple[int, dict[str, tuple[int, int]]]:
    """(line where the first key starts, each top-level key -> its lines [start, end)), from the key's own
    line up to the next key's: a comment or blank line between keys goes with the key above it."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    starts = [(key.value, key.start_mark.line) for key, _ in root.value]
    ends = [line for _, line in starts[1:]] + [text.count("\n")]
    return (starts[0][1] if starts else 0), {key: (start, end) for (key, start), end in zip(starts, ends,
                                                                                           strict=True)}


def _splice(original: list[str], original_text: str, dumped: str, dumped_text: str) -> str:
    """The original lines, with the lines of each owned key taken from the dump (new keys where the dump
    put them): every other byte of the front matter stays exactly as it was."""
    head, kept = _key_regions(original_text)
    _, written = _key_regions(dumped_text)
    new = io.StringIO(dumped, newline="").readlines()
    out = original[:head]
    for key, (start, end) in written.items():
        out += new[start:end] if key in OWNED or key not in kept else original[slice(*kept[key])]
    return "".join(out)


def _round_tripper(yaml_text: str) -> YAML:
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap a long title or answer
    try:
        _, sequence, offset = load_yaml_guess_indent(yaml_text)
    except YAMLError:
        sequence, offset = None, None
    rt.indent(mapping=2, sequence=sequence or 4, offset=offset if offset is not None else 2)
    return rt


def _load(yaml_text: str, display: str):
    try:
        front = _round_tripper(yaml_text).load(yaml_text)
    except (YAMLError, ValueError) as error:
        raise ProblemsError([Problem(display, 1, f"front matter is not valid YAML: {error}")]) from None
    if not isinstance(front, dict):
        raise ProblemsError(
            [Problem(display, 2, "front matter is not a mapping; expected keys such as `title: ...`")]
        )
    return front


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
            value = _flow_list(value) if isinstance(value, list) else value
            front.insert(_position(front, key), key, value)
        else:
            front[key] = value
    stream = io.StringIO()
    _round_tripper(yaml_text).dump(front, stream)
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
    entry = CommentedMap([("date", day), ("reviewers", _flow_list(list(newest.reviewers))),
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


def _flow_list(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


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


def replace_file(path: Path, data: bytes) -> None:
    """Write a complete temporary file beside `path`, then rename it over `path` (atomic on POSIX)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
