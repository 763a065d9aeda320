"""Bounds on contributed input, checked before anything constructs it.

A few hundred bytes of YAML can expand into billions of values through aliases (`&a [*b, *b, ...]`), and a
list nested a thousand deep overflows the recursion of any tree walk; a .bib file can be arbitrarily large
or nested. Each limit is far above what a real article or bibliography needs, and going past one is a
problem with the file and line, found before any value is constructed: YAML is checked on libyaml's node
tree, where an alias is the node it names (nothing is expanded), .bib files on their bytes.
"""

from __future__ import annotations

import re

import yaml

from medsite.core.problems import Problem

MAX_FRONT_MATTER_CHARS = 64 * 1024  # a real article's front matter is under 2 KiB
MAX_DATA_FILE_CHARS = 4 * 1024 * 1024  # data/people.yml, data/synonyms.yml: thousands of entries
MAX_YAML_DEPTH = 10  # levels of nested lists and mappings (the schemas use at most 3)
MAX_BIB_BYTES = 16 * 1024 * 1024  # about 30,000 entries
MAX_BIB_BRACE_DEPTH = 32  # {…{…}…} inside one entry
_BRACE = re.compile(rb"(?<!\\)[{}]")  # a brace not escaped as `\{`


def yaml_size_problems(text: str, path: str, *, first_line: int, what: str,
                       max_chars: int = MAX_FRONT_MATTER_CHARS) -> list[Problem]:
    """A YAML text longer than `max_chars`, before libyaml reads it."""
    if len(text) > max_chars:
        return [Problem(path, first_line, f"{what} is {len(text):,} characters long; expected at most "
                                          f"{max_chars:,}")]
    return []


def node_limit_problems(root: yaml.Node | None, path: str, *, first_line: int, what: str,
                        max_chars: int = MAX_FRONT_MATTER_CHARS) -> list[Problem]:
    """The first limit a composed YAML text goes past, or none: its nesting, and the number of values and
    characters it holds once every alias is expanded (so that constructing it, and any later walk, `repr()`
    or hash of the values, cannot blow up).

    libyaml composes an alias as the very node its anchor names, so the tree is as large as the text; each
    node is visited once and counted by what it expands to, so the cost is linear in the text whatever it
    would expand to. A node that contains itself counts once there.
    """
    max_values = max_chars // 4  # written out, a value takes at least `- x\n`
    sizes: dict[int, tuple[int, int, int]] = {}  # id(node) -> (values, characters, depth) once expanded
    stack: list[tuple[yaml.Node, bool]] = [(root, False)] if root is not None else []
    while stack:
        node, children_done = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = (1, len(node.value), 0)
            continue
        children = [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) \
            else list(node.value)
        if not children_done:
            if id(node) in sizes:
                continue  # an alias of a node counted already, or being counted (it contains itself)
            sizes[id(node)] = (1, 0, 0)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        counted = [sizes[id(child)] for child in children]
        values = 1 + sum(size[0] for size in counted)
        characters = sum(size[1] for size in counted)
        depth = 1 + max((size[2] for size in counted), default=0)
        sizes[id(node)] = (values, characters, depth)
        line = node.start_mark.line + first_line
        if depth > MAX_YAML_DEPTH:
            return [_too_deep(path, line, what)]
        if values > max_values or characters > max_chars:
            return [Problem(path, line, f"{what} holds more than {max_values:,} values or {max_chars:,} "
                                        "characters once its aliases (*name) are expanded; expected plain "
                                        "values without repeated aliases")]
    return []


def nesting_problem(error: yaml.YAMLError, path: str, *, first_line: int, what: str) -> Problem | None:
    """libyaml stops reading at 1,000 levels of flow nesting: the limit's own problem, not a YAML error."""
    mark = getattr(error, "problem_mark", None)
    if "nesting depth" in str(getattr(error, "problem", "")) and mark is not None:
        return _too_deep(path, mark.line + first_line, what)
    return None


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
