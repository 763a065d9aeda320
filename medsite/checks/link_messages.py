"""MkDocs' own link and nav warnings, reworded as medsite problems: file, line and column, what was found
and what was expected. MkDocs names only the page (`Doc file 'index.md' contains a link 'x.md', but the
target is not found among documentation files.`); the line is found by scanning the page's source for the
link as written. A message this module does not know is kept, with the page's location in front.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from medsite.core.problems import Problem, Severity, display_path
from medsite.markdown.links import MarkdownScan

_DOC = r"Doc file '(?P<page>.+?)' contains "
_DID_YOU_MEAN = r"(?: Did you mean '(?P<hint>.+)'\?)?"


@dataclass(frozen=True)
class Site:
    """What rewording needs: the docs folder, the project root (paths in problems are relative to it),
    the config file, whether the build is strict (then a warning fails it, so it is an error), and the
    text of a page by its docs path (in a build, the build context's single read of it)."""

    docs_dir: Path
    root: Path
    config_file: Path
    strict: bool
    page: Callable[[str], str]

    @property
    def severity(self) -> Severity:
        """A strict build fails on a warning, so there it is an error."""
        return "error" if self.strict else "warning"

    @property
    def docs(self) -> str:
        """The docs folder as problems name it."""
        return display_path(self.docs_dir, self.root)


def _expected_hint(match: re.Match[str], default: str) -> str:
    return f"expected '{match['hint']}'" if match["hint"] else f"expected {default}"


def _not_found(match: re.Match[str], site: Site) -> str:
    target = match["target"] or match["link"].split("#")[0].lstrip("/")
    return (f"found link '{match['link']}', but {site.docs}/{target} does not exist; "
            + _expected_hint(match, f"a path to a page or file in {site.docs}/, relative to this page"))


def _no_anchor_here(match: re.Match[str], site: Site) -> str:
    anchor = match["link"].partition("#")[2]
    footnote = " (a footnote that is never referenced?)" if anchor.startswith("fnref:") else ""
    return (f"found link '{match['link']}', but this page has no heading or id '{anchor}'{footnote}; "
            "expected the id of one of this page's headings")


def _no_anchor_there(match: re.Match[str], site: Site) -> str:
    return (f"found link '{match['link']}', but {site.docs}/{match['doc']} has no heading or id "
            f"'{match['anchor']}'; expected the id of one of that page's headings")


def _unrecognized(match: re.Match[str], site: Site) -> str:
    return (f"found link '{match['link']}', which names no file (a folder, or a name without extension); "
            + _expected_hint(match, "a link to a .md file, e.g. 'folder/index.md'"))


def _absolute(match: re.Match[str], site: Site) -> str:
    return (f"found link '{match['link']}', an absolute path that MkDocs leaves as it is; expected a path "
            "relative to this page")


def _excluded(match: re.Match[str], site: Site) -> str:
    return (f"found a link to '{match['target']}', which is excluded from the built site; expected a link "
            "to a published page")


_PAGE_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str], Site], str]]] = [
    (re.compile(_DOC + r"a link '(?P<link>.*)', but the target(?: '(?P<target>.+?)')? is not found among "
                r"documentation files\." + _DID_YOU_MEAN, re.DOTALL), _not_found),
    (re.compile(_DOC + r"a link '(?P<link>.*)', but there is no such anchor on this page\.", re.DOTALL),
     _no_anchor_here),
    (re.compile(_DOC + r"a link '(?P<link>.*)', but the doc '(?P<doc>.+?)' does not contain an anchor "
                r"'#(?P<anchor>.*)'\.", re.DOTALL), _no_anchor_there),
    (re.compile(_DOC + r"an unrecognized relative link '(?P<link>.*)', it was left as is\." + _DID_YOU_MEAN,
                re.DOTALL), _unrecognized),
    (re.compile(_DOC + r"an absolute link '(?P<link>.*)', it was left as is\.", re.DOTALL), _absolute),
    (re.compile(_DOC + r"a link to '(?P<target>.*)' which is excluded from the built site\.", re.DOTALL),
     _excluded),
]
_ANY_PAGE_MESSAGE = re.compile(_DOC + r".*?'(?P<link>.+?)'", re.DOTALL)
_OMITTED = re.compile(r'The following pages exist in the docs directory, but are not included in the "nav" '
                      r"configuration:\n(?P<pages>(?:  - .+\n?)+)$")
_NAV_NOT_FOUND = re.compile(r"A reference to '(?P<target>.+)' is included in the 'nav' configuration, which "
                            r"is not found in the documentation files\.")


def reword(message: str, site: Site) -> str | None:
    """The message in medsite's format (one line per problem), or None when it is not about a link."""
    for pattern, describe in _PAGE_MESSAGES:
        if match := pattern.fullmatch(message):
            return str(_at_link(match, describe(match, site), site))
    if match := _ANY_PAGE_MESSAGE.match(message):
        return str(_at_link(match, message, site))
    if match := _OMITTED.fullmatch(message):
        return "\n".join(
            str(Problem(f"{site.docs}/{page}", None, "found a page that the nav of mkdocs.yml does not list; "
                        f"expected it under `nav:` in mkdocs.yml, or an article in {site.docs}/articles/, "
                        "which the topic pages list", severity=site.severity))
            for page in re.findall(r"  - (.+)", match["pages"]))
    if match := _NAV_NOT_FOUND.fullmatch(message):
        line, col = _position(_read(site.config_file), match["target"]) or (None, None)
        target = match["target"]
        return str(Problem(display_path(site.config_file, site.root), line, f"found '{target}' in the nav, "
                           f"but {site.docs}/{target} does not exist; expected a page in {site.docs}/", col,
                           site.severity))
    return None


def _at_link(match: re.Match[str], message: str, site: Site) -> Problem:
    source = site.docs_dir / match["page"]
    link = match.groupdict().get("link")
    line, col = (_link_position(_page(site, match["page"]), link) if link else None) or (None, None)
    return Problem(display_path(source, site.root), line, message, col, site.severity)


def _page(site: Site, src_uri: str) -> str:
    try:
        return site.page(src_uri)
    except (OSError, UnicodeDecodeError):
        return ""


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return ""


def _link_position(text: str, link: str) -> tuple[int, int] | None:
    """Where the page's source writes `link`: a link of the scan (code left out), else the first place
    the text holds it (a link written in raw HTML, or one the scan reads differently)."""
    for found in MarkdownScan(text).links:
        if found.target == link:
            return found.line, found.col
    return _position(text, link)


def _position(text: str, needle: str) -> tuple[int, int] | None:
    offset = text.find(needle)
    if offset < 0:
        return None
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1
