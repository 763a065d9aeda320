"""Every article of a docs folder, read and checked at once, with every problem found.

Duplicate URLs can only be seen across all files, and a build must fail before it writes any page, so the
whole folder is checked in one pass. In a build, each article's text is the one MkDocs read (the build
context reads every page once); `medsite check` reads the files itself. A `CatalogCache` (the build's one
lives in medsite.pipeline.context.BuildCaches) keeps parsed articles by their text and the latest catalog by
the state of every input, so `mkdocs serve` parses again only what changed. Last-updated dates come from
one `git log` for the whole folder (medsite.model.git_dates), not one process per file; under CI=true, dates
that git cannot give are errors of the catalog.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from medsite.bibliography.load import load_bibliography
from medsite.core.file_state import FileState, file_state
from medsite.core.problems import Problem, ProblemsError, display_path, sort_key
from medsite.markdown.frontmatter import FrontMatter, parse
from medsite.model.article import ARTICLES_DIR, Article, Reading, is_article_path, read_article
from medsite.model.git_dates import (
    History,
    ci_date_problems,
    git_dates,
    head_commit,
    head_files,
    in_repository,
)
from medsite.model.project import DEFAULT_BIBLIOGRAPHY
from medsite.model.published import PAGE_SUFFIX, docs_files
from medsite.model.registry import Registry, load_registry, registry_at
from medsite.model.sources import page_text
from medsite.refs.verify import NoticeMemo, retracted_keys
from medsite.review.rules import (
    ReviewState,
    new_approver_problems,
    overdue_notices,
    people_problems,
    reference_pins,
    review_problems,
    review_state,
)

if TYPE_CHECKING:
    from medsite.citations.bib_model import Bibliography
    from medsite.model.project import Project
    from medsite.model.settings import Settings
    from medsite.model.sources import Source


T = TypeVar("T")

# an article's reading with what checking it alone found: its own problems and those of its people, its
# review problems, its notices
_Checked = tuple[Reading, list[Problem], list[Problem], list[Problem]]


@dataclass
class GitMemo:
    """git's dates of a catalog's articles, and what they were asked for: (folder, HEAD commit, articles)."""

    key: tuple = ()
    history: History | None = None


@dataclass
class Catalog:
    """Every article of the site with its review state, and every problem found in them."""

    root: Path
    docs_dir: Path
    today: dt.date
    registry: Registry
    articles: dict[str, Article]  # by src_uri, e.g. "articles/a.md"
    problems: list[Problem]  # errors fail any build; warnings fail strict builds
    notices: list[Problem]  # overdue reviews: shown on the page and logged, never a failure
    pins: dict[str, str]  # citation key -> formatted entry, as the approval pins it (medsite.review.rules)
    _updated: dict[str, dt.date] | None = field(default=None, repr=False)  # last_updated, once per catalog
    # each file's state, as the catalog read it
    _stats: dict[str, FileState | None] = field(default_factory=dict, repr=False)
    retracted: frozenset[str] = frozenset()  # bibliography keys known retracted (`medsite refs verify`)
    # review states by src_uri: (the article, the retracted keys then, its state); see `state`
    _states: dict[str, tuple[Article, frozenset[str], ReviewState]] = field(default_factory=dict, repr=False)
    head: str | None = None  # the commit git's HEAD named as the catalog was made (dates depend on it)
    # values worked out from every article's state (see `derived`): name -> (retracted keys then, value)
    _derived: dict[str, tuple[frozenset[str], object]] = field(default_factory=dict, repr=False)
    _git: GitMemo = field(default_factory=GitMemo, repr=False)  # git's dates, shared (CatalogCache)

    def display(self, src_uri: str) -> str:
        """A file of the docs folder (generated pages included) as problems name it."""
        return f"{display_path(self.docs_dir, self.root)}/{src_uri}"

    def article(self, src_uri: str) -> Article | None:
        """The article published from `src_uri`, or None for any other page."""
        return self.articles.get(src_uri)

    def state(self, article: Article) -> ReviewState:
        """Where the article stands in review today (approved, changed since review, overdue, citing a
        retracted source...). Worked out once per article: the lists, the dashboard, What's new and the
        banner all ask, and an approved article's state hashes its whole text. A remembered state is used
        only for the same article object and the same retracted sources: what else it depends on (today,
        the registry, the pins) is fixed for a catalog, and `CatalogCache` shares the memo only between
        catalogs made from the same registry file, date and pins."""
        known = self._states.get(article.src_uri)
        if known is not None and known[0] is article and known[1] == self.retracted:
            return known[2]
        state = review_state(article, self.today, self.retracted_citations(article), registry=self.registry,
                             pins=self.pins)
        self._states[article.src_uri] = (article, self.retracted, state)
        return state

    def derived(self, name: str, compute: Callable[[], T]) -> T:
        """`compute()`, a value worked out from the articles and their states (What's new's approvals, asked
        by the feed, the page and the dashboard), once per catalog and retracted sources."""
        known = self._derived.get(name)
        if known is None or known[0] != self.retracted:
            known = self._derived[name] = (self.retracted, compute())
        return known[1]  # type: ignore[return-value]

    def state_basis(self) -> tuple[object, frozenset[str]]:
        """What the review state of an article object depends on besides the article: while two catalogs
        give the same basis (the same shared memo, so the same registry file, date and pins, and the same
        retracted sources; compare the first with `is`), an article object has the same state in both."""
        return self._states, self.retracted

    def retracted_citations(self, article: Article) -> frozenset[str]:
        """The retracted sources the article cites."""
        return frozenset(article.cited) & self.retracted

    def last_updated(self, article: Article) -> dt.date:
        """Front matter `updated`, else the file's last commit date, else the file's modification date
        (worked out for every article at the first question: the banner, JSON-LD and the lists all ask)."""
        if article.updated is not None:
            return article.updated
        return self._undated()[article.src_uri]

    def dates(self) -> dict[str, dt.date]:
        """Every article's last-updated date, by src_uri."""
        undated = self._undated()
        return {uri: article.updated if article.updated is not None else undated[uri]
                for uri, article in self.articles.items()}

    def _undated(self) -> dict[str, dt.date]:
        if self._updated is None:
            self._date_undated(self._history())
        assert self._updated is not None
        return self._updated

    def _history(self) -> History:
        """`git log`'s dates of the articles, asked once while HEAD names the same commit (`mkdocs serve`
        rebuilds the catalog after every edit; a long history takes a while to read)."""
        folder = self.docs_dir / ARTICLES_DIR
        key = (folder, self.head, frozenset(self.articles))
        if self._git.history is not None and self._git.key == key:
            return self._git.history
        history = git_dates(folder, set(self.articles))
        # In a repository whose HEAD git did not name (no commit yet, git refusing it): asked every time.
        if self.head is not None or not in_repository(folder):
            self._git.key, self._git.history = key, history
        return history

    def _date_undated(self, history: History) -> None:
        self._updated = {uri: history.dates.get(uri) or _modified(self.docs_dir, uri, self._stats.get(uri))
                         for uri, undated in self.articles.items() if undated.updated is None}

    def require_git_dates(self) -> list[Problem]:
        """Under CI=true: date every undated article from git now, and say why git could not (see
        medsite.model.git_dates). A project outside any git repository keeps file times."""
        undated = {uri: article.path for uri, article in self.articles.items() if article.updated is None}
        folder = self.docs_dir / ARTICLES_DIR
        if not undated or not in_repository(folder):
            return []
        history = self._history()
        self._date_undated(history)
        return ci_date_problems(folder, self.display(ARTICLES_DIR), history, undated)


def redated(before: Catalog, after: Catalog) -> set[str]:
    """The articles of `after` whose last-updated date is not the one `before` gave them, new ones included:
    their pages show it ("Updated", JSON-LD dateModified). An undated article's date comes from git, so it
    changes with no file changing (a commit, an amend, a checkout, made while `mkdocs serve` runs)."""
    if before is after:
        return set()
    if before._updated is None and any(article.updated is None for article in before.articles.values()):
        return set(after.articles)  # `before` never dated them: what its pages show is not known here
    old, new = before.dates(), after.dates()
    return {uri for uri, date in new.items() if old.get(uri) != date}


def date_sources(docs_dir: Path) -> list[Path]:
    """The files besides the articles whose change may change their last-updated dates: git's HEAD, the
    branch it names and packed-refs (medsite.model.git_dates.head_files); none outside a repository."""
    return head_files(docs_dir / ARTICLES_DIR)


@dataclass
class CatalogCache:
    """What one process keeps from catalog to catalog (`mkdocs serve` rebuilds): each article's reading by
    its text, so an unchanged article is not parsed again, and the latest catalog with what it was made
    from, so an unchanged site is not checked again."""

    readings: dict[str, tuple[str, Reading]] = field(default_factory=dict)  # by file: (its text, reading)
    latest: tuple[tuple, tuple[Reading, ...], Catalog] | None = None  # (inputs, readings, catalog)
    # review states (Catalog.state), shared by the catalogs made from the same (registry, today, CI, pins)
    states: tuple[tuple, dict] = ((), {})
    # each article's own problems and notices by its reading, for the same (registry, today, CI, pins)
    checked: tuple[tuple, dict[str, _Checked]] = ((), {})
    git: GitMemo = field(default_factory=GitMemo)  # git's dates of the articles, for the same HEAD


def read_page(path: Path) -> str:
    """A page's text as MkDocs reads it (see medsite.model.sources.page_text)."""
    return page_text(path.read_bytes())


def load_catalog(docs_dir: Path, root: Path, settings: Settings, pages: Iterable[str] | None = None, *,
                 read: Callable[[str], str] | None = None, cache: CatalogCache | None = None,
                 bibliography: Callable[[], Bibliography] | None = None,
                 notices: NoticeMemo | None = None, pins: dict[str, str] | None = None,
                 parse: Callable[[str, str], FrontMatter] = parse) -> Catalog:
    """Read and check every article under `docs_dir/articles`, with the registry and the date of
    `settings`.

    `pages` are the docs-relative paths of the pages the build publishes (MkDocs' own list, in a build);
    without them the docs folder is walked as MkDocs walks it (medsite.model.published), so both see the same
    articles. `read(src_uri)` gives a page's text (in a build, the text MkDocs read); without it the file
    is read from disk. `cache` is kept by the caller across catalogs (see CatalogCache). `bibliography()`
    gives the bibliography (asked only when some source is known retracted; by default the folder
    mkdocs.yml names by default is read), `notices` the caller's NoticeMemo. `pins` are the formatted
    references the approvals cover (`project_pins`; a build has them already): without them no approval
    citing a reference can be proven, and it reads as changed. `parse(text, path)` reads front matter (in a
    build, the build's one parse of each page, which MkDocs gets too).
    """
    docs_dir, root = _resolved(docs_dir), _resolved(root)
    cache = cache if cache is not None else CatalogCache()
    registry_path = root / settings.registry
    today = settings.today()
    uris = [uri for uri in sorted(docs_files(docs_dir) if pages is None else pages)
            if is_article_path(uri) and uri.endswith(PAGE_SUFFIX)]
    readings = tuple(_reading(docs_dir, root, uri, read, cache, parse) for uri in uris)
    in_ci = os.environ.get("CI") == "true"
    pins = pins or {}
    # each file's state (an undated article is dated by its file time outside git), and the commit HEAD
    # names (inside git, by its last commit: a commit while `mkdocs serve` runs changes no file)
    folder = str(docs_dir) + os.sep
    stats = tuple((uri, file_state(folder + uri)) for uri in uris)
    head = head_commit(docs_dir / ARTICLES_DIR)
    inputs = (docs_dir, registry_path, today, in_ci, file_state(registry_path), stats,
              tuple(sorted(pins.items())), head)
    known = cache.latest
    if known is not None and known[0] == inputs and all(
            before is reading for before, reading in zip(known[1], readings, strict=True)):
        catalog = known[2]
    else:
        shared = (inputs[:5], inputs[6])  # all but the articles' own files: a state is per article object
        if cache.checked[0] != shared:
            cache.checked = (shared, {})
        catalog = _build(docs_dir, root, registry_path, today, zip(uris, readings, strict=True), pins,
                         cache.checked[1])
        catalog._stats, catalog.head, catalog._git = dict(stats), head, cache.git
        if cache.states[0] != shared:
            cache.states = (shared, {})
        catalog._states = cache.states[1]
        if in_ci:
            catalog.problems = sorted([*catalog.problems, *catalog.require_git_dates()], key=sort_key)
        cache.latest = (inputs, readings, catalog)
    # Retractions come from `medsite refs verify`'s answers, which change without any article changing.
    catalog.retracted = retracted_keys(root, bibliography or (
        lambda: load_bibliography(root / DEFAULT_BIBLIOGRAPHY, root=root)), notices)
    return catalog


def check_articles(project: Project, sources: Sequence[Source]) -> list[Problem]:
    """For `medsite check`: problems about the given sources (and the registry), then overdue notices.

    Whatever would fail a strict build is an error here, so CI fails on it (e.g. changed since review, or
    under CI=true dates git cannot give); overdue reviews stay warnings (`medsite overdue` lists them).
    """
    given = {source.docs_path: source.raw for source in sources if source.docs_path}
    catalog = load_catalog(
        project.docs_dir, project.root, project.settings,
        read=lambda uri: page_text(given[uri]) if uri in given else read_page(project.docs_dir / uri),
        bibliography=lambda: load_bibliography(project.bibliography_dir, root=project.root),
        pins=project_pins(project))
    wanted = {source.display for source in sources} | {catalog.registry.path, catalog.display(ARTICLES_DIR)}
    return [
        *(dataclasses.replace(p, severity="error") for p in catalog.problems if p.path in wanted),
        *(p for p in catalog.notices if p.path in wanted),
    ]


def check_new_approvers(project: Project, sources: Sequence[Source], revision: str) -> list[Problem]:
    """For `medsite check --base REV`: approvals among `sources` by reviewers who were not board members on
    `revision` (medsite.review.rules.new_approver_problems); the registry there is read with git."""
    catalog = load_catalog(
        project.docs_dir, project.root, project.settings,
        bibliography=lambda: load_bibliography(project.bibliography_dir, root=project.root),
        pins=project_pins(project))
    before, problems = registry_at(revision, project.registry_path, catalog.root, catalog.registry.path)
    wanted = {source.display for source in sources}
    return [*problems, *(problem for article in catalog.articles.values() if article.path in wanted
                         for problem in new_approver_problems(article, before, revision))]


def project_pins(project: Project) -> dict[str, str]:
    """The formatted references of the project's bibliography, in its citation style, that approvals pin
    (formatting is cached on disk, so this costs a read after the first time). For commands: the build
    has them already."""
    from medsite.bibliography.reference_format import citation_style, format_bibliography

    bibliography = load_bibliography(project.bibliography_dir, root=project.root)
    style, _ = citation_style(project.citation_options, "mkdocs.yml")  # a wrong style fails the build itself
    return reference_pins(format_bibliography(bibliography, cache_root=project.root, style=style))


def slug(src_uri: str) -> str:
    """The URL path an article gets, compared ignoring case: `articles/A.md`, `articles/a.markdown`
    and `articles/a/index.md` all become `articles/a`, which on a case-insensitive host is one page."""
    stem = src_uri.rsplit(".", 1)[0]
    if stem.endswith(("/index", "/README")):
        stem = stem.rsplit("/", 1)[0]
    return stem.casefold()


def _build(docs_dir: Path, root: Path, registry_path: Path, today: dt.date,
           readings: Iterable[tuple[str, Reading]], pins: dict[str, str],
           checked: dict[str, _Checked] | None = None) -> Catalog:
    """The catalog of `readings`. `checked` holds each article's own problems and notices from catalogs
    made with the same registry file, date and pins (the caller keeps it, CatalogCache.checked): an
    unchanged reading (the same object) is not checked again; stale entries are dropped."""
    registry, problems = load_registry(registry_path, display_path(registry_path, root))
    known = checked if checked is not None else {}
    kept: dict[str, _Checked] = {}
    articles: dict[str, Article] = {}
    notices: list[Problem] = []
    seen: dict[str, str] = {}
    for src_uri, reading in readings:
        display = reading.path
        before = known.get(src_uri)
        if before is None or before[0] is not reading:
            article = reading.article
            before = (reading, [*reading.problems, *people_problems(reading, registry)],
                      review_problems(article, today, pins) if article is not None else [],
                      overdue_notices(article, today) if article is not None else [])
        kept[src_uri] = before
        problems.extend(before[1])
        notices.extend(before[3])
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
        problems.extend(before[2])
        if reading.article is not None:
            articles[src_uri] = reading.article
    if checked is not None:
        checked.clear()
        checked.update(kept)
    problems.sort(key=sort_key)
    return Catalog(root, docs_dir, today, registry, articles, problems, notices, pins)


def _reading(docs_dir: Path, root: Path, src_uri: str, read: Callable[[str], str] | None,
             cache: CatalogCache, parse: Callable[[str, str], FrontMatter]) -> Reading:
    """One article parsed and checked, or its reading from `cache` when its text did not change."""
    display = _display(docs_dir, root, src_uri)
    try:
        source = read(src_uri) if read is not None else read_page(docs_dir / src_uri)
    except UnicodeDecodeError as error:
        return Reading(display, None, [Problem(display, None, f"not UTF-8 text ({error.reason} at byte "
                                               f"{error.start}); expected a UTF-8 Markdown file")], {}, {})
    cached = cache.readings.get(display)
    if cached is not None and cached[0] == source:
        return cached[1]
    try:
        reading = read_article(parse(source, display), display, src_uri)
    except ProblemsError as error:
        reading = Reading(display, None, list(error.problems), {}, {})
    cache.readings[display] = (source, reading)
    return reading


@cache  # asked for every article on every build; `mkdocs serve` rebuilds after each edit
def _display(docs_dir: Path, root: Path, src_uri: str) -> str:
    return display_path(docs_dir / src_uri, root)


def _resolved(folder: Path) -> Path:
    """`folder.resolve()`, remembered: per-page hooks look the catalog up on every page, and resolving
    costs a system call per folder in the path."""
    return _resolve(folder, os.getcwd())  # a relative folder depends on the working directory


@cache
def _resolve(folder: Path, cwd: str) -> Path:
    return (Path(cwd) / folder).resolve()


def _modified(docs_dir: Path, src_uri: str, stat: FileState | None = None) -> dt.date:
    """The file's modification date, from `stat` when the catalog has it (a file it could not read is
    asked again). `st_mtime` is `seconds + nanoseconds * 1e-9` in floating point: the same sum here."""
    if stat is None:
        return dt.date.fromtimestamp((docs_dir / src_uri).stat().st_mtime)
    seconds, nanoseconds = divmod(stat[0], 1_000_000_000)
    return dt.date.fromtimestamp(seconds + nanoseconds * 1e-9)

