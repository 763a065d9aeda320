"""Editing a front matter while keeping every byte it does not change: comments, quoting, key order and
the lines of the keys left alone. ruamel.yaml writes (it round-trips comments and style); PyYAML, which
MkDocs reads with, checks what was written.
"""

from __future__ import annotations

import io
from collections.abc import Collection

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from medsite.core.problems import Problem, ProblemsError


def key_regions(text: str) -> tuple[int, dict[str, tuple[int, int]]]:
    """(line where the first key starts, each top-level key -> its lines [start, end)), from the key's own
    line up to the next key's: a comment or blank line between keys goes with the key above it."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    starts = [(key.value, key.start_mark.line) for key, _ in root.value]
    ends = [line for _, line in starts[1:]] + [text.count("\n")]
    return (starts[0][1] if starts else 0), {key: (start, end) for (key, start), end in zip(starts, ends,
                                                                                           strict=True)}


def splice(original: list[str], original_text: str, dumped: str, dumped_text: str,
           owned: Collection[str]) -> str:
    """The original lines, with the lines of each `owned` key taken from the dump (new keys where the dump
    put them): every other byte of the front matter stays exactly as it was."""
    head, kept = key_regions(original_text)
    _, written = key_regions(dumped_text)
    new = io.StringIO(dumped, newline="").readlines()
    out = original[:head]
    for key, (start, end) in written.items():
        out += new[start:end] if key in owned or key not in kept else original[slice(*kept[key])]
    return "".join(out)


def round_tripper(yaml_text: str) -> YAML:
    """A ruamel.yaml round-tripper that writes as the text is written: its quotes, its list indentation,
    no re-wrapped lines."""
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap a long title or answer
    try:
        _, sequence, offset = load_yaml_guess_indent(yaml_text)
    except YAMLError:
        sequence, offset = None, None
    rt.indent(mapping=2, sequence=sequence or 4, offset=offset if offset is not None else 2)
    return rt


def load_for_edit(yaml_text: str, display: str):
    """The front matter as an editable mapping that remembers its comments and style."""
    try:
        front = round_tripper(yaml_text).load(yaml_text)
    except (YAMLError, ValueError) as error:
        raise ProblemsError([Problem(display, 1, f"front matter is not valid YAML: {error}")]) from None
    if not isinstance(front, dict):
        raise ProblemsError(
            [Problem(display, 2, "front matter is not a mapping; expected keys such as `title: ...`")]
        )
    return front


def flow_list(items: list[str]) -> CommentedSeq:
    """A list written on one line, `[a, b]`."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq
