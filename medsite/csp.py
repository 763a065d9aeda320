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
from html.parser import HTMLParser

_FIXED = {
    "default-src": "'self'",
    "img-src": "'self' data:",  # Material's icons are data: SVGs in its stylesheet
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


class _InlineCode(HTMLParser):
    """The text of every inline `<script>` and `<style>` element, and where `<meta charset>` ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.charset_end: int | None = None
        self._open: list[str] | None = None
        self._line_starts: list[int] = [0]

    def feed_document(self, html: str) -> None:
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", html)]
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.scripts.append("")
            self._open = self.scripts
        elif tag == "style":
            self.styles.append("")
            self._open = self.styles
        elif tag == "meta" and "charset" in names and self.charset_end is None:
            line, col = self.getpos()
            self.charset_end = self._line_starts[line - 1] + col + len(self.get_starttag_text() or "")

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._open = None


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _sources(base: str, texts: list[str]) -> str:
    return " ".join([base, *sorted({_hash(text) for text in texts})])


def _parse(html: str) -> _InlineCode:
    parser = _InlineCode()
    parser.feed_document(html)
    return parser


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


def with_policy(html: str) -> str:
    """`html` with its policy in a `<meta http-equiv>` right after `<meta charset>` (or unchanged without
    one: a document without a head is not a page)."""
    found = _parse(html)
    if found.charset_end is None:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{_policy(found)}">'
    return html[:found.charset_end] + meta + html[found.charset_end:]
