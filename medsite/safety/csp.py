"""A Content-Security-Policy per page: the browser runs only the site's own files and the inline scripts
and styles the templates wrote, so anything injected into a page despite the sanitiser stays inert.

The inline code allowed is an allow-list computed from the templates themselves (ours and Material's), never
from the pages: a script or style found in a page is hashed only if some template holds exactly that text.
Material's inline scripts depend on the page's depth (`__md_scope` holds the path to the site root), so the
hook renders each template snippet once per `base_url` the build uses (`allowed_inline_code`); the list is
finite and known before any page is written. An inline script or style in a page that no template wrote is
reported (the build fails), and never allowed. No 'unsafe-inline' for scripts or styles: content has no
style attributes (the sanitiser drops them; tables use `align=`). JSON data blocks (`__config`, JSON-LD) are
not run by browsers, so they need no hash.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

_FIXED = {
    "default-src": "'self'",
    "img-src": "'self' data:",  # Material's icons are data: SVGs in its stylesheet
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


# One pass over the page, token by token as a browser's tokenizer (the HTML standard's) sees them: comments
# (ended by `-->` or `--!>`, or at once by `<!-->` and `<!--->`), bogus comments (`<!`, `</` not followed by
# a letter, `<?`: up to the first `>`; `<![CDATA[` too, which only SVG and MathML read as running to `]]>`:
# that reading is scanned as well), the elements whose content is raw text (`<script>` and `<style>`, whose
# text is the inline code, and `<xmp>`, `<textarea>`, `<title>`, `<noscript>`, `<iframe>`, `<noembed>`,
# `<noframes>`: their text runs to their own end tag), and every other start or end tag with its attributes,
# a quote opening a value only right after `=`, so `<script` inside a comment or an attribute is not a
# script. Whitespace is HTML's (a no-break space is part of a tag name, not a separator).
# A regular expression, not html.parser: ten times faster, and this runs on every page of the site (the
# shared `<` prefix and the possessive attribute loop keep the regular expression engine on its fast path).
_SPACE = r"[\t\n\f\r ]"
_NAME = r"[a-z][^\t\n\f\r />]*+"
# An attribute's name may begin with `=`; an unclosed quoted value runs to the end of the page (a browser
# reads the rest as the value), so the tag then matches no token here and its inside is scanned: reported,
# never hidden.
_VALUE = r"""(?>"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|(?!["'])[^\t\n\f\r >]*+)"""
_ATTRIBUTES = rf"(?:{_SPACE}++|/|[^\t\n\f\r />][^\t\n\f\r />=]*+(?:{_SPACE}*+={_SPACE}*+{_VALUE})?)*+"
_RAW_TEXT = "script|style|xmp|textarea|title|noscript|iframe|noembed|noframes"
_TOKEN = re.compile(
    r"<(?:!--(?:-?>|.*?(?:--!?>|(?P<comment_open>\Z)))"
    r"|(?P<declaration>(?:!(?!--)|/(?![a-z>])|\?)[^>]*+>)"
    rf"|(?P<raw>{_RAW_TEXT})(?=[\t\n\f\r />])(?P<raw_attributes>{_ATTRIBUTES})>"
    rf"(?P<text>.*?)(?:(?P<raw_end></(?P=raw)(?=[\t\n\f\r />]){_ATTRIBUTES}>)|\Z)"
    rf"|/{_NAME}{_ATTRIBUTES}>"
    rf"|(?P<tag>{_NAME})(?P<attributes>{_ATTRIBUTES})>)",
    re.DOTALL | re.IGNORECASE,
)
# A `<` that may open a token with what follows it (a letter, `!`, `/`, `?`), or with what may follow.
_OPENER = re.compile(r"<[a-z!/?]", re.IGNORECASE)
_END_OPENER = re.compile(r"<(?:[a-z!/?]|\Z)", re.IGNORECASE)
# Text in which the tokenizer finds no token that matters here and that it leaves where it entered, written
# strictly (anything else is simply scanned): text, `<` followed by what opens no token (`< 5`), end tags
# without attributes, and start tags with double-quoted values only, other than the elements that hold code
# or raw text or that change how what follows is read (`<svg>`, `<math>`, `<plaintext>`).
_INERT = re.compile(
    r"(?:[^<]++|<(?=[^a-z!/?])|</[a-z][a-z0-9-]*+>"
    rf"|<(?!(?:{_RAW_TEXT}|meta|svg|math|plaintext)(?=[\t\n\f\r />]))[a-z][a-z0-9-]*+"
    r"""(?:[\t\n\f\r ]++[a-z_:][a-z0-9_:.-]*+(?:="[^"]*+")?)*+[\t\n\f\r ]*+/?>)*+""",
    re.DOTALL | re.IGNORECASE,
)
_ATTRIBUTE = re.compile(r"""([^\t\n\f\r />][^\t\n\f\r />=]*)"""
                        r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*)))?""")
# Script types browsers never run (data blocks); any other type counts as a script.
DATA_BLOCK_TYPES = frozenset({"application/json", "application/ld+json"})


@dataclass(frozen=True)
class InlineCode:
    """Texts of inline scripts and styles: found in a page, or allowed by the templates."""

    scripts: frozenset[str] = frozenset()
    styles: frozenset[str] = frozenset()


@dataclass
class _Found:
    """The text of every inline `<script>` (data blocks aside) and `<style>`, and where `<meta charset>`
    ends."""

    scripts: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    charset_end: int | None = None
    # (asked with `settle`) the text could be read otherwise in a longer page: see _parse
    open_end: bool = False


def _attributes(attributes: str) -> dict[str, str]:
    return {match[0].lower(): "".join(match[1:]) for match in _ATTRIBUTE.findall(attributes)}


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _sources(base: str, texts: list[str]) -> str:
    return " ".join([base, *sorted({_hash(text) for text in texts})])


def _is_external_or_data(attributes: dict[str, str]) -> bool:
    """A script element whose text is not run: it loads a file, or it is a data block."""
    return "src" in attributes or attributes.get("type", "").strip().lower() in DATA_BLOCK_TYPES


def _parse(html: str, *, settle: bool = False) -> _Found:
    """The page's inline code and where `<meta charset>` ends; with `settle`, also whether the text could be
    read otherwise in a longer page (`open_end`): a token runs to its end unfinished (a comment or script
    not closed), or a `<` that no token took may open one with what follows (`<a title="x` ...)."""
    found = _Found()
    end, closed, also = 0, True, []
    for token in _TOKEN.finditer(html):
        if settle and _OPENER.search(html, end, token.start()) is not None:
            found.open_end = True
        end, closed = token.end(), token.group("comment_open") is None
        raw = token.group("raw")
        if raw is not None:
            closed = token.group("raw_end") is not None
            if raw.lower() == "style":
                found.styles.append(token.group("text"))
            elif raw.lower() == "script" and not _is_external_or_data(
                    _attributes(token.group("raw_attributes"))):
                found.scripts.append(token.group("text"))
            elif "<" in token.group("text"):  # inside <svg> or <math>, a data block, `<textarea>` and the
                also.append(token.group("text"))  # like are not raw text: what they hold is read as tags
        elif (declaration := token.group("declaration")) is not None:
            if declaration.startswith("![CDATA[") and (cdata_end := html.find("]]>", token.start())) >= 0:
                also.append(html[cdata_end + 3:])  # read as SVG and MathML read it, to `]]>`
        elif (found.charset_end is None and (tag := token.group("tag")) is not None and tag.lower() == "meta"
              and "charset" in _attributes(token.group("attributes"))):
            found.charset_end = token.end()
    for text in also:  # the other reading may hold other code
        other = _parse(text)
        found.scripts += [script for script in other.scripts if script not in found.scripts]
        found.styles += [style for style in other.styles if style not in found.styles]
    if settle and (not closed or _END_OPENER.search(html, end) is not None):
        found.open_end = True
    return found


def inert(html: str) -> bool:
    """Whether `html` holds no inline script, style or `<meta>` and leaves the tokenizer as it found it,
    between two tokens: every `<` in it opens no token, or a complete tag. Placed between two tokens of a
    page, such text neither adds to the page's inline code nor changes how the rest is read, so the page's
    check may leave it out (`with_policy`'s `inert`)."""
    return _INERT.fullmatch(html) is not None


def template_snippets(sources: Iterable[str]) -> InlineCode:
    """The text of every inline script and style element in template sources, Jinja expressions included
    (a template's own `<script src>` and data blocks aside)."""
    scripts: set[str] = set()
    styles: set[str] = set()
    for source in sources:
        found = _parse(source)
        scripts.update(found.scripts)
        styles.update(found.styles)
    return InlineCode(frozenset(scripts), frozenset(styles))


def allowed_inline_code(snippets: InlineCode, render: Callable[[str], str | None]) -> InlineCode:
    """The template snippets as one page shows them: `render` fills in a snippet's Jinja for that page
    (None when it cannot be rendered on its own: such a snippet is not allowed)."""
    def rendered(texts: frozenset[str]) -> frozenset[str]:
        return frozenset(text for text in (render(snippet) for snippet in texts) if text is not None)

    return InlineCode(rendered(snippets.scripts), rendered(snippets.styles))


@dataclass
class TemplateAllowList:
    """One build's allow-list: the templates' snippets, and what they render to at each page depth,
    worked out once per `base_url`. `render(snippet, base_url)` fills in a snippet's Jinja, or None."""

    snippets: InlineCode
    render: Callable[[str, str], str | None]
    by_base_url: dict[str, InlineCode] = field(default_factory=dict)

    def allowed(self, base_url: str) -> InlineCode:
        """The inline code a page at `base_url` may hold."""
        if base_url not in self.by_base_url:
            self.by_base_url[base_url] = allowed_inline_code(
                self.snippets, lambda snippet: self.render(snippet, base_url))
        return self.by_base_url[base_url]


def content_security_policy(html: str, allowed: InlineCode) -> str:
    """The policy for one page: the site's own files plus the hash of each inline script and style of the
    page that the templates wrote (`allowed`)."""
    found = _parse(html)
    return _policy([text for text in found.scripts if text in allowed.scripts],
                   [text for text in found.styles if text in allowed.styles])


def _policy(scripts: list[str], styles: list[str]) -> str:
    directives = {
        "default-src": _FIXED["default-src"],
        "script-src": _sources("'self'", scripts),
        "style-src": _sources("'self'", styles),
        **{name: value for name, value in _FIXED.items() if name != "default-src"},
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def with_policy(html: str, allowed: InlineCode, *, sanitized: str = "",
                inert: Iterable[str] = ()) -> tuple[str, list[str]]:
    """`html` with its policy in a `<meta http-equiv>` right after `<meta charset>` (or unchanged without
    one: a document without a head is not a page), and the inline scripts and styles of the page that no
    template wrote (never allowed; the caller reports them).

    `sanitized` is a part of the page that went through the sanitiser (the page content), so it holds no
    script or style: it is not scanned, which halves the work on an article. `inert` are parts of the page
    known to pass `inert` (the pieces of the long generated pages, each checked once: medsite.pipeline.
    fragments): each is not scanned either where the text before it ends between two tokens, which is
    checked here, so the result is the whole page's scan. Only allowed code is hashed, so a wrong
    `sanitized` or `inert` can never allow a script.
    """
    start = _find(html, sanitized, 0) if sanitized else -1
    found = _parse_around(html, inert, (start, start + len(sanitized)) if start >= 0 else None)
    if start >= 0 and (found.charset_end is None or found.charset_end > start):
        # The part was found before the head ends, where the content is not (a short part such as the
        # "\n" of an article whose body was only a comment): the page is scanned whole instead.
        found = _parse_around(html, inert)
    unexpected = [text for text in found.scripts if text not in allowed.scripts]
    unexpected += [text for text in found.styles if text not in allowed.styles]
    if found.charset_end is None:
        return html, unexpected
    policy = _policy([text for text in found.scripts if text in allowed.scripts],
                     [text for text in found.styles if text in allowed.styles])
    meta = _META.format(policy=policy)
    return html[:found.charset_end] + meta + html[found.charset_end:], unexpected


def _parse_around(html: str, inert: Iterable[str], removed: tuple[int, int] | None = None) -> _Found:
    """`_parse` of `html` without its `removed` range (start, end), leaving out too the `inert` parts found
    in it (each once, the first found after the part before it, outside the removed range), as long as the
    text before each range left out ends between two tokens; else the whole scan of `html` without the
    removed range. Positions found (`charset_end`) are `html`'s. Nothing is copied but the parts scanned:
    the long generated pages are megabytes."""
    skipped, position = [removed] if removed else [], 0
    for part in inert:
        start = _find(html, part, position) if part else -1
        if start >= 0:
            end = start + len(part)
            if removed is None or end <= removed[0] or start >= removed[1]:
                skipped.append((start, end))
            position = end
    if not skipped:
        return _parse(html)
    found, position = _Found(), 0
    for start, end in [*sorted(skipped), (len(html), len(html))]:
        scanned = _parse(html[position:start], settle=start < len(html))
        if scanned.open_end:
            return _parse_without(html, removed)
        found.scripts += scanned.scripts
        found.styles += scanned.styles
        if found.charset_end is None and scanned.charset_end is not None:
            found.charset_end = position + scanned.charset_end
        position = end
    return found


def _parse_without(html: str, removed: tuple[int, int] | None) -> _Found:
    """`_parse` of `html` without its `removed` range, `charset_end` as a position of `html`."""
    if removed is None:
        return _parse(html)
    start, end = removed
    found = _parse(html[:start] + html[end:])
    if found.charset_end is not None and found.charset_end > start:
        found.charset_end += end - start
    return found


def _find(html: str, part: str, position: int) -> int:
    """`html.find(part, position)`, quicker for a part of megabytes (a generated page's list): its first
    characters are looked for, then the whole part compared there."""
    if len(part) < 4096:
        return html.find(part, position)
    head = part[:256]
    at = html.find(head, position)
    while at >= 0 and not html.startswith(part, at):
        at = html.find(head, at + 1)
    return at


_META = '<meta http-equiv="Content-Security-Policy" content="{policy}">'
_SCRIPT_SRC = re.compile(r'(<meta http-equiv="Content-Security-Policy" content="[^"]*?script-src [^;"]*)')


def allowing_added_scripts(before: str, after: str) -> str:
    """`after`, a built page (`before`) into which a development tool inserted inline scripts (the live
    reload of `mkdocs serve`), with its policy allowing those inserted scripts as well. Only scripts
    `after` holds and `before` does not are hashed; the policy the build wrote is otherwise kept as it is,
    so the preview refuses exactly what the published page refuses."""
    added = set(_parse(after).scripts) - set(_parse(before).scripts)
    hashes = " ".join(sorted(_hash(text) for text in added))
    if not hashes:
        return after
    return _SCRIPT_SRC.sub(lambda match: f"{match[1]} {hashes}", after, count=1)
