"""Bounds on contributed input, checked before anything parses it for real.

A few hundred bytes of YAML can expand into billions of nodes through aliases (`&a [*b, *b, ...]`), and a
list nested a thousand deep overflows the recursion of any tree walk; a .bib file can be arbitrarily large
or nested. Each limit is far above what a real article or bibliography needs, and going past one is a
problem with the file and line, found in a single streaming pass: no tree is built, nothing is expanded.
"""

from __future__ import annotations

import re

import yaml

from medsite.core.problems import Problem

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_FRONT_MATTER_CHARS = 64 * 1024  # a real article's front matter is under 2 KiB
MAX_DATA_FILE_CHARS = 4 * 1024 * 1024  # data/people.yml, data/synonyms.yml: thousands of entries
MAX_YAML_DEPTH = 10  # levels of nested lists and mappings (the schemas use at most 3)
MAX_BIB_BYTES = 16 * 1024 * 1024  # about 30,000 entries
MAX_BIB_BRACE_DEPTH = 32  # {…{…}…} inside one entry
_BRACE = re.compile(rb"(?<!\\)[{}]")  # a brace not escaped as `\{`


def yaml_limit_problems(text: str, path: str, *, first_line: int, what: str,
                        max_chars: int = MAX_FRONT_MATTER_CHARS) -> list[Problem]:
    """The first limit a YAML text goes past, or none: its size, its nesting, and the number of values and
    characters it holds once every alias is expanded (so that no later walk, `repr()` or hash of the
    values can blow up).

    Streams libyaml's events, so the cost is linear in the text whatever it would expand to. A text that is
    not YAML passes: the parser that reads it next reports that with its line.
    """
    if len(text) > max_chars:
        return [Problem(path, first_line, f"{what} is {len(text):,} characters long; expected at most "
                                          f"{max_chars:,}")]
    max_values = max_chars // 4  # written out, a value takes at least `- x\n`
    expanded: dict[str, tuple[int, int]] = {}  # anchor -> (values, characters) it stands for
    stack: list[list] = []  # open collections: [anchor, values, characters]
    total = [0, 0]
    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1, 0])
                if len(stack) > MAX_YAML_DEPTH:
                    return [_too_deep(path, event.start_mark.line + first_line, what)]
                size = (1, 0)
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, values, characters = stack.pop()
                if anchor is not None:
                    expanded[anchor] = (values, characters)
                if stack:
                    stack[-1][1] += values
                    stack[-1][2] += characters
                continue
            elif isinstance(event, yaml.AliasEvent):
                size = expanded.get(event.anchor, (1, 0))
            elif isinstance(event, yaml.ScalarEvent):
                size = (1, len(event.value))
                if event.anchor is not None:
                    expanded[event.anchor] = size
            else:
                continue
            if stack and not isinstance(event, yaml.CollectionStartEvent):
                stack[-1][1] += size[0]
                stack[-1][2] += size[1]
            total[0] += size[0]
            total[1] += size[1]
            if total[0] > max_values or total[1] > max_chars:
                return [Problem(path, event.start_mark.line + first_line, f"{what} holds more than "
                                f"{max_values:,} values or {max_chars:,} characters once its aliases "
                                "(*name) are expanded; expected plain values without repeated aliases")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if "nesting depth" in str(getattr(error, "problem", "")) and mark is not None:
            return [_too_deep(path, mark.line + first_line, what)]  # libyaml stops at 1,000 flow levels
        return []
    return []


def _too_deep(path: str, line: int, what: str) -> Problem:
    return Problem(path, line, f"{what} nests lists or mappings more than {MAX_YAML_DEPTH} deep; expected "
                               "plain values and short lists")


def bib_limit_problems(raw: bytes, display: str) -> list[Problem]:
    """A .bib file too large, or with braces nested too deep, before bibtexparser and pylatexenc read it."""
    if len(raw) > MAX_BIB_BYTES:
        return [Problem(display, 1, f"the file is {len(raw):,} bytes; expected at most {MAX_BIB_BYTES:,} "
                                    "(split the bibliography into several .bib files)")]
    depth = 0
    for brace in _BRACE.finditer(raw):
        depth = max(depth + (1 if brace.group() == b"{" else -1), 0)  # a stray `}` is bibtexparser's
        if depth > MAX_BIB_BRACE_DEPTH:
            line = raw.count(b"\n", 0, brace.start()) + 1
            return [Problem(display, line, f"braces nested more than {MAX_BIB_BRACE_DEPTH} deep; expected "
                                           "{…} a few levels deep at most")]
    return []
