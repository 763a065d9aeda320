"""Contributed articles must not run code in a reader's browser.

Two independent layers: `check_markdown` tells an author, with file, line and column, which raw HTML in
their Markdown could run code (so the pull request fails with a useful message), and `sanitize_html`
strips whatever is not on an explicit allow-list from every rendered page, so nothing executable reaches
a reader even when the check is skipped, has a blind spot, or the page is not an article.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from pygments.token import STANDARD_TYPES

from medsite.core.problems import Problem, sort_key
from medsite.markdown.code_spans import code_spans
from medsite.markdown.prose import fenced_lines, source_lines
from medsite.model.project import Project
from medsite.model.sources import Source

# --- the source check ---------------------------------------------------------------------------------

EXECUTABLE_ELEMENTS = frozenset(
    {"script", "iframe", "object", "embed", "form", "base", "meta", "link", "style", "frame", "frameset",
     "applet"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "xlink:href", "action", "formaction", "poster", "background"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
EXECUTABLE_SCHEMES = frozenset({"javascript", "vbscript", "data"})

_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)  # as MkDocs reads it
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_URL_CONTROL = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.DOTALL)
_MARKDOWN_LINK = re.compile(r"\]\(\s*<?(?P<url>[^\s)>]+)")
# A reference definition `[label]: url`, found from its `]:` (a line-start pattern would make the regular
# expression engine try every position of the file), then checked back to the start of its line.
_REFERENCE_TARGET = re.compile(r"\]:[ \t]*<?(?P<url>[^\s>]+)")
_REFERENCE_LABEL = re.compile(r"[ \t]{0,3}\[[^\]\n]+\]")
_ATTR_LIST = re.compile(AttrListTreeprocessor.BASE_RE)


@dataclass(frozen=True)
class _Finding:
    offset: int  # where the tag, link or attribute list starts in the text
    message: str


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in an already entity-decoded URL (`JaVa\\tScript:` is javascript)."""
    cleaned = _URL_CONTROL.sub("", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                               "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                               "\x1e\x1f ")
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def _url_problem(url: str, where: str) -> str | None:
    scheme = url_scheme(url)
    if scheme is None or scheme in SAFE_SCHEMES:
        return None
    kind = "an executable" if scheme in EXECUTABLE_SCHEMES else "an unsupported"
    return (f"{kind} {scheme}: URL in {where}; expected an http, https or mailto URL or a relative link")


def _style_problem(style: str, where: str) -> str | None:
    """CSS can fetch (`url(`) or, in old browsers, run code (`expression(`); escapes and comments hide it."""
    decoded = _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2),
                              _CSS_COMMENT.sub("", style))
    compact = re.sub(r"\s+", "", decoded).lower()
    for needle in ("url(", "expression("):
        if needle in compact:
            return f"a style attribute with {needle}...) {where}; expected no style attributes (use classes)"
    return None


def _value_problem(name: str, value: str, where: str) -> str | None:
    if name == "style":
        return _style_problem(value, where)
    if name in URL_ATTRIBUTES:
        return _url_problem(value, f"{name}= {where}")
    return None


def _attribute_problems(where: str, attrs: list[tuple[str, str | None]]) -> Iterator[str]:
    for name, value in attrs:
        name = name.lower()
        if name.startswith("on"):
            yield f"an event-handler attribute {name}= {where}; expected no script in attributes"
        elif value and (problem := _value_problem(name, value, where)):
            yield problem


class _TagScanner(HTMLParser):
    """Collect every start tag's extent and what is dangerous about it."""

    def __init__(self, line_starts: list[int]) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = line_starts
        self.tags: list[tuple[int, int]] = []
        self.findings: list[_Finding] = []

    def set_cdata_mode(self, *args: object, **kwargs: object) -> None:
        """Keep parsing tags inside `<script>`/`<style>`: a code span may have opened them, not the page."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        start = self.line_starts[line - 1] + col
        self.tags.append((start, start + len(self.get_starttag_text() or "")))
        if tag in EXECUTABLE_ELEMENTS:
            self.findings.append(_Finding(start, f"a <{tag}> element in raw HTML; expected none of "
                                                 f"{', '.join(sorted(EXECUTABLE_ELEMENTS))} in an article"))
        self.findings.extend(_Finding(start, message)
                             for message in _attribute_problems(f"on <{tag}>", attrs))

    handle_startendtag = handle_starttag


def _blank(text: str, start: int, end: int) -> str:
    """Replace a region by spaces, keeping newlines so that lines and columns stay where they were."""
    blank = "\n".join(" " * len(line) for line in text[start:end].split("\n"))  # linear, unlike re.sub here
    return text[:start] + blank + text[end:]


def _without_front_matter_and_fences(text: str) -> str:
    """Blank the front matter and fenced code blocks (`medsite.markdown.prose`: an unclosed fence is no
    code)."""
    if match := _FRONT_MATTER.match(text):
        text = _blank(text, 0, match.end())
    if "```" not in text and "~~~" not in text:
        return text
    lines, expanded, _ = source_lines(text)
    fenced = fenced_lines(expanded, 0)
    return "\n".join(" " * len(line) if code else line for line, code in zip(lines, fenced, strict=True))


def _covers(ranges: list[tuple[int, int]], offset: int) -> bool:
    """Whether one of the sorted, non-overlapping `(start, end)` ranges holds `offset`."""
    index = bisect_right(ranges, (offset, float("inf"))) - 1
    return index >= 0 and offset < ranges[index][1]


def _code_spans(text: str, tags: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Code spans paragraph by paragraph, as Python-Markdown finds them; a backtick in a tag opens none."""
    spans: list[tuple[int, int]] = []
    block_start = 0
    for block_end in [m.start() for m in _BLANK_LINE.finditer(text)] + [len(text)]:
        found = code_spans(text[block_start:block_end],
                           can_open=lambda begin, at=block_start: not _covers(tags, at + begin))
        spans.extend((block_start + start, block_start + end) for start, end in found)
        block_start = block_end
    return spans


def _markdown_findings(text: str) -> Iterator[_Finding]:
    """Links, images, reference definitions and attribute lists written in Markdown rather than HTML."""
    links = [(match.start(), match.group("url")) for match in _MARKDOWN_LINK.finditer(text)]
    for match in _REFERENCE_TARGET.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if _REFERENCE_LABEL.fullmatch(text, line_start, match.start() + 1):
            links.append((line_start, match.group("url")))
    for offset, url in links:
        if message := _url_problem(html.unescape(url).replace("\\", ""), "a Markdown link or image"):
            yield _Finding(offset, message)
    for match in _ATTR_LIST.finditer(text):
        attrs, _ = get_attrs_and_remainder(match.group(1))
        for message in _attribute_problems("in a Markdown attribute list", list(attrs)):
            yield _Finding(match.start(), message)


def check_markdown(text: str, path: str) -> list[Problem]:
    """Problems for raw HTML and Markdown in an article that could run code; code is left alone.

    `text` is the whole file (front matter included) so that lines and columns are the file's own.
    Indented code blocks are not recognised as code (an admonition's body is indented too): show HTML
    in a fenced block or a code span instead.
    """
    scanned = _without_front_matter_and_fences(text)
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", scanned)]
    scanner = _TagScanner(line_starts)
    if "<" in scanned:  # most articles have no raw HTML at all: the tag scan is the costly part
        scanner.feed(scanned)
        scanner.close()
    findings = [*scanner.findings, *_markdown_findings(scanned)]
    if not findings:
        return []
    spans = _code_spans(scanned, scanner.tags)  # only to excuse findings that are code
    problems = set()
    for finding in findings:
        if _covers(spans, finding.offset):
            continue
        line = bisect_right(line_starts, finding.offset)
        col = finding.offset - line_starts[line - 1] + 1
        problems.add(Problem(path, line, f"found {finding.message}", col))
    return sorted(problems, key=sort_key)


def check_articles(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """`check_markdown` for every article among `sources`: the raw-HTML check of `medsite check`."""
    return [problem for source in sources if source.is_article and source.text is not None
            for problem in check_markdown(source.text, source.display)]


# --- the sanitiser ----------------------------------------------------------------------------------

CONTENT_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p", "pre", "q", "s", "samp",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var", "wbr", "svg", "path",
    "rect", "text",  # the editorial dashboard's bar chart (medsite.pages.dashboard)
})
CONTENT_ATTRIBUTES = {
    "*": {"id", "class", "title", "hidden", "lang", "dir", "role", "data-audience", "data-search-exclude"},
    "a": {"href", "data-grade"},  # data-grade: evidence badges (medsite.extensions.grades)
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "label": {"for"},
    "input": {"checked", "name"},  # pymdownx.tabbed: radio buttons that switch the tabs, no script
    "div": {"data-tabs"},
    "time": {"datetime"},
    "svg": {"viewBox", "width", "height", "xmlns", "fill"},  # inline icons (Material's emoji extension)
    "path": {"d", "fill"},
    "rect": {"x", "y", "width", "height"},
    "text": {"x", "y"},
}
RESTRICTED_VALUES = {"input": {"type": {"radio"}}}
ADMONITION_TYPES = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check",
    "done", "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing",
    "danger", "error", "bug", "example", "quote", "cite", "inline", "end",
    "safety", "pitfall",  # the project's callouts
})
CONTENT_CLASSES = ADMONITION_TYPES | frozenset({
    "admonition", "admonition-title",  # admonition
    "headerlink", "toc",  # toc
    "footnote", "footnote-ref", "footnote-backref",  # footnotes
    "tabbed-set", "tabbed-alternate", "tabbed-labels", "tabbed-content", "tabbed-block",  # pymdownx.tabbed
    "highlight", "highlighttable", "linenos", "linenodiv", "filename", "hll", "code",  # pymdownx.highlight
    "md-button", "md-button--primary", "grid", "cards", "card", "twemoji",  # Material for MkDocs
    "audience-block", "audience-block__label", "audience-pair", "evidence-badge",  # our Markdown extensions
    "medsite-cite", "medsite-references",  # citations (medsite.extensions.citations)
}) | frozenset(STANDARD_TYPES.values()) - {""}  # Pygments token classes
_CLASS_PATTERN = re.compile(r"language-[\w+-]+")
# Material and pymdownx own ids that start with "__" (`__config`, `__search`, `__tabbed_1_2`): content may
# only reuse the tabbed ones, or it could shadow the theme's elements (DOM clobbering).
_THEME_ID = re.compile(r"__")
_TABBED_ID = re.compile(r"__tabbed_\d+_\d+")
_TABBED_NAME = re.compile(r"__tabbed_\d+")


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        kept = [c for c in value.split() if c in CONTENT_CLASSES or _CLASS_PATTERN.fullmatch(c)]
        return " ".join(kept) or None
    if name in ("id", "for"):
        return None if _THEME_ID.match(value) and not _TABBED_ID.fullmatch(value) else value
    if tag == "input" and name == "name":
        return value if _TABBED_NAME.fullmatch(value) else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(CONTENT_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in CONTENT_ATTRIBUTES.items()},
    tag_attribute_values={tag: {a: set(v) for a, v in values.items()} for tag, values in
                          RESTRICTED_VALUES.items()},
    generic_attribute_prefixes={"aria-"},
    attribute_filter=_filter_attribute,
    url_schemes=set(SAFE_SCHEMES),
    link_rel=None,
    strip_comments=True,
)


def sanitize_html(content: str) -> str:
    """Page content with only allow-listed tags, attributes, classes and URL schemes left."""
    return _CLEANER.clean(content)
