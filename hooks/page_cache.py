"""An unchanged page skips Markdown conversion: its converted HTML, table of contents, anchors and citation
numbers come from the page cache (medsite.pipeline.page_cache, `.cache/medsite/pages/`), and every other step
of the build (review rules, citations' reference list, sanitiser, JSON-LD, search data, CSP, templates) runs
on it as on a fresh conversion.

MkDocs converts a page in `Page.render`, right after the `on_page_markdown` event; this hook, last of that
event, gives the page a `render` of its own that looks the conversion up first, and on a miss converts
through MkDocs' own `Page.render` and stores the result. A conversion that logged anything (a broken link,
for instance) is not stored, so its message comes again on every build, and strict builds fail on it.
`extra.medsite.page_cache: false` turns the cache off.
"""

from __future__ import annotations

import json
import logging
import re
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from medsite.citations.syntax import CITATION_KEY
from medsite.core import json_cache
from medsite.core.parallel import from_the_end, stop_copies, workers_for
from medsite.pipeline.page_cache import (
    FOLDER,
    LOOKUPS,
    PAGES_PER_COPY,
    Converted,
    Heading,
    PageCache,
    PageCacheRun,
    Target,
    code_version,
    page_key,
)
from medsite_mkdocs.adapter import context, log

if TYPE_CHECKING:
    from collections.abc import Mapping

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.toc import AnchorLink

    from medsite.citations.bib_model import Bibliography, FormattedReference

_MAYBE_CITED = re.compile(rf"@({CITATION_KEY})")  # more than the cited keys at times, never fewer
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Open the page cache for this build (none when `extra.medsite.page_cache` is false)."""
    build = context(config)
    project = build.project
    folder = project.root / json_cache.CACHE_FOLDER / FOLDER if project.settings.page_cache else None
    build.page_cache = PageCacheRun(PageCache(folder), _settings_digest(config),
                                    pages=len(files.documentation_pages()))
    return None


@event_priority(-100)  # last: the Markdown as every other hook left it is what gets converted
def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """Give the page a conversion that looks the cache up first."""
    run = context(config).page_cache
    if run.cache.folder is not None:  # else MkDocs converts, as always
        page.render = partial(_render, page)  # type: ignore[method-assign]  # this page's conversion only
    if run.ahead is not None:  # the copies converting from the end stop before this page
        run.ahead.reached(run.positions.get(page.file.src_uri, -1))
    return None


@event_priority(-100)  # last: the navigation is final, and the pages are read right after this event
def on_nav(nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
    """A build that finds most pages missing from the cache (a cold build) starts a forked copy of itself
    per other processor, converting pages from the end of MkDocs' order into the cache while MkDocs' own
    loop converts from its start and finds the copies' pages in the cache; each copy stops where it meets
    the loop. Not when the build runs threads (`mkdocs serve`): see medsite.core.parallel.from_the_end."""
    run = context(config).page_cache
    cache = run.cache
    pages = list(files.documentation_pages())  # in the order MkDocs' loop reads them
    # Not the generated pages: each is cheap to convert, but what its hooks prepare for it (the dashboard's
    # reading grades of every page) would be done twice.
    ours = sum(1 for file in pages if file.generated_by is None)
    copies = workers_for(ours, PAGES_PER_COPY) - 1
    if cache.folder is None or copies < 1 or cache.count() > ours // 2:
        return None
    run.positions = {file.src_uri: index for index, file in enumerate(pages)}
    run.hits_before = LOOKUPS["hit"]
    run.ahead = from_the_end(len(pages), lambda index: _convert(pages[index], config, files), copies)
    return None


def _convert(file: File, config: MkDocsConfig, files: Files) -> None:
    """What MkDocs does to a page up to its conversion, whose result `_render` stores in the cache."""
    if file.generated_by is not None:
        return
    try:
        page = file.page if file.page is not None else Page(None, file, config)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        page.render(config, files)
    except Exception:  # noqa: BLE001  # the build's own loop meets it again and reports it
        return


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
    """Every page is converted: the copies converting ahead stop, and are waited for."""
    run = context(config).page_cache
    if run.ahead is not None:
        copies = len(run.ahead.children)
        run.ahead.wait()
        run.ahead = None
        log.info(f"Pages converted in {copies + 1} processes: {LOOKUPS['hit'] - run.hits_before} of "
                 f"{len(run.positions)} by forked copies (the page cache was empty)")
    return None


def on_build_error(*, error: Exception) -> None:
    """A failed build leaves no copy converting behind it."""
    stop_copies()


def on_post_build(*, config: MkDocsConfig) -> None:
    """After a full build, drop the entries no page used."""
    run = context(config).page_cache
    if run and run.rendered == run.pages:  # a full build (a dirty one converts a few pages)
        run.cache.prune()


def _render(page: Page, config: MkDocsConfig, files: Files) -> None:
    build = context(config)
    run = build.page_cache
    run.rendered += 1
    key = page_key(settings=run.settings, src_uri=page.file.src_uri, url=page.file.url,
                   excluded=page.file.inclusion.is_excluded(), markdown=page.markdown or "",
                   cited=_cited(page.markdown or "", build.bibliography, build.references, run.entries))
    cache = run.cache
    stateful = _stateful(config)
    found = cache.get(key)
    if found is not None and _reused(found, page, files, stateful):
        LOOKUPS["hit"] += 1
        return
    LOOKUPS["miss"] += 1
    # What the entry keeps is what this conversion leaves, nothing an earlier page left unclaimed (the forked
    # copies of a cold build convert page after page, and no on_page_content takes the state between them).
    for extension in stateful.values():
        extension.restore_page_state({name: [] for name in extension.page_state()})
    recording, logged = _Recording(files), _Logged()
    loggers = [logging.getLogger("mkdocs"), logging.getLogger()]
    for logger in loggers:
        logger.addHandler(logged)
    try:
        Page.render(page, config, recording)  # type: ignore[arg-type]  # MkDocs' own conversion
    finally:
        for logger in loggers:
            logger.removeHandler(logged)
    if not logged.any:
        extensions = {name: extension.page_state() for name, extension in stateful.items()}
        cache.put(key, _converted(page, extensions, recording.lookups))


def _reused(found: Converted, page: Page, files: Files, stateful: dict[str, Any]) -> bool:
    """Give the page and the extensions what the cached conversion left, if it still holds; False (and a
    conversion follows, which sets everything again) if a page it linked to changed or its data is wrong."""
    if found.extensions.keys() != stateful.keys() or not found.still_valid(partial(_target, files)):
        return False
    try:
        for name, extension in stateful.items():
            extension.restore_page_state(found.extensions[name])
    except (KeyError, TypeError, ValueError):
        return False
    _restore(page, found, files)
    return True


def _stateful(config: MkDocsConfig) -> dict[str, Any]:
    """The Markdown extensions that keep something of each conversion for the build (`page_state`)."""
    return {f"{type(item).__module__}.{type(item).__qualname__}": item for item in config.markdown_extensions
            if hasattr(item, "page_state")}


def _settings_digest(config: MkDocsConfig) -> str:
    """The configuration a conversion reads, and the code that runs it."""
    extensions = [item if isinstance(item, str) else
                  [f"{type(item).__module__}.{type(item).__qualname__}", item.getConfigs()]
                  for item in config.markdown_extensions]
    links = config.validation.links
    read = {
        "extensions": extensions, "options": config.mdx_configs, "directory_urls": config.use_directory_urls,
        "links": [links.not_found, links.anchors, links.absolute_links, links.unrecognized_links],
        "anchor_links": _PAGES_LOG.getEffectiveLevel() > logging.DEBUG,  # MkDocs records them only then
    }
    hooks = tuple(sorted(str(Path(hook.__file__)) for hook in config.hooks.values()
                         if getattr(hook, "__file__", None)))
    return json_cache.digest(code_version(hooks), json.dumps(read, sort_keys=True, default=repr))


def _cited(markdown: str, bibliography: Bibliography | None, references: Mapping[str, FormattedReference],
           known: dict[str, str | None]) -> dict:
    """Each key the page may cite, with the digest of its entry and formatted reference (None: unknown)."""
    found = {}
    for key in set(_MAYBE_CITED.findall(markdown)):
        if key not in known:
            entry = bibliography.entries.get(key) if bibliography else None
            reference = references.get(key)
            known[key] = None if entry is None else json_cache.digest(json.dumps(
                [entry.kind, entry.csl, entry.doi, entry.pmid, entry.url,
                 reference and [reference.html, reference.text]], sort_keys=True, ensure_ascii=False))
        found[key] = known[key]
    return found


def _target(files: Files, path: str) -> Target:
    file = files.get_file_from_path(path)
    return None if file is None else (file.url, file.inclusion.is_excluded())


class _Recording:
    """The build's files, noting every page the conversion looks up (links), and what it found."""

    def __init__(self, files: Files) -> None:
        self._files = files
        self.lookups: dict[str, Target] = {}

    def get_file_from_path(self, path: str) -> File | None:
        self.lookups[path] = _target(self._files, path)
        return self._files.get_file_from_path(path)

    def __getattr__(self, name: str) -> object:
        return getattr(self._files, name)


class _Logged(logging.Handler):
    """Whether a conversion logged anything worth saying (info or above)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.any = False

    def emit(self, record: logging.LogRecord) -> None:
        self.any = True


def _headings(items: list[AnchorLink]) -> tuple[Heading, ...]:
    return tuple(Heading(item.title, item.id, item.level, _headings(item.children)) for item in items)


def _tokens(headings: tuple[Heading, ...]) -> list[dict]:
    return [{"name": heading.title, "id": heading.id, "level": heading.level,
             "children": _tokens(heading.children)} for heading in headings]


def _converted(page: Page, extensions: dict[str, dict], lookups: dict[str, Target]) -> Converted:
    links = page.links_to_anchors
    return Converted(
        html=page.content or "", toc=_headings(list(page.toc)), title=page._title_from_render,
        anchors=frozenset(page.present_anchor_ids or ()),
        links_to_anchors=None if links is None else {
            file.src_uri: dict(anchors) for file, anchors in links.items()},
        extensions=extensions, lookups=lookups)


def _restore(page: Page, converted: Converted, files: Files) -> None:
    """The page as `Page.render` would have left it."""
    page.content = converted.html
    page.toc = get_toc(_tokens(converted.toc))  # type: ignore[arg-type]
    page._title_from_render = converted.title
    page.present_anchor_ids = set(converted.anchors)
    if converted.links_to_anchors is not None:
        page.links_to_anchors = {
            file: dict(anchors) for src_uri, anchors in converted.links_to_anchors.items()
            if (file := files.get_file_from_path(src_uri)) is not None}
