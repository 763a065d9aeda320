"""A Content-Security-Policy per page: the browser runs only the site's own files and the exact inline
scripts and styles the theme wrote, so anything injected into a page despite the sanitiser stays inert.

Material's base.html has inline scripts whose text depends on the page (`__md_scope` holds the path to the
site root), so the hashes are computed from each page's final HTML. No 'unsafe-inline' for scripts or
styles: content has no style attributes (the sanitiser drops them; tables use `align=`), and an inline
`<style>` element the theme writes (e.g. custom admonition icons) is allowed by its hash.
"""

from __future__ import annotations

import base64
import hashlib
import re
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


# One pass over the page, token by token as a browser's tokenizer sees them: comments, `<script>` and
# `<style>` with their raw text (which runs to the first `</script` or `</style>`), and every other start
# tag with its quoted attribute values, so `<script` inside a comment or an attribute is not a script.
# A regular expression, not html.parser: ten times faster, and this runs on every page of the site (the
# shared `<` prefix and the unrolled attribute loop keep the regular expression engine on its fast path).
_ATTRIBUTES = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
_TOKEN = re.compile(
    r"<(?:!--.*?(?:-->|\Z)"
    rf"|(?P<raw>script|style)(?P<raw_attributes>(?=[\s/>]){_ATTRIBUTES})>"
    r"(?P<text>.*?)(?:</(?P=raw)(?=[\s/>])[^>]*>|\Z)"
    rf"|(?P<tag>[a-z][^\s/>]*)(?P<attributes>{_ATTRIBUTES})>)",
    re.DOTALL | re.IGNORECASE,
)
_ATTRIBUTE_NAME = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")


@dataclass
class _InlineCode:
    """The text of every inline `<script>` and `<style>` element, and where `<meta charset>` ends."""

    scripts: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    charset_end: int | None = None


def _names(attributes: str) -> set[str]:
    return {name.lower() for name in _ATTRIBUTE_NAME.findall(attributes)}


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _sources(base: str, texts: list[str]) -> str:
    return " ".join([base, *sorted({_hash(text) for text in texts})])


def _parse(html: str) -> _InlineCode:
    found = _InlineCode()
    for token in _TOKEN.finditer(html):
        raw = token.group("raw")
        if raw is not None:
            if raw.lower() == "style":
                found.styles.append(token.group("text"))
            elif "src" not in _names(token.group("raw_attributes")):
                found.scripts.append(token.group("text"))
        elif (found.charset_end is None and (token.group("tag") or "").lower() == "meta"
              and "charset" in _names(token.group("attributes"))):
            found.charset_end = token.end()
    return found


def content_security_policy(html: str) -> str:
    """The policy for one page: the site's own files plus the hash of each inline script and style."""
    return _policy(_parse(html))


def _policy(found: _InlineCode) -> str:
    directives = {
        "default-src": _FIXED["default-src"],
        "script-src": _sources("'self'", found.scripts),
        "style-src": _sources("'self'", found.styles),
        **{name: value for name, value in _FIXED.items() if name != "default-src"},
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def with_policy(html: str, *, sanitized: str = "") -> str:
    """`html` with its policy in a `<meta http-equiv>` right after `<meta charset>` (or unchanged without
    one: a document without a head is not a page).

    `sanitized` is a part of the page that went through the sanitiser (the page content), so it holds no
    script or style: it is not scanned, which halves the work on an article. Leaving a part out can only
    leave a hash out, so a wrong `sanitized` blocks a script; it never allows one.
    """
    start = html.find(sanitized) if sanitized else -1
    found = _parse(html) if start < 0 else _parse(html[:start] + html[start + len(sanitized):])
    if found.charset_end is None or (start >= 0 and found.charset_end > start):
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{_policy(found)}">'
    return html[:found.charset_end] + meta + html[found.charset_end:]
