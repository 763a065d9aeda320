"""Links, images, headings and anchor ids in Markdown source, with line and column, without rendering.

Rendering 1,000 articles through Python-Markdown takes seconds; `medsite check` must take less. So this
module reads the prose `medsite.markdown.prose` finds (code blocks left out), skips code spans
(Python-Markdown's own finder) and HTML comments, and only renders the few heading lines whose ids it needs,
through Python-Markdown's own toc extension, so anchors match the built site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from html.parser import HTMLParser

import markdown
from markdown.blockprocessors import HashHeaderProcessor
from markdown.extensions.toc import slugify, unique

from medsite.markdown.code_spans import code_spans
from medsite.markdown.prose import Walk, source_lines, walk

_HASH_HEADING = HashHeaderProcessor.RE
_SETEXT_UNDERLINE = re.compile(r"[ \t]*(?:=+|-+)[ \t]*")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TARGET = r"(?P<target><[^>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"
_INLINE_LINK = re.compile(
    r"(?<!\\)(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]"
    r"\(\s*" + _TARGET + r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)",
)
_REFERENCE_DEFINITION = re.compile(r"^[ \t]*\[(?!\^)[^\]\n]+\]:[ \t]*(?P<target><[^>\n]*>|\S+)", re.MULTILINE)
_AUTOLINK = re.compile(r"<(?P<target>(?:https?|ftp)://[^>\s]+)>")
_ATX_HEADING = re.compile(r"#{1,6}(?P<text>.*?)#*[ \t]*")
_MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!])")  # Python-Markdown's ESCAPED_CHARS
_PLAIN_TEXT = re.compile(r"(?:[^\W_]|[ .,:;?'\"()/%+-])+")  # no character that inline markup gives meaning
_ATTR_LIST = re.compile(r"\{:?([^}\n]*)\}")
_HTML_ID = re.compile(r"<[a-zA-Z][^>]*?\s(?:id|name)\s*=\s*[\"']([^\"']+)[\"']")
_SRC_VALUE = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    """One link or image target as written (angle brackets removed), at 1-based line and column.

    `raw` marks the `src` of an `<img>` written in HTML: MkDocs rewrites Markdown links relative to the
    source file, but leaves raw HTML alone, so the browser resolves it from the page's URL."""

    target: str
    line: int
    col: int
    image: bool = False
    raw: bool = False


@dataclass(frozen=True)
class Heading:
    """A Markdown heading (ATX `## Text` or setext), at 1-based line and column of its first character."""

    level: int
    text: str
    line: int
    col: int

    @property
    def markdown(self) -> str:
        """The heading as an ATX line, which is how the toc extension is given it to make its id (a space
        after a final backslash, as in the source, or Python-Markdown sees no heading: `## \\ `)."""
        space = " " if self.text.endswith("\\") else ""
        return f"{'#' * self.level} {self.text}{space}"


@dataclass(frozen=True)
class _Block:
    """Lines of prose between blank lines, with code spans and comments blanked out (columns kept)."""

    first_line: int
    text: str

    def position(self, offset: int) -> tuple[int, int]:
        line_start = self.text.rfind("\n", 0, offset) + 1
        return self.first_line + self.text.count("\n", 0, offset), offset - line_start + 1


class MarkdownScan:
    """What a link checker needs from one Markdown text; each part is computed on first use."""

    def __init__(self, text: str) -> None:
        self.lines, self._expanded, self._front_matter = source_lines(text)

    @cached_property
    def _walk(self) -> Walk:
        return walk(self._expanded, self._front_matter)

    @cached_property
    def _blocks(self) -> list[_Block]:
        """Each run of prose (`medsite.markdown.prose`: code blocks and front matter left out), code spans and
        comments blanked."""
        blocks: list[_Block] = []
        for unit in self._walk.units:
            text = "\n".join(self.lines[index] for index in unit)
            for start, end in list(code_spans(text)):
                text = text[:start] + _blank(text[start:end]) + text[end:]
            text = _COMMENT.sub(lambda match: _blank(match.group()), text)
            blocks.append(_Block(first_line=unit[0] + 1, text=text))
        return blocks

    @cached_property
    def links(self) -> list[Link]:
        """Inline links and images, reference definitions, autolinks and raw `<img src>`, in source order."""
        found: list[Link] = []
        for block in self._blocks:
            found += _inline_links(block, 0, len(block.text))
            for pattern in (_REFERENCE_DEFINITION, _AUTOLINK):
                for match in pattern.finditer(block.text):
                    found.append(_link(block, match, image=False))
            if "<" in block.text:
                found += _raw_images(block)
        return sorted(found, key=lambda link: (link.line, link.col))

    @cached_property
    def headings(self) -> list[Heading]:
        """Markdown headings in source order: `#` lines where `medsite.markdown.prose` finds them, and a
        block's first line over `===` or `---` (setext)."""
        found: list[Heading] = []
        commented = self._commented_lines if "<!--" in "".join(self.lines) else set()
        for block in self._blocks:
            # Heading text comes from the source lines: code spans are blanked out of `block.text`.
            first = block.first_line - 1
            block_lines = block.text.split("\n")
            for offset, blanked in enumerate(block_lines):
                index = first + offset
                line = self.lines[index]
                if index in self._walk.headings and "#" in blanked and index not in commented:
                    col = line.index("#")
                    # Python-Markdown's own pattern: `## \` (a lone backslash at the end) is no heading.
                    if atx := _HASH_HEADING.search(line[col:]):
                        found.append(Heading(len(atx["level"]), atx["header"].strip(), index + 1, col + 1))
                elif offset == 1 and first not in self._walk.headings and _SETEXT_UNDERLINE.fullmatch(line):
                    title = self.lines[first]
                    level = 1 if line.strip().startswith("=") else 2
                    col = len(title) - len(title.lstrip()) + 1
                    found.append(Heading(level, title.strip(), first + 1, col))
        return found

    @property
    def _commented_lines(self) -> set[int]:
        """Indexes of the lines inside an HTML comment that spans lines (the prose units split at a `#`
        line, so a comment around one is not blanked within a single block)."""
        text = "\n".join(self.lines)
        found: set[int] = set()
        for match in _COMMENT.finditer(text):
            first = text.count("\n", 0, match.start())
            found.update(range(first, first + match.group().count("\n") + 1))
        return found

    def anchor_ids(self, generated_h1: str | None = None) -> set[str]:
        """Every id a link may point at: heading ids as the toc extension makes them (after the Markdown
        `generated_h1` when the build adds one above the page), plus explicit attr_list and HTML ids."""
        headings = [generated_h1] if generated_h1 else []
        headings += [heading.markdown for heading in self.headings]
        explicit: set[str] = set()
        for block in self._blocks:
            for attributes in _ATTR_LIST.findall(block.text):
                explicit.update(token[1:] for token in attributes.split() if token.startswith("#"))
            explicit.update(_HTML_ID.findall(block.text))
        return explicit | _heading_ids(headings)


def _plain_heading_text(heading: str) -> str | None:
    """The text of an ATX heading as the toc extension sees it, or None if markup could change it."""
    match = _ATX_HEADING.fullmatch(heading)
    text = _MARKDOWN_ESCAPE.sub(r"\1", match["text"]).strip() if match else ""
    return text if text and _PLAIN_TEXT.fullmatch(text) else None


@cache
def _heading_renderer() -> markdown.Markdown:
    """One renderer for every page: building a Markdown instance costs more than rendering headings."""
    return markdown.Markdown(extensions=["toc", "attr_list"])


def _heading_ids(headings: list[str]) -> set[str]:
    """Ids of ATX heading lines, in order; plain-text headings skip the renderer (same result, 10x faster)."""
    texts = [_plain_heading_text(heading) for heading in headings]
    if all(texts):
        used: set[str] = set()
        return {unique(slugify(text, "-"), used) for text in texts}  # type: ignore[arg-type]
    renderer = _heading_renderer()
    renderer.reset().convert("\n\n".join(headings))
    ids: set[str] = set()
    tokens = list(renderer.toc_tokens)  # type: ignore[attr-defined]
    while tokens:
        token = tokens.pop()
        ids.add(token["id"])
        tokens += token["children"]
    return ids


def _blank(text: str) -> str:
    """Spaces for `text`, newlines kept, so offsets after it still map to lines and columns."""
    return re.sub(r"[^\n]", " ", text)


def _inline_links(block: _Block, start: int, end: int) -> Iterator[Link]:
    for match in _INLINE_LINK.finditer(block.text, start, end):
        yield _link(block, match, image=bool(match["bang"]))
        yield from _inline_links(block, match.start("text"), match.end("text"))  # an image inside a link


class _ImageTags(HTMLParser):
    """Start offsets (in the parsed text) and `src` values of the `<img>` tags of some raw HTML."""

    def __init__(self, line_starts: list[int]) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = line_starts
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "img":
            return
        line, col = self.getpos()
        start = self.line_starts[line - 1] + col
        value = _SRC_VALUE.search(self.get_starttag_text() or "")
        if value is not None:
            offset = next(value.start(group) for group in (1, 2, 3) if value.group(group) is not None)
            self.found.append((start + offset, dict(attrs).get("src") or ""))

    handle_startendtag = handle_starttag


def _raw_images(block: _Block) -> list[Link]:
    """The `src` of every `<img>` written as HTML in a block of prose (code spans are already blanked)."""
    scanner = _ImageTags([0] + [match.end() for match in re.finditer("\n", block.text)])
    scanner.feed(block.text)
    scanner.close()
    return [Link(target=src.strip(), line=line, col=col, image=True, raw=True)
            for offset, src in scanner.found for line, col in [block.position(offset)]]


def _link(block: _Block, match: re.Match[str], *, image: bool) -> Link:
    target = match["target"] or ""
    offset = match.start("target")
    if target.startswith("<") and target.endswith(">"):
        target, offset = target[1:-1], offset + 1
    line, col = block.position(offset)
    return Link(target=target, line=line, col=col, image=image)
