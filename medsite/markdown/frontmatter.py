"""Split a Markdown source into YAML front matter and body exactly as MkDocs does, keeping key lines.

MkDocs finds page metadata with `mkdocs.utils.meta.YAML_RE` and reads it with PyYAML's SafeLoader. Using
the same pattern and the same loader means the checks judge exactly the values the site renders (YAML 1.1
booleans, dates, last-key-wins duplicates that we report instead). Composing the node tree first gives
every key its line; libyaml composes ~25x faster than ruamel's round-trip loader, which matters at
thousands of articles. (`medsite approve` writes with ruamel, which keeps comments.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from medsite.core.input_limits import (
    MAX_FRONT_MATTER_CHARS,
    nesting_problem,
    node_limit_problems,
    yaml_size_problems,
)
from medsite.core.problems import Problem, ProblemsError

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

# Same patterns as mkdocs.utils.meta (MkDocs 1.6).
YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
NODE_KINDS = {yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list", yaml.ScalarNode: "a single value"}


class RawDate(str):
    """A value YAML reads as a date but that is none (`2025-13-45`), kept as its text for the date checks to
    explain; PyYAML itself, and so MkDocs, cannot read a block holding one."""

    __slots__ = ()


@dataclass(frozen=True)
class FrontMatter:
    """Top-level front-matter values with the file line of each key, and the body MkDocs renders."""

    data: dict[Any, Any] | None  # None when the source has no front-matter block at all
    lines: dict[Any, int] = field(default_factory=dict)  # 1-based file line of each top-level key
    body: str = ""
    problems: tuple[Problem, ...] = ()
    body_line: int = 1  # the file line the body starts on
    raw_dates: tuple[Any, ...] = ()  # keys of dates PyYAML cannot construct, kept as text for the checks


def split(source: str) -> tuple[str | None, str, int]:
    """Return (YAML text or None, body, number of lines the front-matter block spans).

    The body has leading blank lines removed, as MkDocs does before rendering.
    """
    match = YAML_RE.match(source)
    if match is None:
        return None, source, 0
    return match.group(1), source[match.end() :].lstrip("\n"), match.group(0).count("\n")


def parse(source: str, path: str) -> FrontMatter:
    """Read the front matter of a source (universal newlines, as MkDocs reads it).

    Raises ProblemsError when the block is not YAML or not a mapping; problems with single values
    (a value that cannot be constructed, a duplicate key) come back in `problems`.
    """
    text, body, _ = split(source)
    if text is None:
        return FrontMatter(data=None, body=body)
    data, lines, problems = read_mapping(text, path, first_line=2, what="front matter")
    body_line = source.count("\n", 0, len(source) - len(body)) + 1  # the body is the source's tail
    return FrontMatter(data=data, lines=lines, body=body, problems=tuple(problems), body_line=body_line,
                       raw_dates=tuple(key for key, value in data.items() if isinstance(value, RawDate)))


def constructed_whole(front: FrontMatter) -> bool:
    """Whether `front.data` is the mapping PyYAML itself reads from the block (no duplicate key, no date
    kept as text), so an engine may take it instead of parsing the YAML again (hooks/context.py)."""
    return front.data is not None and not front.problems and not front.raw_dates


def multimarkdown_meta(source: str) -> tuple[dict[str, str], dict[str, int]]:
    """The `key: value` lines MkDocs reads as page metadata when a page has no YAML block (its
    MultiMarkdown fallback, `mkdocs.utils.meta.get_data`), with the line of each key. A page starting with
    `template: base.html` and a blank line sets its template that way, so the checks must see it too."""
    data: dict[str, str] = {}
    lines: dict[str, int] = {}
    if YAML_RE.match(source):
        return data, lines
    key = None
    for number, line in enumerate(source.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if not line.strip():
            break
        if match := META_RE.match(line):
            key = match.group("key").lower().strip()
            value = match.group("value").strip()
            data[key] = f"{data[key]} {value}" if key in data else value
            lines.setdefault(key, number)
        elif key and (more := META_MORE_RE.match(line)):
            data[key] += " " + more.group("value").strip()
        else:
            break
    return data, lines


def read_mapping(text: str, path: str, *, first_line: int, what: str,
                 max_chars: int = MAX_FRONT_MATTER_CHARS) -> tuple[dict, dict, list[Problem]]:
    """Read a YAML mapping: (values, file line of each top-level key, problems with single values).

    `first_line` is the file line of the text's first line. Raises ProblemsError if the text is not YAML,
    not a mapping, or past a limit of `medsite.core.input_limits` (size, nesting, aliases).
    """
    if too_much := yaml_size_problems(text, path, first_line=first_line, what=what, max_chars=max_chars):
        raise ProblemsError(too_much)
    loader = SafeLoader(text)
    try:
        root = _compose(loader, path, first_line, what)
        if too_much := node_limit_problems(root, path, first_line=first_line, what=what, max_chars=max_chars):
            raise ProblemsError(too_much)
        if not isinstance(root, yaml.MappingNode):
            found = "empty" if root is None else NODE_KINDS.get(type(root), "not a mapping")
            line = first_line if root is None else root.start_mark.line + first_line
            raise ProblemsError(
                [Problem(path, line, f"{what} is {found}; expected a mapping of keys such as `name: value`")]
            )
        return _read_mapping(loader, root, path, first_line, what)
    finally:
        loader.dispose()


def _compose(loader: SafeLoader, path: str, first_line: int, what: str) -> yaml.Node | None:
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        if (too_deep := nesting_problem(error, path, first_line=first_line, what=what)) is not None:
            raise ProblemsError([too_deep]) from None
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else first_line
        problem = " ".join(str(part) for part in (error.context, error.problem) if part) or str(error)
        raise ProblemsError([Problem(path, line, f"{what} is not valid YAML: {problem}")]) from None
    except (yaml.YAMLError, RecursionError) as error:
        raise ProblemsError([Problem(path, first_line, f"{what} is not valid YAML: {error}")]) from None


def _read_mapping(
    loader: SafeLoader, root: yaml.MappingNode, path: str, first_line: int, what: str
) -> tuple[dict, dict, list[Problem]]:
    problems: list[Problem] = []
    try:
        loader.flatten_mapping(root)  # resolve `<<:` merge keys as PyYAML would
    except yaml.YAMLError as error:
        raise ProblemsError([Problem(path, first_line, f"{what} is not valid YAML: {error}")]) from None
    data: dict[Any, Any] = {}
    lines: dict[Any, int] = {}
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + first_line
        try:
            key = loader.construct_object(key_node, deep=True)
            hash(key)
        except (yaml.YAMLError, ValueError, TypeError, RecursionError):
            problems.append(
                Problem(
                    path,
                    line,
                    f"key `{_snippet(key_node)}` is not a plain name; expected a key such as `title`",
                )
            )
            continue
        if key in lines:
            problems.append(
                Problem(
                    path,
                    line,
                    f"key `{key}` appears twice (lines {lines[key]} and {line}); expected each key once",
                )
            )
            continue
        lines[key] = line
        try:
            data[key] = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as error:
            if value_node.tag == TIMESTAMP_TAG and isinstance(value_node, yaml.ScalarNode):
                data[key] = RawDate(value_node.value)  # e.g. 2025-13-45: the date check explains it
            else:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"cannot read the value of `{key}` ({error}); "
                        "expected plain YAML text, a list or a date",
                    )
                )
    return data, lines, problems


def _snippet(node: yaml.Node) -> str:
    value = node.value if isinstance(node, yaml.ScalarNode) else NODE_KINDS.get(type(node), "?")
    return str(value)[:40]
