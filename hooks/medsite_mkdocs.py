"""Shared adapter glue: turn medsite problems into MkDocs log lines and build failures."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from medsite.catalog import Catalog, cached_catalog, load_catalog
from medsite.page_data import PageData
from medsite.problems import Problem, display_path, errors
from medsite.project import CITATIONS_EXTENSION, Project, project_from_config
from medsite.settings import Settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.medsite")
_current: dict = {}  # the build under way: its config object, its catalog, what hooks keep for it


def project_root(config: MkDocsConfig) -> Path:
    """The folder holding mkdocs.yml: every project path is relative to it, never to the cwd."""
    return _folder_of(config.config_file_path)


@cache  # several hooks ask on every page; resolving a path costs a system call per folder in it
def _folder_of(config_file: str) -> Path:
    return Path(config_file).resolve().parent


def source_path(file: File, config: MkDocsConfig) -> str:
    """A page's source file as problems name it: relative to the project root, e.g. `docs/articles/a.md`."""
    return _relative_to_root(file.abs_src_path or "", config.config_file_path)


@cache  # asked for every article on every build; resolving costs a system call per folder in the path
def _relative_to_root(source: str, config_file: str) -> str:
    return display_path(Path(source).resolve(), _folder_of(config_file))


def site_catalog(config: MkDocsConfig, *, files: Files | None = None) -> Catalog:
    """The build's catalog of articles. hooks/articles.py loads it as the build starts, from MkDocs' own
    list of pages (`files`; only changed files are read again); the other hooks look it up here, once per
    build rather than per page (MkDocs makes a new config object for every build, `mkdocs serve` rebuilds
    included)."""
    state = build_state(config)
    if files is not None:
        pages = [file.src_uri for file in files.documentation_pages()]
        state["catalog"] = load_catalog(Path(config.docs_dir), project_root(config), settings(config), pages,
                                        bibliography=bibliography_dir(config))
    elif "catalog" not in state:
        state["catalog"] = cached_catalog(Path(config.docs_dir), project_root(config), settings(config))
    return state["catalog"]


def build_state(config: MkDocsConfig) -> dict:
    """What hooks keep for the build under way, forgotten when the next build starts (MkDocs makes a new
    config object for every build)."""
    if _current.get("config") is not config:
        _current.clear()
        _current["config"] = config
    return _current


def page_data(page: Page) -> PageData:
    """The page's payload for the templates (`page.medsite`), created on first use. Templates read hook
    data only from here, never from `page.meta`, which the page's front matter writes."""
    data = getattr(page, "medsite", None)
    if not isinstance(data, PageData):
        data = PageData()
        page.medsite = data  # type: ignore[attr-defined]
    return data


def listed_extension(config: MkDocsConfig, name: str, *, why: str) -> tuple[int, dict]:
    """Where mkdocs.yml lists one of the project's Markdown extensions, with its options; the build fails if
    it is not listed. Listing them there (not adding them in a hook) is what lets every Python-Markdown
    engine load them, hooks or not."""
    for index, extension in enumerate(config.markdown_extensions):
        if extension == name:
            return index, dict(config.mdx_configs.get(name) or {})
    problem = Problem(display_path(Path(config.config_file_path).resolve(), project_root(config)), None,
                      f"found no `{name}` under markdown_extensions; expected it listed ({why})")
    log.error(str(problem))
    raise PluginError("1 problem in mkdocs.yml; see the line above.")


def bibliography_dir(config: MkDocsConfig) -> Path:
    """The folder of .bib files, as the citation extension's options in mkdocs.yml name it."""
    return project(config).bibliography_dir


def project(config: MkDocsConfig) -> Project:
    """The build's project: its folders and settings, from the values MkDocs read from mkdocs.yml (the
    `medsite` command makes the same from the file; medsite.project), once per build."""
    state = build_state(config)
    if "project" not in state:
        state["project"] = project_from_config(Path(config.config_file_path), docs_dir=config.docs_dir,
                                               extra=config.extra,
                                               citation_options=config.mdx_configs.get(CITATIONS_EXTENSION),
                                               use_directory_urls=config.use_directory_urls)
    return state["project"]


def settings(config: MkDocsConfig) -> Settings:
    """The project's own settings, `extra.medsite` in mkdocs.yml (medsite.settings)."""
    return project(config).settings


def url_lookup(files: Files) -> Callable[[str], str | None]:
    """A page's URL (from the site root) by its docs path, None when the site has no such page."""

    def url_of(src_uri: str) -> str | None:
        target = files.get_file_from_path(src_uri)
        return target.url if target else None

    return url_of


def report(problems: list[Problem], *, what: str) -> None:
    """Log warnings (strict builds count them) and fail the build, strict or not, on any error."""
    for problem in problems:
        if problem.severity == "warning":
            log.warning(str(problem))
    found = errors(problems)
    if found:
        for problem in found:
            log.error(str(problem))
        raise PluginError(f"{len(found)} problem(s) in {what}; see the lines above.")
