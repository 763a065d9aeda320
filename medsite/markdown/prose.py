"""Which lines of a Markdown source Markdown renders as prose, found line by line without rendering.

The build validates every page before it renders one, and `medsite check` must be fast, so several checks
read Markdown source: citations, links and anchors, raw HTML, and the lines behind flagged markup. They
share this one model of what is code, so they cannot disagree about it:
- fenced blocks are found as pymdownx.superfences finds them: ``` or ~~~ at any indentation, content at
  least as indented as the opener, closed by the same fence at the same indentation, never unclosed; and
  a fence in a block that opens with an indented code block (no blank line between) is text again, as
  superfences puts such a fence back as it was written;
- an indented code block starts a block (after a blank line) with 4 more spaces than its container's
  content: 4 at the top level, 8 inside a list item, admonition, details, tab or footnote;
- headings and reference and abbreviation definitions split a block: what follows them is a new block.
Raw HTML blocks are not modelled: their lines count as prose.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from markdown.blockprocessors import ReferenceProcessor
from markdown.extensions.abbr import AbbrBlockprocessor
from pymdownx.superfences import RE_NESTED_FENCE_START

from medsite.markdown.frontmatter import split

# The openers of blocks whose content is indented by four spaces: list items, admonitions, details, tabs
# (`=== "Title"`; a setext underline `===` is not one), footnotes and definitions.
_CONTAINER = re.compile(r'(?:[*+-]|\d+\.)[ ]+|(?:!!!|\?\?\?\+?)[ ]?\S|===[+!]*[ ]+"'
                        r"|\[\^[^\]]+\]:|:[ ]{1,3}\S")
_LIST_ITEM = re.compile(r"(?:[*+-]|\d+\.)[ ]+")
# Admonitions, details and tabs take an indented block only down to its first less indented line (their
# processors' detab); list items and definitions take such a line as a lazy continuation (looseDetab).
_DETABBED = re.compile(r'(?:!!!|\?\?\?\+?)[ ]?\S|===[+!]*[ ]+"')
_ITEM_MARKER = re.compile(r"(?:[*+-]|\d+\.)[ ]+|:[ ]{1,3}")  # list items and definitions
# Headings and block titles end the block before them.
_OPENS_BLOCK = re.compile(r'#|(?:!!!|\?\?\?\+?)[ ]?\S|===[+!]*[ ]+"')
_PREFIX = " \t>"  # what superfences counts as a fence's indentation (blockquote markers included)


def source_lines(source: str) -> tuple[list[str], list[str], int]:
    """The file's lines as written, the same with tabs expanded (what the block rules measure), and
    the number of front matter lines, which are never prose."""
    source = source.replace("\r\n", "\n")
    lines = source.split("\n")
    expanded = [line.expandtabs(4) if "\t" in line else line for line in lines]
    return lines, expanded, split(source)[2]


def fenced_lines(lines: list[str], start: int) -> list[bool]:
    """Which lines Markdown renders as fenced code."""
    return _walk(lines, start).fenced


def _fences(lines: list[str], start: int) -> list[bool]:
    """Which lines pymdownx.superfences takes as fenced code (its `search_nested`, blockquotes simplified),
    before an indented code block can give some back."""
    fenced = [False] * len(lines)
    opener = None
    for index in range(start, len(lines)):
        line = lines[index]
        if opener is None:
            if "```" in line or "~~~" in line:
                indent = len(line) - len(line.lstrip(_PREFIX))
                match = RE_NESTED_FENCE_START.match(line, indent)
                if match is not None and not match.group("unrecognized"):
                    opener, width, quoted = index, indent, ">" in line[:indent]
                    closing = re.compile(re.escape(match.group("fence")) + r"[ \t]*$")
            continue
        prefix = len(line[:width]) - len(line[:width].lstrip(_PREFIX))
        ws, content = line[:prefix], line[prefix:]
        if not (ws + content).strip():
            continue
        if len(ws) != width or (">" in ws and not quoted):
            opener = None  # not indented enough: superfences abandons the fence, its lines stay prose
        elif closing.match(content) and not content.startswith((" ", "\t")):
            fenced[opener:index + 1] = [True] * (index + 1 - opener)
            opener = None
    return fenced


def prose_units(lines: list[str], start: int) -> list[list[int]]:
    """Runs of lines that Markdown renders as one piece of prose (a paragraph, an item, a heading)."""
    return _walk(lines, start).units


class Walk(NamedTuple):
    """What one walk through a file's lines finds."""

    units: list[list[int]]  # the prose units (`prose_units`)
    fenced: list[bool]  # the lines of fenced code (`fenced_lines`)
    # The ATX heading lines: line index -> column of the first `#`. A `#` line is a heading only at the
    # content column of the page or of an open container (`  # x` at the top level is text; an unindented
    # `# x` right after an admonition's text ends the admonition), and right after a list or definition
    # marker (`- ## x` is an h2 in a list item).
    headings: dict[int, int]


def walk(lines: list[str], start: int) -> Walk:
    """Prose units, fenced lines and heading lines in one pass (expanded lines, as `source_lines` gives)."""
    return _walk(lines, start)


def _is_heading(line: str, base: int) -> bool:
    return line[base:].startswith("#")


def _is_abbreviation(line: str, base: int) -> bool:
    return line[base:base + 2] == "*[" and AbbrBlockprocessor.RE.match(line[base:]) is not None


def _is_reference(line: str, base: int) -> bool:
    return "[" in line[base:base + 4] and ReferenceProcessor.RE.match(line[base:]) is not None


# Lines that split a block, in the order Python-Markdown's block processors look for them (the one found
# first splits the block; each part is then a block of its own).
_SPLITTERS = (_is_heading, _is_abbreviation, _is_reference)


def _reverted(lines: list[str], block: list[int], base: int) -> list[int]:
    """The fences in `block` (its line indexes, one per fence) that superfences puts back as written: all
    of them in a block that opens with an indented code block (its `revert_greedy_fences`). A block is split
    part by part, not recursively: a glossary of a thousand definition lines is a thousand splits."""
    reverted, parts = [], [block]
    while parts:
        part = parts.pop()
        if not part:
            continue
        first = lines[part[0]]
        if len(first) - len(first.lstrip(" ")) >= base + 4:
            reverted += part
            continue
        for splits in _SPLITTERS:
            at = next((n for n, index in enumerate(part) if splits(lines[index], base)), None)
            if at is not None:
                parts += [part[:at], part[at + 1:]]
                break
    return reverted


def _block(lines: list[str], fenced: list[bool], index: int) -> list[int]:
    """The lines of the block that starts at `index`, up to a blank line; a fence counts as its first line."""
    block = []
    for line in range(index, len(lines)):
        if fenced[line] and line > index and fenced[line - 1]:
            continue
        if not lines[line].strip():
            break
        block.append(line)
    return block


def _walk(lines: list[str], start: int) -> Walk:
    """The prose units, and which lines are fenced code once superfences has put back as text the fences
    that landed in an indented code block's block."""
    fenced = _fences(lines, start)
    has_fences = any(fenced)
    units: list[list[int]] = []
    headings: dict[int, int] = {}
    containers: list[int] = []  # content indentation of each open list item, admonition, ...
    detabbed: list[bool] = []  # for each of them: whether a less indented line ends it (_DETABBED)
    block_start, in_code, new_unit = True, False, True
    new_block = True  # after a blank line: the start of one of the blocks Python-Markdown splits text into
    reverted: set[int] = set()  # the first lines of the fences superfences puts back as text
    reverted_until = -1  # the last line of the latest fence put back as text
    for index in range(start, len(lines)):
        if fenced[index] and index > start and fenced[index - 1]:
            continue  # superfences leaves one placeholder line for the whole fence
        line = lines[index]
        text = line.lstrip(" ")
        if not text:
            if index > reverted_until:  # the text put back from a fence is one block, blank lines and all
                block_start = new_unit = new_block = True
            continue
        indent = len(line) - len(text)
        if block_start:
            while containers and indent < containers[-1]:
                containers.pop(), detabbed.pop()
        elif containers and indent < containers[-1] and detabbed[-1]:
            # The rest of the block is a block of the container around (`    text\n# H` in an admonition
            # ends it with an h1), and an indented block after it is code, not the admonition's again.
            while containers and indent < containers[-1] and detabbed[-1]:
                containers.pop(), detabbed.pop()
            new_unit = True
        base = containers[-1] if containers else 0
        if new_block and has_fences:
            block = _block(lines, fenced, index)
            if any(fenced[member] for member in block):
                reverted.update(member for member in _reverted(lines, block, base) if fenced[member])
        new_block = False
        if index in reverted:  # now text: the walk goes through its lines
            reverted_until = index
            while reverted_until + 1 < len(lines) and fenced[reverted_until + 1]:
                reverted_until += 1
            fenced[index:reverted_until + 1] = [False] * (reverted_until + 1 - index)
        if (block_start or in_code) and indent >= base + 4:
            in_code, block_start, new_unit = True, False, True
            continue
        container = _CONTAINER.match(text)
        if container and _LIST_ITEM.match(text) and not (block_start or in_code or containers):
            container = None  # a list marker inside a paragraph is text (the other openers are not)
        if text.startswith("#") and (indent == 0 or indent in containers):
            headings[index] = indent
        elif container and (marker := _ITEM_MARKER.match(text)) and text[marker.end():].startswith("#"):
            headings[index] = indent + marker.end()
        definition = indent >= base and (_is_abbreviation(line, base) or _is_reference(line, base))
        if block_start or in_code or container or definition or text.startswith("#"):
            new_unit = True
        in_code, block_start = False, False
        if fenced[index]:
            new_unit = True
            continue
        if new_unit:
            units.append([])
            new_unit = False
        units[-1].append(index)
        if container:
            while containers and indent < containers[-1]:
                containers.pop(), detabbed.pop()
            containers.append((containers[-1] if containers else 0) + 4)
            detabbed.append(_DETABBED.match(text) is not None)
        if definition or _OPENS_BLOCK.match(text):
            block_start = new_unit = True
    return Walk(units, fenced, headings)


def prose_line_numbers(source: str) -> set[int]:
    """The 1-based numbers of the lines of a whole file (front matter included) that are prose."""
    _, expanded, front_matter = source_lines(source)
    return {index + 1 for unit in prose_units(expanded, front_matter) for index in unit}
