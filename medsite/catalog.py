"""Every article of a docs folder, read and checked at once, with every problem found.

Duplicate URLs can only be seen across all files, and a build must fail before it writes any page, so the
whole folder is checked in one pass. Parsed files are cached by (mtime, size) and whole catalogs by the
state of every file, so the build hooks and `medsite check` share the work and `mkdocs serve` re-reads only
what changed. Last-updated dates come from one `git log` for the whole folder (medsite.git_dates), not one
process per file; under CI=true, dates that git cannot give are errors of the catalog.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from medsite.article import ARTICLES_DIR, Article, Reading, is_article_path, read_article
from medsite.citations import scan
from medsite.frontmatter import parse
from medsite.git_dates import History, ci_date_problems, git_dates, in_repository
from medsite.problems import Problem, ProblemsError, display_path, sort_key
from medsite.project import DEFAULT_BIBLIOGRAPHY
from medsite.published import PAGE_SUFFIX, docs_files
from medsite.registry import Registry, load_registry
from medsite.review import ReviewState, overdue_notices, people_problems, review_problems, review_state
from medsite.source_verify import retracted_keys

if TYPE_CHECKING:
    from medsite.project import Project
    from medsite.settings import Settings
    from medsite.sources import Source


Stat = tuple[int, int]
_files: dict[Path, tuple[Stat, Reading]] = {}
_catalogs: dict[tuple, Catalog] = {}
_latest: dict[tuple, Catalog] = {}


@dataclass
class Catalog:
    root: Path
    docs_dir: Path
    today: dt.date
    registry: Registry
    articles: dict[str, Article]  # by src_uri, e.g. "articles/a.md"
    problems: list[Problem]  # errors fail any build; warnings fail strict builds
    notices: list[Problem]  # overdue reviews: shown on the page and logged, never a failure
    _updated: dict[str, dt.date] | None = field(default=None, repr=False)  # last_updated, once per catalog
    retracted: frozenset[str] = frozenset()  # bibliography keys known retracted (`medsite refs verify`)
    _cited: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)  # keys each article cites

    def display(self, src_uri: str) -> str:
        """A file of the docs folder (generated pages included) as problems name it."""
        return f"{display_path(self.docs_dir, self.root)}/{src_uri}"

    def article(self, src_uri: str) -> Article | None:
        return self.articles.get(src_uri)

    def state(self, article: Article) -> ReviewState:
        return review_state(article, self.today, self.retracted_citations(article))

    def retracted_citations(self, article: Article) -> frozenset[str]:
        """The retracted sources the article cites (its file is read only when some source is retracted)."""
        if not self.retracted:
            return frozenset()
        cited = self._cited.get(article.src_uri)
        if cited is None:
            try:
                text = (self.docs_dir / article.src_uri).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
            except (OSError, UnicodeDecodeError):
                text = ""
            cited = self._cited[article.src_uri] = frozenset(scan(text).keys)
        return cited & self.retracted

    def last_updated(self, article: Article) -> dt.date:
        """Front matter `updated`, else the file's last commit date, else the file's modification date
        (worked out for every article at the first question: the banner, JSON-LD and the lists all ask)."""
        if article.updated is not None:
            return article.updated
        if self._updated is None:
            self._date_undated(git_dates(self.docs_dir / ARTICLES_DIR, set(self.articles)))
        assert self._updated is not None
        return self._updated[article.src_uri]

    def _date_undated(self, history: History) -> None:
        self._updated = {uri: history.dates.get(uri) or _modified(self.docs_dir / uri)
                         for uri, undated in self.articles.items() if undated.updated is None}

    def require_git_dates(self) -> list[Problem]:
        """Under CI=true: date every undated article from git now, and say why git could not (see
        medsite.git_dates). A project outside any git repository keeps file times."""
        undated = {uri: article.path for uri, article in self.articles.items() if article.updated is None}
        folder = self.docs_dir / ARTICLES_DIR
        if not undated or not in_repository(folder):
            return []
        history = git_dates(folder, set(undated))
        self._date_undated(history)
        return ci_date_problems(folder, self.display(ARTICLES_DIR), history, undated)


def load_catalog(docs_dir: Path, root: Path, settings: Settings, pages: Iterable[str] | None = None, *,
                 bibliography: Path | None = None) -> Catalog:
    """Read and check every article under `docs_dir/articles` (re-reading only changed files), with the
    registry and the date of `settings`.

    `pages` are the docs-relative paths of the pages the build publishes (MkDocs' own list, in a build);
    without them the docs folder is walked as MkDocs walks it (medsite.published), so both see the same
    articles. `bibliography` is the folder of .bib files (for the sources known to be retracted).
    """
    docs_dir, root = _resolved(docs_dir), _resolved(root)
    registry_path = root / settings.registry
    today = settings.today()
    files = [docs_dir / src_uri for src_uri in sorted(docs_files(docs_dir) if pages is None else pages)
             if is_article_path(src_uri) and src_uri.endswith(PAGE_SUFFIX)]
    in_ci = os.environ.get("CI") == "true"
    key = (docs_dir, registry_path, today, in_ci, _stat(registry_path), tuple((p, _stat(p)) for p in files))
    catalog = _catalogs.get(key)
    if catalog is None:
        _catalogs.clear()  # one live catalog per process is enough; keeps `mkdocs serve` from growing
        catalog = _catalogs[key] = _build(docs_dir, root, registry_path, today, files)
        if in_ci:
            catalog.problems = sorted([*catalog.problems, *catalog.require_git_dates()], key=sort_key)
    catalog.retracted = retracted_keys(root, bibliography or root / DEFAULT_BIBLIOGRAPHY)
    _latest[(docs_dir, registry_path, today)] = catalog
    return catalog


def cached_catalog(docs_dir: Path, root: Path, settings: Settings) -> Catalog:
    """The catalog `load_catalog` last returned for these arguments, without looking at the files again.

    For per-page build hooks: `hooks/articles.py` reloads in `on_files` at the start of every build.
    """
    docs_dir, root = _resolved(docs_dir), _resolved(root)
    latest = _latest.get((docs_dir, root / settings.registry, settings.today()))
    return latest or load_catalog(docs_dir, root, settings)


def check_articles(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """For `medsite check`: problems about the given sources (and the registry), then overdue notices.

    Whatever would fail a strict build is an error here, so CI fails on it (e.g. changed since review, or
    under CI=true dates git cannot give); overdue reviews stay warnings (`medsite overdue` lists them).
    """
    catalog = load_catalog(project.docs_dir, project.root, project.settings,
                           bibliography=project.bibliography_dir)
    wanted = {source.display for source in sources} | {catalog.registry.path, catalog.display(ARTICLES_DIR)}
    return [
        *(dataclasses.replace(p, severity="error") for p in catalog.problems if p.path in wanted),
        *(p for p in catalog.notices if p.path in wanted),
    ]


def slug(src_uri: str) -> str:
    """The URL path an article gets, compared ignoring case: `articles/A.md`, `articles/a.markdown`
    and `articles/a/index.md` all become `articles/a`, which on a case-insensitive host is one page."""
    stem = src_uri.rsplit(".", 1)[0]
    if stem.endswith(("/index", "/README")):
        stem = stem.rsplit("/", 1)[0]
    return stem.casefold()


def _build(docs_dir: Path, root: Path, registry_path: Path, today: dt.date, files: list[Path]) -> Catalog:
    registry, problems = load_registry(registry_path, display_path(registry_path, root))
    articles: dict[str, Article] = {}
    notices: list[Problem] = []
    seen: dict[str, str] = {}
    for path in files:
        src_uri = path.relative_to(docs_dir).as_posix()
        display = display_path(path, root)
        reading = _read(path, display, src_uri)
        problems.extend(reading.problems)
        problems.extend(people_problems(reading, registry))
        first = seen.setdefault(slug(src_uri), display)
        if first != display:
            problems.append(
                Problem(
                    display,
                    None,
                    f"duplicate article: {first} and {display} both publish "
                    f"`{slug(src_uri)}/` (file names are compared ignoring case and "
                    "extension); expected a unique file name",
                )
            )
        if (article := reading.article) is not None:
            articles[src_uri] = article
            problems.extend(review_problems(article, today))
            notices.extend(overdue_notices(article, today))
    problems.sort(key=sort_key)
    return Catalog(root, docs_dir, today, registry, articles, problems, notices)


def _read(path: Path, display: str, src_uri: str) -> Reading:
    stat = _stat(path)
    cached = _files.get(path)
    if cached is not None and cached[0] == stat:
        return cached[1]
    try:
        source = path.read_text(encoding="utf-8-sig")  # universal newlines, as MkDocs reads pages
        result = read_article(parse(source, display), display, src_uri)
    except UnicodeDecodeError as error:
        result = Reading(
            display,
            None,
            [
                Problem(
                    display,
                    None,
                    f"not UTF-8 text ({error.reason} at byte {error.start}); expected a UTF-8 Markdown file",
                )
            ],
            {},
            {},
        )
    except ProblemsError as error:
        result = Reading(display, None, list(error.problems), {}, {})
    _files[path] = (stat, result)
    return result


def _resolved(folder: Path) -> Path:
    """`folder.resolve()`, remembered: per-page hooks look the catalog up on every page, and resolving
    costs a system call per folder in the path."""
    return _resolve(folder, os.getcwd())  # a relative folder depends on the working directory


@cache
def _resolve(folder: Path, cwd: str) -> Path:
    return (Path(cwd) / folder).resolve()


def _stat(path: Path) -> Stat:
    try:
        info = path.stat()
    except OSError:
        return (0, -1)
    return (info.st_mtime_ns, info.st_size)


def _modified(path: Path) -> dt.date:
    return dt.date.fromtimestamp(path.stat().st_mtime)
