"""Pages outside docs/articles/: the maintainers' site pages, and nothing else.

Every Markdown page is an article (under articles/, with the article schema, the review rules and the
caution) unless a maintainer listed it under `extra.medsite.site_pages` in mkdocs.yml, which only a
maintainer may change (.github/CODEOWNERS). A page anywhere else is an error naming the file: left alone it
would publish text with no schema check and no caution. A site page's front matter is checked too, against a
small schema of its own: no `template` (it would swap the page's layout), nothing Material prints unescaped
other than the title and description, which the build escapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from medsite.core.problems import Problem, ProblemsError
from medsite.markdown.frontmatter import FrontMatter, multimarkdown_meta, parse
from medsite.model.article import ARTICLES_DIR, MAX_DESCRIPTION, MAX_TITLE, SCHEMA, is_article_path
from medsite.model.registry import did_you_mean

if TYPE_CHECKING:
    from medsite.model.settings import Settings

SETTING = "site_pages"  # extra.medsite.site_pages: docs-relative paths of the maintainers' pages
HIDE = ("navigation", "toc", "footer", "path", "tags", "feedback")  # what Material's `hide` understands
SITE_SCHEMA = {
    "title": f"the page title, as text of at most {MAX_TITLE} characters",
    "description": f"a one-line summary, as text of at most {MAX_DESCRIPTION} characters",
    "hide": f"a list of parts of the layout to hide: {', '.join(HIDE)}",
    "search": "`exclude: true` to keep the page out of search",
}
ESCAPED_KEYS = ("title", "description")  # Material prints these into <title>, <meta> and the header


def non_article_problems(pages: Iterable[tuple[str, str, Callable[[], str]]], settings: Settings, *,
                         parse: Callable[[str, str], FrontMatter] = parse) -> list[Problem]:
    """For the pages outside articles/, given as (docs-relative path, path as problems name it, a function
    reading the source): a problem for each page a maintainer has not listed, and the front-matter
    problems of the listed ones. `parse(text, path)` reads front matter (in a build, the build's one parse
    of each page)."""
    listed = settings.site_pages
    problems = []
    for src_uri, path, read in pages:
        if is_article_path(src_uri):
            continue
        if src_uri in listed:
            problems += site_page_problems(read(), path, parse=parse)
        else:
            problems.append(Problem(path, 1, f"a page outside {ARTICLES_DIR}/ that is not one of the "
                                    "maintainers' site pages; expected an article under "
                                    f"docs/{ARTICLES_DIR}/ (with the article front matter), or the page "
                                    f"listed under extra.medsite.{SETTING} in mkdocs.yml by a maintainer"))
    return problems


def site_page_problems(source: str, path: str, *,
                       parse: Callable[[str, str], FrontMatter] = parse) -> list[Problem]:
    """A site page's front matter (as MkDocs will read it) against its schema: every key known and every
    value of its shape."""
    front = _front_matter(source, path, parse)
    problems = list(front.problems)
    for key, value in (front.data or {}).items():
        line = front.lines.get(key, 1)
        if key not in SITE_SCHEMA:
            hint = (" (article keys belong in articles, under docs/articles/)" if key in SCHEMA
                    else did_you_mean(key, list(SITE_SCHEMA)))
            problems.append(Problem(path, line, f"unknown key `{key}` in a site page{hint}; expected one of "
                                    f"{', '.join(SITE_SCHEMA)} (layout keys such as `template` are not "
                                    "allowed)"))
        elif (error := _value_error(key, value)) is not None:
            problems.append(Problem(path, line, f"`{key}` is not valid; expected {error}"))
    return problems


def _front_matter(source: str, path: str, parse: Callable[[str, str], FrontMatter]) -> FrontMatter:
    """The YAML block, or else the MultiMarkdown-style `key: value` lines MkDocs falls back to."""
    try:
        front = parse(source, path)
    except ProblemsError as error:
        return FrontMatter(data={}, problems=tuple(error.problems))
    if front.data is not None:
        return front
    data, lines = multimarkdown_meta(source)
    return FrontMatter(data=dict(data), lines=dict(lines))


def _value_error(key: str, value: object) -> str | None:
    if key in ("title", "description"):
        limit = MAX_TITLE if key == "title" else MAX_DESCRIPTION
        ok = isinstance(value, str) and value.strip() and len(value) <= limit
    elif key == "hide":
        ok = isinstance(value, list) and all(item in HIDE for item in value)
    else:  # search
        ok = isinstance(value, dict) and set(value) <= {"exclude"} and isinstance(value.get("exclude"), bool)
    return None if ok else SITE_SCHEMA[key]
